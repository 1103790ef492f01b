<?cs # contacts/delete.cs — confirm moving a contact to the recycle bin. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="confirm">
  <h1><?cs var:Lang.Contact.DeleteTitle ?></h1>
  <p><?cs var:Lang.Contact.DeleteText ?> <strong><?cs var:Contact.first_name ?> <?cs var:Contact.last_name ?></strong><?cs if:Contact.email ?> (<?cs var:Contact.email ?>)<?cs /if ?>?</p>
  <form method="post" action="/contacts/<?cs var:Contact.id ?>/delete">
    <?cs call:csrf_field() ?>
    <p class="buttons"><button type="submit"><?cs var:Lang.Contact.DeleteConfirm ?></button> <a href="/contacts/<?cs var:Contact.id ?>"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
