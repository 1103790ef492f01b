<?cs # contacts/purge.cs — confirm deleting a contact from the recycle bin for good (crm_admin). ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="confirm danger">
  <h1><?cs var:Lang.Bin.PurgeTitle ?></h1>
  <p><?cs var:Lang.Bin.PurgeText ?> <strong><?cs var:Contact.first_name ?> <?cs var:Contact.last_name ?></strong><?cs if:Contact.email ?> (<?cs var:Contact.email ?>)<?cs /if ?>?</p>
  <form method="post" action="/contacts/<?cs var:Contact.id ?>/purge">
    <?cs call:csrf_field() ?>
    <p class="buttons"><button type="submit"><?cs var:Lang.Bin.PurgeConfirm ?></button> <a href="/contacts/bin"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
