<?cs # settings/history.cs — the admin history: every settings change with who made it, newest first. ?>
<?cs include:"macros.cs" ?>
<?cs include:"settings/tabs.cs" ?>
<?cs def:page_body() ?>
<section class="settings history">
  <h1><?cs var:Lang.Settings.Title ?></h1>
  <?cs call:settings_tabs() ?>
  <h2><?cs var:Lang.Settings.History ?></h2>
  <?cs if:History.Shown > 0 ?>
  <table class="list admin-history">
    <thead><tr><th scope="col"><?cs var:Lang.Settings.At ?></th><th scope="col"><?cs var:Lang.Settings.Actor ?></th><th scope="col"><?cs var:Lang.Settings.Area ?></th><th scope="col"><?cs var:Lang.Settings.Action ?></th><th scope="col"><?cs var:Lang.Settings.Target ?></th><th scope="col"><?cs var:Lang.Settings.Details ?></th></tr></thead>
    <tbody>
    <?cs each:h = History.Rows ?><tr id="h-<?cs var:h.id ?>"><td><?cs var:h.at ?></td><td class="actor"><?cs var:h.actor ?></td><td><?cs if:Lang.Settings.AreaName[h.area] ?><?cs var:Lang.Settings.AreaName[h.area] ?><?cs else ?><?cs var:h.area ?><?cs /if ?></td><td class="action" data-action="<?cs var:h.action ?>"><?cs if:Lang.Settings.ActionName[h.action] ?><?cs var:Lang.Settings.ActionName[h.action] ?><?cs else ?><?cs var:h.action ?><?cs /if ?></td><td class="target"><?cs var:h.target ?></td><td class="details"><?cs var:h.details ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Settings.NoHistory ?></p><?cs /if ?>
  <?cs call:pager(History.Next, History.Paged, "/settings/history") ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
