<?cs # settings/field_delete.cs — confirm deleting an additional field for good: names it and how many contacts hold a value. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="confirm danger">
  <h1><?cs var:Lang.Fields.DeleteTitle ?></h1>
  <?cs include:"settings/fields_tabs.cs" ?>
  <p><?cs var:Lang.Fields.DeleteText ?> <strong><?cs var:Field.label ?></strong> (<code><?cs var:Field.key ?></code>)</p>
  <p class="count"><?cs var:Lang.Fields.ValuesHeld ?>: <strong id="values"><?cs var:Field.values ?></strong></p>
  <?cs if:Field.active == "1" ?>
  <p class="error" role="alert"><?cs var:Lang.Valid.FieldActive ?></p>
  <?cs else ?>
  <p class="error"><?cs var:Lang.Fields.DeleteWarning ?></p>
  <form method="post" action="/settings/fields/<?cs var:Field.id ?>/delete">
    <?cs call:csrf_field() ?>
    <input type="hidden" name="confirm" value="<?cs var:Field.key ?>">
    <?cs call:field_error("confirm") ?>
    <p class="buttons"><button type="submit"><?cs var:Lang.Fields.DeleteConfirm ?></button> <a href="/settings/fields"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
