<?cs # settings/users.cs — staff users with their roles, state and last activity (crm_admin). ?>
<?cs include:"macros.cs" ?>
<?cs include:"settings/tabs.cs" ?>
<?cs def:page_body() ?>
<section class="settings">
  <h1><?cs var:Lang.Settings.Title ?></h1>
  <?cs call:settings_tabs() ?>
  <h2><?cs var:Lang.Settings.Users ?> (<span id="user-count"><?cs var:UserCount ?></span>) <a class="button" href="/settings/users/new"><?cs var:Lang.Settings.NewUser ?></a></h2>
  <table class="list users">
    <thead><tr><th scope="col"><?cs var:Lang.Login.Login ?></th><th scope="col"><?cs var:Lang.Settings.Name ?></th><th scope="col"><?cs var:Lang.Field.email ?></th><th scope="col"><?cs var:Lang.Field.language ?></th><th scope="col"><?cs var:Lang.Settings.Roles ?></th><th scope="col"><?cs var:Lang.Settings.Active ?></th><th scope="col"><?cs var:Lang.Settings.LastSeen ?></th></tr></thead>
    <tbody>
    <?cs each:u = Users ?><tr<?cs if:u.active != "1" ?> class="inactive"<?cs /if ?>><td><a href="/settings/users/<?cs var:u.id ?>"><?cs var:u.login ?></a></td><td><?cs var:u.name ?></td><td><?cs var:u.email ?></td><td><?cs var:u.language ?></td><td><?cs if:u.roles ?><?cs var:u.roles ?><?cs else ?><span class="empty"><?cs var:Lang.Settings.NoRole ?></span><?cs /if ?></td><td><?cs if:u.active == "1" ?><?cs var:Lang.Yes ?><?cs else ?><?cs var:Lang.No ?><?cs /if ?></td><td><?cs var:u.last_seen ?></td></tr><?cs /each ?>
    </tbody>
  </table>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
