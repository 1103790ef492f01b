<?cs # settings/fields_tabs.cs — tabs of the additional-field and consent pages (Settings.Tab: fields, examples, consents). ?>
<nav class="tabs" aria-label="<?cs var:Lang.Fields.Tabs ?>">
  <a href="/settings"><?cs var:Lang.Settings.Title ?></a>
  <a href="/settings/fields"<?cs if:Settings.Tab == "fields" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Fields.Title ?></a>
  <a href="/settings/fields/examples"<?cs if:Settings.Tab == "examples" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Fields.ExamplesTitle ?></a>
  <a href="/settings/consents"<?cs if:Settings.Tab == "consents" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Consents.Title ?></a>
</nav>
<?cs if:Settings.Notice ?><p class="notice" role="status"><?cs var:Settings.Notice ?></p><?cs /if ?>
<?cs if:Settings.Error ?><p class="error" role="alert"><?cs var:Settings.Error ?></p><?cs /if ?>
