<?cs # contacts/anonymize.cs — confirm the irreversible GDPR anonymization, naming the contact. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="confirm danger">
  <h1><?cs var:Lang.Contact.AnonymizeTitle ?></h1>
  <p><?cs var:Lang.Contact.AnonymizeText ?> <strong><?cs var:Contact.first_name ?> <?cs var:Contact.last_name ?></strong><?cs if:Contact.email ?> (<?cs var:Contact.email ?>)<?cs /if ?>.</p>
  <p class="error"><?cs var:Lang.Contact.AnonymizeWarning ?></p>
  <form method="post" action="/contacts/<?cs var:Contact.id ?>/anonymize">
    <?cs call:csrf_field() ?>
    <p class="buttons"><button type="submit"><?cs var:Lang.Contact.AnonymizeConfirm ?></button> <a href="/contacts/<?cs var:Contact.id ?>"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
