<?cs # settings/field_form.cs — create or edit an additional field: key and type fixed after creation; picklist options as rows (an option in use cannot be removed, only made inactive). ?>
<?cs include:"macros.cs" ?>
<?cs def:check(name, label, on) ?><p class="field kind-checkbox"><label for="f-<?cs var:name ?>"><input type="checkbox" id="f-<?cs var:name ?>" name="<?cs var:name ?>" value="1"<?cs if:on == "1" ?> checked<?cs /if ?>> <?cs var:label ?></label><?cs call:field_error(name) ?></p><?cs /def ?>
<?cs def:page_body() ?>
<section class="settings-field-form">
  <h1><?cs var:Page.Title ?></h1>
  <?cs include:"settings/fields_tabs.cs" ?>
  <?cs if:Form.ErrorCount ?><p class="error" role="alert"><?cs var:Lang.Contact.FixErrors ?></p><?cs /if ?>
  <?cs if:Form.Id && Form.active == "0" ?><p class="notice"><?cs var:Lang.Fields.InactiveNotice ?></p><?cs /if ?>
  <?cs if:Form.Id ?><p class="values"><?cs var:Lang.Fields.ValuesHeld ?>: <strong id="values"><?cs var:Form.Values ?></strong></p><?cs /if ?>
  <form method="post" action="/settings/fields<?cs if:Form.Id ?>/<?cs var:Form.Id ?><?cs /if ?>" novalidate>
    <?cs call:csrf_field() ?>
    <?cs if:Form.Id ?>
    <p class="field"><span class="label"><?cs var:Lang.Fields.Key ?></span> <code><?cs var:Form.key ?></code> · <?cs var:Lang.Fields.Types[Form.type] ?></p>
    <?cs else ?>
    <p class="field<?cs if:Form.Errors.key ?> invalid<?cs /if ?>"><label for="f-key"><?cs var:Lang.Fields.Key ?></label>
      <input id="f-key" name="key" value="<?cs var:Form.key ?>" maxlength="50" pattern="[a-z][a-z0-9_]*" aria-describedby="key-hint">
      <span class="hint" id="key-hint"><?cs var:Lang.Fields.KeyHint ?></span><?cs call:field_error("key") ?></p>
    <p class="field<?cs if:Form.Errors.type ?> invalid<?cs /if ?>"><label for="f-type"><?cs var:Lang.Fields.Type ?></label>
      <select id="f-type" name="type"><?cs each:t = Form.Types ?><option value="<?cs var:t ?>"<?cs if:t == Form.type ?> selected<?cs /if ?>><?cs var:Lang.Fields.Types[t] ?></option><?cs /each ?></select><?cs call:field_error("type") ?></p>
    <?cs /if ?>
    <?cs call:text_field("label_en", Lang.Fields.LabelEn, Form.label_en, "text", "") ?>
    <?cs call:text_field("label_it", Lang.Fields.LabelIt, Form.label_it, "text", "") ?>
    <?cs call:check("required", Lang.Fields.Required, Form.required) ?>
    <p class="field<?cs if:Form.Errors.default_value ?> invalid<?cs /if ?>"><label for="f-default_value"><?cs var:Lang.Fields.Default ?></label>
      <input id="f-default_value" name="default_value" value="<?cs var:Form.default_value ?>" aria-describedby="default-hint">
      <span class="hint" id="default-hint"><?cs var:Lang.Fields.DefaultHint ?></span><?cs call:field_error("default_value") ?></p>
    <?cs call:text_field("sort_order", Lang.Fields.Order, Form.sort_order, "number", "") ?>
    <fieldset class="contexts"><legend><?cs var:Lang.Fields.Contexts ?></legend>
      <?cs call:check("ctx_backoffice", Lang.Fields.Ctx.0, Form.ctx_backoffice) ?>
      <?cs call:check("ctx_list", Lang.Fields.Ctx.1, Form.ctx_list) ?>
      <?cs call:check("ctx_portal", Lang.Fields.Ctx.2, Form.ctx_portal) ?>
      <?cs call:check("ctx_export", Lang.Fields.Ctx.3, Form.ctx_export) ?>
    </fieldset>
    <?cs if:!Form.Id || Form.type == "picklist" ?>
    <fieldset class="options"><legend><?cs var:Lang.Fields.Options ?></legend>
      <p class="hint"><?cs var:Lang.Fields.OptionsHint ?></p>
      <input type="hidden" name="opt_n" value="<?cs var:Form.OptionRows ?>">
      <table class="options">
        <thead><tr><th scope="col"><?cs var:Lang.Fields.OptionKey ?></th><th scope="col"><?cs var:Lang.Fields.LabelEn ?></th><th scope="col"><?cs var:Lang.Fields.LabelIt ?></th><th scope="col"><?cs var:Lang.Fields.Active ?></th><th scope="col"><?cs var:Lang.Fields.Remove ?></th></tr></thead>
        <tbody>
        <?cs each:o = Form.Options ?><?cs set:i = name(o) ?>
        <tr<?cs if:Form.Errors["opt_key_" + i] || Form.Errors["opt_en_" + i] ?> class="invalid"<?cs /if ?>>
          <td><?cs if:o.existing == "1" ?><input type="hidden" name="opt_existing_<?cs var:i ?>" value="1"><input type="hidden" name="opt_key_<?cs var:i ?>" value="<?cs var:o.key ?>"><code><?cs var:o.key ?></code><?cs else ?><input name="opt_key_<?cs var:i ?>" value="<?cs var:o.key ?>" maxlength="50" aria-label="<?cs var:Lang.Fields.OptionKey ?> <?cs var:i ?>"><?cs /if ?><?cs call:field_error("opt_key_" + i) ?></td>
          <td><input name="opt_en_<?cs var:i ?>" value="<?cs var:o.en ?>" aria-label="<?cs var:Lang.Fields.LabelEn ?> <?cs var:i ?>"><?cs call:field_error("opt_en_" + i) ?></td>
          <td><input name="opt_it_<?cs var:i ?>" value="<?cs var:o.it ?>" aria-label="<?cs var:Lang.Fields.LabelIt ?> <?cs var:i ?>"></td>
          <td><input type="checkbox" name="opt_active_<?cs var:i ?>" value="1"<?cs if:o.active == "1" ?> checked<?cs /if ?> aria-label="<?cs var:Lang.Fields.Active ?> <?cs var:i ?>"></td>
          <td><?cs if:o.existing == "1" ?><input type="checkbox" name="opt_remove_<?cs var:i ?>" value="1"<?cs if:o.remove == "1" ?> checked<?cs /if ?> aria-label="<?cs var:Lang.Fields.Remove ?> <?cs var:i ?>"><?cs /if ?></td>
        </tr>
        <?cs /each ?>
        </tbody>
      </table>
    </fieldset>
    <?cs /if ?>
    <p class="buttons"><button type="submit"><?cs var:Lang.Contact.Save ?></button> <a href="/settings/fields"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
