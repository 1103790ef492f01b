<?cs # contacts/import_mapping.cs — a staged import's columns: header, sample values and the target of each, on-duplicate, save or apply a named mapping, then a dry or a real run. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="import-mapping">
  <h1><?cs var:Lang.ImportJob.MappingTitle ?>: <?cs var:Import.Job.filename ?></h1>
  <p><?cs var:Lang.ImportJob.Rows ?>: <strong id="n-total"><?cs var:Import.Job.total ?></strong> · <?cs var:Lang.Import.Encoding ?>: <?cs var:Import.Job.encoding ?></p>
  <?cs if:Import.Error ?><p class="error" role="alert" id="import-error"><?cs var:Import.Error ?></p><?cs /if ?>
  <?cs if:subcount(Import.Saved) > 0 ?>
  <form method="get" action="/contacts/import/<?cs var:Import.Job.id ?>/mapping" class="saved-mapping">
    <label for="f-saved"><?cs var:Lang.ImportJob.SavedMapping ?></label>
    <select id="f-saved" name="saved"><?cs each:m = Import.Saved ?><option value="<?cs var:m.id ?>"<?cs if:Import.SavedId == m.id ?> selected<?cs /if ?>><?cs var:m.name ?></option><?cs /each ?></select>
    <button type="submit" id="apply-mapping"><?cs var:Lang.ImportJob.Apply ?></button>
  </form>
  <?cs /if ?>
  <form method="post" action="/contacts/import/<?cs var:Import.Job.id ?>/mapping" id="mapping-form">
    <?cs call:csrf_field() ?>
    <table class="list import-columns">
      <thead><tr><th scope="col"><?cs var:Lang.Import.Column ?></th><th scope="col"><?cs var:Lang.ImportJob.Samples ?></th><th scope="col"><?cs var:Lang.Import.Field ?></th></tr></thead>
      <tbody><?cs each:c = Import.Columns ?><tr class="column">
        <td class="header"><label for="f-<?cs var:c.name ?>"><?cs var:c.header ?></label></td>
        <td class="samples"><?cs var:c.samples ?></td>
        <td><select id="f-<?cs var:c.name ?>" name="<?cs var:c.name ?>"><?cs each:t = Import.Targets ?><option value="<?cs var:t.value ?>"<?cs if:c.target == t.value ?> selected<?cs /if ?>><?cs var:t.label ?></option><?cs /each ?></select></td>
      </tr><?cs /each ?></tbody>
    </table>
    <p class="field"><label for="f-on_duplicate"><?cs var:Lang.Import.OnDuplicate ?></label>
      <select id="f-on_duplicate" name="on_duplicate">
        <?cs each:o = Lang.Import.Dup ?><option value="<?cs name:o ?>"<?cs if:Import.Job.on_duplicate == name(o) ?> selected<?cs /if ?>><?cs var:o ?></option><?cs /each ?>
      </select></p>
    <p class="field"><label for="f-save_as"><?cs var:Lang.ImportJob.SaveAs ?></label>
      <input id="f-save_as" name="save_as" type="text" maxlength="100"></p>
    <p class="buttons"><button type="submit" name="action" value="dry" id="dry-run"><?cs var:Lang.ImportJob.DryRun ?></button>
      <button type="submit" name="action" value="run" id="run"><?cs var:Lang.ImportJob.RunReal ?></button>
      <a href="/contacts/import/<?cs var:Import.Job.id ?>"><?cs var:Lang.ImportJob.Progress ?></a></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
