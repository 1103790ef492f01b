<?cs # settings/overview.cs — staff users and their roles (crm_admin only). ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section>
  <h1><?cs var:Lang.Settings.Title ?></h1>
  <p class="settings-links"><a href="/settings/fields"><?cs var:Lang.Fields.Title ?></a> · <a href="/settings/consents"><?cs var:Lang.Consents.Title ?></a></p>
  <h2><?cs var:Lang.Settings.Users ?></h2>
  <table class="list users">
    <thead><tr><th scope="col"><?cs var:Lang.Login.Login ?></th><th scope="col"><?cs var:Lang.Settings.Name ?></th><th scope="col"><?cs var:Lang.Field.email ?></th><th scope="col"><?cs var:Lang.Settings.Roles ?></th><th scope="col"><?cs var:Lang.Settings.Active ?></th><th scope="col"><?cs var:Lang.Settings.LastSeen ?></th></tr></thead>
    <tbody>
    <?cs each:u = Settings.Users ?><tr><td><?cs var:u.login ?></td><td><?cs var:u.name ?></td><td><?cs var:u.email ?></td><td><?cs if:u.roles ?><?cs var:u.roles ?><?cs else ?><?cs var:Lang.Settings.NoRole ?><?cs /if ?></td><td><?cs if:u.active == "1" ?><?cs var:Lang.Yes ?><?cs else ?><?cs var:Lang.No ?><?cs /if ?></td><td><?cs var:u.last_seen ?></td></tr><?cs /each ?>
    </tbody>
  </table>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
