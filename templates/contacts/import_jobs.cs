<?cs # contacts/import_jobs.cs — the recent staged imports. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="import-jobs">
  <h1><?cs var:Lang.ImportJob.ListTitle ?></h1>
  <p><a href="/contacts/import"><?cs var:Lang.Import.Title ?></a></p>
  <table class="list">
    <thead><tr><th scope="col">#</th><th scope="col"><?cs var:Lang.Import.File ?></th><th scope="col"><?cs var:Lang.ImportJob.StatusLabel ?></th><th scope="col"><?cs var:Lang.ImportJob.Rows ?></th><th scope="col"><?cs var:Lang.ImportJob.Uploaded ?></th></tr></thead>
    <tbody><?cs each:j = Import.Jobs ?><tr><td><a href="/contacts/import/<?cs var:j.id ?>">#<?cs var:j.id ?></a></td><td><?cs var:j.filename ?></td>
      <td><?cs var:Lang.ImportJob.Status[j.status] ?></td><td><?cs var:j.done ?> / <?cs var:j.total ?></td><td><?cs var:j.created_at ?></td></tr><?cs /each ?></tbody>
  </table>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
