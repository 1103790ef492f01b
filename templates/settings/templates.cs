<?cs # settings/templates.cs — the email templates: one row per code and language. ?>
<?cs include:"macros.cs" ?>
<?cs include:"settings/tabs.cs" ?>
<?cs def:page_body() ?>
<section class="settings">
  <h1><?cs var:Lang.Settings.Title ?></h1>
  <?cs call:settings_tabs() ?>
  <h2><?cs var:Lang.Settings.Templates ?></h2>
  <p class="hint"><?cs var:Lang.Settings.TemplatesText ?></p>
  <table class="list templates">
    <thead><tr><th scope="col"><?cs var:Lang.Settings.Template ?></th><th scope="col"><?cs var:Lang.Field.language ?></th><th scope="col"><?cs var:Lang.Settings.Subject ?></th><th scope="col"><?cs var:Lang.Settings.UpdatedAt ?></th><th scope="col"><?cs var:Lang.Settings.UpdatedBy ?></th></tr></thead>
    <tbody>
    <?cs each:t = Templates ?><tr><td><a href="/settings/email-templates/<?cs var:t.id ?>"><?cs if:Lang.Settings.TmplName[t.code] ?><?cs var:Lang.Settings.TmplName[t.code] ?><?cs else ?><?cs var:t.code ?><?cs /if ?></a> <code><?cs var:t.code ?></code></td><td><?cs var:t.language ?></td><td><?cs var:t.subject ?></td><td><?cs var:t.updated_at ?></td><td><?cs var:t.updated_by ?></td></tr><?cs /each ?>
    </tbody>
  </table>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
