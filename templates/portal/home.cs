<?cs # portal/home.cs — the signed-in contact's start page (tickets, documents and profile come with the portal module). ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section>
  <h1><?cs var:Lang.Portal.Welcome ?>, <?cs var:User.Name ?></h1>
  <p><?cs var:Lang.Portal.HomeIntro ?></p>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
