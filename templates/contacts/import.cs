<?cs # contacts/import.cs — CSV import (crm_admin, crm_manager): upload with a dry run, and the report per line. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="import-page">
  <h1><?cs var:Lang.Import.Title ?></h1>
  <p><?cs var:Lang.Import.Help ?></p>
  <?cs if:Import.Error ?><p class="error" role="alert" id="import-error"><?cs var:Import.Error ?></p><?cs /if ?>
  <form method="post" action="/contacts/import" enctype="multipart/form-data">
    <?cs call:csrf_field() ?>
    <p class="field"><label for="f-file"><?cs var:Lang.Import.File ?></label>
      <input id="f-file" name="file" type="file" accept=".csv,text/csv" required></p>
    <p class="field"><label for="f-on_duplicate"><?cs var:Lang.Import.OnDuplicate ?></label>
      <select id="f-on_duplicate" name="on_duplicate">
        <?cs each:o = Lang.Import.Dup ?><option value="<?cs name:o ?>"<?cs if:Import.OnDuplicate == name(o) ?> selected<?cs /if ?>><?cs var:o ?></option><?cs /each ?>
      </select><?cs call:field_error("on_duplicate") ?></p>
    <p class="field"><label><input type="checkbox" name="dry_run" value="1"<?cs if:Import.DryRun == "1" ?> checked<?cs /if ?>> <?cs var:Lang.Import.DryRun ?></label><?cs call:field_error("dry_run") ?></p>
    <p class="buttons"><button type="submit"><?cs var:Lang.Import.Run ?></button>
      <button type="submit" id="stage" formaction="/contacts/imports"><?cs var:Lang.ImportJob.Stage ?></button>
      <a href="/contacts"><?cs var:Lang.Contact.BackToList ?></a> · <a href="/contacts/imports"><?cs var:Lang.ImportJob.ListTitle ?></a></p>
    <p class="hint"><?cs var:Lang.ImportJob.StageHelp ?></p>
  </form>
  <?cs if:Import.Done ?>
  <section id="import-report">
    <h2><?cs if:Import.DryRun == "1" ?><?cs var:Lang.Import.DryReport ?><?cs else ?><?cs var:Lang.Import.Report ?><?cs /if ?></h2>
    <p><?cs var:Lang.Import.Result.created ?>: <strong id="n-created"><?cs var:Import.Created ?></strong> ·
      <?cs var:Lang.Import.Result.updated ?>: <strong id="n-updated"><?cs var:Import.Updated ?></strong> ·
      <?cs var:Lang.Import.Result.skipped ?>: <strong id="n-skipped"><?cs var:Import.Skipped ?></strong> ·
      <?cs var:Lang.Import.Result.refused ?>: <strong id="n-refused"><?cs var:Import.Refused ?></strong> ·
      <?cs var:Lang.Import.Encoding ?>: <?cs var:Import.Encoding ?></p>
    <table class="list import-columns">
      <thead><tr><th scope="col"><?cs var:Lang.Import.Column ?></th><th scope="col"><?cs var:Lang.Import.Field ?></th></tr></thead>
      <tbody><?cs each:c = Import.Columns ?><tr><td><?cs var:c.header ?></td><td><?cs if:c.field ?><?cs var:c.field ?><?cs else ?><em><?cs var:Lang.Import.Ignored ?></em><?cs /if ?></td></tr><?cs /each ?></tbody>
    </table>
    <table class="list import-rows">
      <thead><tr><th scope="col"><?cs var:Lang.Import.Line ?></th><th scope="col"><?cs var:Lang.Import.Outcome ?></th><th scope="col"><?cs var:Lang.Import.Reason ?></th></tr></thead>
      <tbody><?cs each:row = Import.Rows ?><tr class="result-<?cs var:row.result ?>"><td><?cs var:row.line ?></td>
        <td><?cs var:Lang.Import.Result[row.result] ?><?cs if:row.id != "0" && Import.DryRun != "1" ?> <a href="/contacts/<?cs var:row.id ?>">#<?cs var:row.id ?></a><?cs /if ?></td><td><?cs var:row.why ?></td></tr><?cs /each ?></tbody>
    </table>
  </section>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
