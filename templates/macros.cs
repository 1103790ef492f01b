<?cs # macros.cs — repeated widgets: form field with label and error, csrf field, pagination. ?>
<?cs def:csrf_field() ?><input type="hidden" name="csrf_token" value="<?cs var:CSRF ?>"><?cs /def ?>
<?cs def:field_error(name) ?><?cs if:Form.Errors[name] ?><span class="field-error" id="err-<?cs var:name ?>"><?cs var:Form.Errors[name] ?></span><?cs /if ?><?cs /def ?>
<?cs def:text_field(name, label, value, type, extra) ?>
<p class="field<?cs if:Form.Errors[name] ?> invalid<?cs /if ?>">
  <label for="f-<?cs var:name ?>"><?cs var:label ?></label>
  <input id="f-<?cs var:name ?>" name="<?cs var:name ?>" type="<?cs var:type ?>" value="<?cs var:value ?>" <?cs if:extra == "required" ?>required<?cs elif:extra == "autofocus" ?>required autofocus<?cs /if ?>>
  <?cs call:field_error(name) ?>
</p>
<?cs /def ?>
<?cs def:pager(next, paged, first_href) ?>
<nav class="pager">
  <?cs if:paged ?><a href="<?cs var:first_href ?>"><?cs var:Lang.List.First ?></a><?cs /if ?>
  <?cs if:next ?><a rel="next" href="<?cs var:next ?>"><?cs var:Lang.List.Next ?></a><?cs /if ?>
</nav>
<?cs /def ?>
<?cs def:choice_label(name, value) ?><?cs if:Lang.Choice[name + "." + value] ?><?cs var:Lang.Choice[name + "." + value] ?><?cs else ?><?cs var:value ?><?cs /if ?><?cs /def ?>
<?cs def:contact_field(f) ?>
<p class="field kind-<?cs var:f.kind ?><?cs if:Form.Errors[f.name] ?> invalid<?cs /if ?>">
  <?cs if:f.kind == "checkbox" ?>
  <label for="f-<?cs var:f.name ?>"><input type="checkbox" id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" value="1"<?cs if:f.value == "1" ?> checked<?cs /if ?>> <?cs var:Lang.Field[f.name] ?></label>
  <?cs else ?>
  <label for="f-<?cs var:f.name ?>"><?cs var:Lang.Field[f.name] ?></label>
  <?cs if:f.kind == "select" ?>
  <select id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>">
    <option value=""></option>
    <?cs each:o = f.options ?><option value="<?cs var:o ?>"<?cs if:o == f.value ?> selected<?cs /if ?>><?cs call:choice_label(f.name, o) ?></option><?cs /each ?>
  </select>
  <?cs elif:f.kind == "textarea" ?>
  <textarea id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" rows="4"><?cs var:f.value ?></textarea>
  <?cs else ?>
  <?cs if:f.name == "reports_to_id" && Form.ManagerCount > 0 ?>
  <label class="keep"><input type="radio" name="reports_to_id" value="<?cs var:f.value ?>" checked> <?cs var:Lang.Contact.KeepManager ?><?cs if:f.value ?> (#<?cs var:f.value ?>)<?cs /if ?></label>
  <?cs else ?>
  <input id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" type="<?cs var:f.kind ?>" value="<?cs var:f.value ?>"<?cs if:f.kind == "number" ?> min="1" step="1"<?cs /if ?>>
  <?cs /if ?>

  <?cs /if ?>
  <?cs /if ?>
  <?cs call:field_error(f.name) ?>
  <?cs if:f.name == "reports_to_id" ?>
  <span class="picker">
    <label for="f-reports_to_query" class="visually-hidden"><?cs var:Lang.Contact.FindManager ?></label>
    <input id="f-reports_to_query" name="reports_to_query" type="search" value="<?cs var:Form.ManagerQuery ?>" placeholder="<?cs var:Lang.Contact.FindManagerHint ?>">
    <button type="submit" name="action" value="find_manager" formnovalidate><?cs var:Lang.Contact.FindManager ?></button>
  </span>
  <?cs if:Form.ManagerSearched ?>
  <span class="choices" role="group" aria-label="<?cs var:Lang.Field.reports_to_id ?>">
    <?cs if:Form.ManagerCount > 0 ?>
    <?cs each:m = Form.Managers ?><label><input type="radio" name="reports_to_id" value="<?cs var:m.id ?>"> <?cs var:m.first_name ?> <?cs var:m.last_name ?><?cs if:m.job_title ?> · <?cs var:m.job_title ?><?cs /if ?><?cs if:m.email ?> · <?cs var:m.email ?><?cs /if ?> (#<?cs var:m.id ?>)</label><?cs /each ?>
    <?cs else ?><span class="empty"><?cs var:Lang.List.Empty ?></span><?cs /if ?>
  </span>
  <?cs /if ?>
  <?cs /if ?>
</p>
<?cs /def ?>
<?cs def:field_value(name, value) ?><?cs if:value == "" ?><span class="empty">—</span><?cs elif:Lang.Choice[name + "." + value] ?><?cs var:Lang.Choice[name + "." + value] ?><?cs else ?><?cs var:value ?><?cs /if ?><?cs /def ?>
