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
