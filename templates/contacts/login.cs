<?cs # contacts/login.cs — generate a staff login (no roles) for a contact. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="confirm">
  <h1><?cs var:Lang.Contact.LoginTitle ?></h1>
  <p><?cs var:Lang.Contact.LoginText ?> <strong><?cs var:Contact.first_name ?> <?cs var:Contact.last_name ?></strong>.</p>
  <form method="post" action="/contacts/<?cs var:Contact.id ?>/login">
    <?cs call:csrf_field() ?>
    <?cs call:text_field("email", Lang.Field.email, Login.Email, "email", "required") ?>
    <p class="buttons"><button type="submit"><?cs var:Lang.Contact.LoginSubmit ?></button> <a href="/contacts/<?cs var:Contact.id ?>"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
