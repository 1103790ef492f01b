<?cs # settings/tabs.cs — the settings sub-navigation: one tab per settings page; Settings.Tab names the current one. ?>
<?cs def:settings_tab(tab, href, label) ?><a href="<?cs var:href ?>"<?cs if:Settings.Tab == tab ?> aria-current="page"<?cs /if ?>><?cs var:label ?></a><?cs /def ?>
<?cs def:settings_tabs() ?>
<nav class="tabs settings-tabs" aria-label="<?cs var:Lang.Settings.Title ?>">
  <?cs call:settings_tab("users", "/settings/users", Lang.Settings.Tab.Users) ?>
  <?cs call:settings_tab("fields", "/settings/fields", Lang.Settings.Tab.Fields) ?>
  <?cs call:settings_tab("consents", "/settings/consents", Lang.Settings.Tab.Consents) ?>
  <?cs call:settings_tab("templates", "/settings/email-templates", Lang.Settings.Tab.Templates) ?>
  <?cs call:settings_tab("rules", "/settings/rules", Lang.Settings.Tab.Rules) ?>
  <?cs call:settings_tab("outbox", "/settings/outbox", Lang.Settings.Tab.Outbox) ?>
  <?cs call:settings_tab("history", "/settings/history", Lang.Settings.Tab.History) ?>
</nav>
<?cs /def ?>
<?cs def:settings_notice() ?>
<?cs if:Notice ?><p class="notice" role="status"><?cs var:Notice ?></p><?cs /if ?>
<?cs if:Form.ErrorCount ?><p class="error" role="alert"><?cs var:Lang.Settings.FixErrors ?></p><?cs /if ?>
<?cs /def ?>
