<?cs # contacts/extras.cs — widgets of the contact form for additional fields and consents (included after macros.cs). ?>
<?cs # Additional field f (Form.Custom.N: name, label, kind, value, required, options) with its error. ?>
<?cs def:custom_field(f) ?>
<p class="field custom kind-<?cs var:f.kind ?><?cs if:Form.Errors[f.name] ?> invalid<?cs /if ?>">
  <?cs if:f.kind == "checkbox" ?>
  <label for="f-<?cs var:f.name ?>"><input type="checkbox" id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" value="1"<?cs if:f.value == "1" ?> checked<?cs /if ?>> <?cs var:f.label ?><?cs if:f.required == "1" ?> <abbr class="required" title="<?cs var:Lang.Fields.Required ?>">*</abbr><?cs /if ?></label>
  <?cs else ?>
  <label for="f-<?cs var:f.name ?>"><?cs var:f.label ?><?cs if:f.required == "1" ?> <abbr class="required" title="<?cs var:Lang.Fields.Required ?>">*</abbr><?cs /if ?></label>
  <?cs if:f.kind == "select" ?>
  <select id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>">
    <option value=""></option>
    <?cs each:o = f.options ?><option value="<?cs var:o.key ?>"<?cs if:o.key == f.value ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
  </select>
  <?cs elif:f.kind == "textarea" ?>
  <textarea id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" rows="4"><?cs var:f.value ?></textarea>
  <?cs elif:f.kind == "number" ?>
  <input id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" type="number" step="1" value="<?cs var:f.value ?>">
  <?cs elif:f.kind == "decimal" ?>
  <input id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" type="text" inputmode="decimal" value="<?cs var:f.value ?>">
  <?cs else ?>
  <input id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" type="<?cs var:f.kind ?>" value="<?cs var:f.value ?>">
  <?cs /if ?>
  <?cs /if ?>
  <?cs call:field_error(f.name) ?>
</p>
<?cs /def ?>
<?cs # Consent c (Form.Consents.N: name, title, text, checked, version, granted_version): checkbox, text expandable without JS. ?>
<?cs def:consent_field(c) ?>
<div class="field consent<?cs if:Form.Errors[c.name] ?> invalid<?cs /if ?>">
  <label for="f-<?cs var:c.name ?>"><input type="checkbox" id="f-<?cs var:c.name ?>" name="<?cs var:c.name ?>" value="1"<?cs if:c.checked == "1" ?> checked<?cs /if ?>> <?cs var:c.title ?></label>
  <?cs if:c.granted_version ?><span class="consent-version"><?cs var:Lang.Consents.GrantedVersion ?> <?cs var:c.granted_version ?><?cs if:c.granted_version != c.version ?> (<?cs var:Lang.Consents.CurrentVersion ?> <?cs var:c.version ?>)<?cs /if ?></span><?cs /if ?>
  <details class="consent-text"><summary><?cs var:Lang.Consents.ShowText ?></summary><div class="text"><?cs var:c.text ?></div></details>
  <?cs call:field_error(c.name) ?>
</div>
<?cs /def ?>
