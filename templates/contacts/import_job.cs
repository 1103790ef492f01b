<?cs # contacts/import_job.cs — one staged import: status, counts and percentage (refreshing while it runs), Resume, the real run after a dry run, revert, refused rows, and the outcome per line. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="import-job">
  <h1><?cs var:Lang.ImportJob.Title ?> #<?cs var:Import.Job.id ?>: <?cs var:Import.Job.filename ?></h1>
  <p id="job-status" class="status-<?cs var:Import.Job.status ?>"><?cs if:Import.Job.dry_run == "1" && (Import.Job.status == "running" || Import.Job.status == "checked") ?><?cs var:Lang.ImportJob.DryRunOf ?> <?cs /if ?><strong><?cs var:Lang.ImportJob.Status[Import.Job.status] ?></strong>
    · <span id="percent"><?cs var:Import.Job.percent ?>%</span> (<span id="n-done"><?cs var:Import.Job.done ?></span> / <span id="n-total"><?cs var:Import.Job.total ?></span>)</p>
  <progress max="100" value="<?cs var:Import.Job.percent ?>"><?cs var:Import.Job.percent ?>%</progress>
  <p><?cs var:Lang.Import.Result.created ?>: <strong id="n-created"><?cs var:Import.Job.created ?></strong> ·
    <?cs var:Lang.Import.Result.updated ?>: <strong id="n-updated"><?cs var:Import.Job.updated ?></strong> ·
    <?cs var:Lang.Import.Result.skipped ?>: <strong id="n-skipped"><?cs var:Import.Job.skipped ?></strong> ·
    <?cs var:Lang.Import.Result.refused ?>: <strong id="n-refused"><?cs var:Import.Job.refused ?></strong></p>
  <?cs if:Import.Job.stalled ?>
  <form method="post" action="/contacts/import/<?cs var:Import.Job.id ?>/resume" id="resume-form">
    <?cs call:csrf_field() ?>
    <p class="warning"><?cs var:Lang.ImportJob.Stalled ?></p>
    <p class="buttons"><button type="submit" id="resume"><?cs var:Lang.ImportJob.Resume ?></button></p>
  </form>
  <?cs /if ?>
  <?cs if:Import.Job.status == "new" || Import.Job.status == "checked" ?>
  <p><a href="/contacts/import/<?cs var:Import.Job.id ?>/mapping" id="to-mapping"><?cs var:Lang.ImportJob.MappingTitle ?></a></p>
  <?cs /if ?>
  <?cs if:Import.Job.status == "checked" ?>
  <form method="post" action="/contacts/import/<?cs var:Import.Job.id ?>/run" id="run-form">
    <?cs call:csrf_field() ?>
    <p class="buttons"><button type="submit" id="run"><?cs var:Lang.ImportJob.RunReal ?></button></p>
  </form>
  <?cs /if ?>
  <?cs if:Import.Job.status == "done" ?>
  <p><a href="/contacts/import/<?cs var:Import.Job.id ?>/revert" id="revert"><?cs var:Lang.ImportJob.Revert ?></a></p>
  <?cs /if ?>
  <?cs if:Import.Job.refused != "0" ?>
  <p><a href="/contacts/import/<?cs var:Import.Job.id ?>/refused.csv" id="refused-csv"><?cs var:Lang.ImportJob.RefusedCsv ?></a></p>
  <?cs /if ?>
  <table class="list import-rows">
    <thead><tr><th scope="col"><?cs var:Lang.Import.Line ?></th><th scope="col"><?cs var:Lang.Import.Outcome ?></th><th scope="col"><?cs var:Lang.Import.Reason ?></th></tr></thead>
    <tbody><?cs each:row = Import.Rows ?><tr class="result-<?cs var:row.outcome ?>"><td><?cs var:row.line ?></td>
      <td><?cs var:Lang.Import.Result[row.outcome] ?><?cs if:row.contact_id && Import.Job.dry_run != "1" && Import.Job.status != "reverted" ?> <a href="/contacts/<?cs var:row.contact_id ?>">#<?cs var:row.contact_id ?></a><?cs /if ?></td>
      <td><?cs var:row.reason ?></td></tr><?cs /each ?></tbody>
  </table>
  <?cs if:Import.Next ?><p><a href="/contacts/import/<?cs var:Import.Job.id ?>?from=<?cs var:Import.Next ?>" id="next-rows"><?cs var:Lang.ImportJob.NextRows ?></a></p><?cs /if ?>
  <p><a href="/contacts/imports"><?cs var:Lang.ImportJob.ListTitle ?></a></p>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
