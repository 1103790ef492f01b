<?cs # contacts/merge_pick.cs — "Merge with…": the id of the contact to merge into this one. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="merge-pick">
  <h1><?cs var:Lang.Merge.Title ?></h1>
  <p><?cs var:Lang.Merge.PickText ?> <strong><?cs var:Contact.first_name ?> <?cs var:Contact.last_name ?></strong><?cs if:Contact.email ?> (<?cs var:Contact.email ?>)<?cs /if ?>.</p>
  <form method="get" action="/contacts/<?cs var:Contact.id ?>/merge">
    <p class="field<?cs if:Form.Errors.other ?> invalid<?cs /if ?>"><label for="f-other"><?cs var:Lang.Merge.OtherId ?></label>
    <input id="f-other" name="other" type="number" min="1" step="1" required>
    <?cs call:field_error("other") ?></p>
    <p class="help"><a href="/contacts/duplicates"><?cs var:Lang.Merge.SeeDuplicates ?></a></p>
    <p class="buttons"><button type="submit"><?cs var:Lang.Merge.Compare ?></button> <a href="/contacts/<?cs var:Contact.id ?>"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
