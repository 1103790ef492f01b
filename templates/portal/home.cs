<?cs # portal/home.cs — the signed-in contact's start page. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<?cs include:"portal/nav.cs" ?>
<section>
  <h1><?cs var:Lang.Portal.Welcome ?>, <?cs var:User.Name ?></h1>
  <p><?cs var:Lang.Portal.HomeIntro ?></p>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
