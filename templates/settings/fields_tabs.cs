<?cs # settings/fields_tabs.cs — the settings tabs on the additional-field and consent pages, with the fields' own sub-tabs (list, examples). ?>
<?cs include:"settings/tabs.cs" ?>
<?cs call:settings_tabs() ?>
<?cs if:Settings.Tab == "fields" || Settings.Tab == "examples" ?>
<nav class="tabs subtabs" aria-label="<?cs var:Lang.Fields.Tabs ?>">
  <a href="/settings/fields"<?cs if:Settings.Tab == "fields" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Fields.Title ?></a>
  <a href="/settings/fields/examples"<?cs if:Settings.Tab == "examples" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Fields.ExamplesTitle ?></a>
</nav>
<?cs /if ?>
<?cs if:Settings.Notice ?><p class="notice" role="status"><?cs var:Settings.Notice ?></p><?cs /if ?>
<?cs if:Settings.Error ?><p class="error" role="alert"><?cs var:Settings.Error ?></p><?cs /if ?>
