<?cs # connections/form.cs — create or edit a customer or a lead (Form.Kind); errors next to each field, input kept. ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs def:page_body() ?>
<section class="record-form <?cs var:Form.Kind ?>-form">
  <?cs call:conn_nav(Form.Kind) ?>
  <h1><?cs var:Page.Title ?></h1>
  <?cs if:Form.Saved ?><p class="notice" role="status"><?cs var:Form.Saved ?></p><?cs /if ?>
  <?cs if:Form.Conflict ?>
  <div class="conflict" role="alert"><p><?cs var:Lang.Conn.Conflict ?></p>
    <table class="list"><thead><tr><th scope="col"></th><th scope="col"><?cs var:Lang.Conn.Their ?></th></tr></thead><tbody>
    <?cs each:f = Form.Fields ?><tr><th scope="row"><?cs var:Lang.Field[f.name] ?></th><td class="their"><?cs call:field_value(f.name, Current[f.name]) ?></td></tr><?cs /each ?>
    </tbody></table>
  </div>
  <?cs /if ?>
  <?cs if:Form.ErrorCount ?><p class="error" role="alert"><?cs var:Lang.Conn.FixErrors ?></p><?cs /if ?>
  <form method="post" action="<?cs var:Form.Action ?><?cs if:Form.Id ?>/<?cs var:Form.Id ?><?cs /if ?>" novalidate>
    <?cs call:csrf_field() ?>
    <?cs if:Form.Id ?><input type="hidden" name="version" value="<?cs var:Form.Version ?>"><?cs /if ?>
    <fieldset class="section">
      <?cs each:f = Form.Fields ?><?cs if:!(Form.Kind == "lead" && f.name == "status" && f.value != "converted") ?><?cs call:contact_field(f) ?><?cs else ?>
      <p class="field kind-select<?cs if:Form.Errors.status ?> invalid<?cs /if ?>">
        <label for="f-status"><?cs var:Lang.Field.status ?></label>
        <select id="f-status" name="status">
          <?cs each:o = f.options ?><?cs if:o != "converted" ?><option value="<?cs var:o ?>"<?cs if:o == f.value ?> selected<?cs /if ?>><?cs call:choice_label("status", o) ?></option><?cs /if ?><?cs /each ?>
        </select>
        <?cs call:field_error("status") ?>
      </p>
      <?cs /if ?><?cs /each ?>
    </fieldset>
    <p class="buttons">
      <button type="submit" name="action" value="save"><?cs var:Lang.Conn.Save ?></button>
      <button type="submit" name="action" value="save_exit"><?cs var:Lang.Conn.SaveExit ?></button>
      <a href="<?cs var:Form.Action ?><?cs if:Form.Id ?>/<?cs var:Form.Id ?><?cs /if ?>"><?cs var:Lang.Conn.Cancel ?></a>
    </p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
