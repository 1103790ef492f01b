<?cs # settings/template_form.cs — edit one email template: subject and text with {{placeholders}}, errors next to the field, a preview with a sample contact. ?>
<?cs include:"macros.cs" ?>
<?cs include:"settings/tabs.cs" ?>
<?cs def:page_body() ?>
<section class="settings template-form">
  <h1><?cs var:Lang.Settings.Title ?></h1>
  <?cs call:settings_tabs() ?>
  <h2><?cs if:Lang.Settings.TmplName[Tmpl.code] ?><?cs var:Lang.Settings.TmplName[Tmpl.code] ?><?cs else ?><?cs var:Tmpl.code ?><?cs /if ?> (<?cs var:Tmpl.language ?>)</h2>
  <?cs call:settings_notice() ?>
  <div class="cards">
  <form method="post" action="/settings/email-templates/<?cs var:Tmpl.id ?>" class="card" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:text_field("subject", Lang.Settings.Subject, Form.subject, "text", "required") ?>
    <p class="field kind-textarea<?cs if:Form.Errors.body ?> invalid<?cs /if ?>">
      <label for="f-body"><?cs var:Lang.Settings.Body ?></label>
      <textarea id="f-body" name="body" rows="16"><?cs var:Form.body ?></textarea>
      <?cs call:field_error("body") ?>
    </p>
    <p class="field">
      <label for="f-contact_id"><?cs var:Lang.Settings.PreviewContact ?></label>
      <input id="f-contact_id" name="contact_id" type="number" min="1" step="1" value="<?cs var:Form.contact_id ?>">
    </p>
    <p class="buttons">
      <button type="submit" name="action" value="save"><?cs var:Lang.Settings.Save ?></button>
      <button type="submit" name="action" value="preview"><?cs var:Lang.Settings.PreviewAction ?></button>
      <a href="/settings/email-templates"><?cs var:Lang.Settings.BackToTemplates ?></a>
    </p>
  </form>
  <section class="card placeholders">
    <h3><?cs var:Lang.Settings.Placeholders ?></h3>
    <p class="hint"><?cs var:Lang.Settings.PlaceholdersText ?></p>
    <ul class="placeholders"><?cs each:p = Placeholders ?><li><code>{{<?cs var:p ?>}}</code></li><?cs /each ?></ul>
    <p class="hint"><?cs var:Lang.Settings.FallbackText ?></p>
    <?cs if:Tmpl.updated_by ?><p class="hint"><?cs var:Lang.Settings.UpdatedAt ?>: <?cs var:Tmpl.updated_at ?> · <?cs var:Tmpl.updated_by ?></p><?cs /if ?>
  </section>
  </div>
  <?cs if:Preview.Shown ?>
  <section class="card preview" id="preview">
    <h3><?cs var:Lang.Settings.Preview ?></h3>
    <p class="hint"><?cs if:Preview.Builtin == "1" ?><?cs var:Lang.Settings.PreviewBuiltin ?><?cs else ?><?cs var:Lang.Settings.PreviewFor ?> <?cs var:Preview.ContactName ?> <?cs var:Preview.ContactLast ?> (#<?cs var:Preview.ContactId ?>)<?cs /if ?></p>
    <p class="preview-subject"><strong><?cs var:Lang.Settings.Subject ?>:</strong> <span id="preview-subject"><?cs var:Preview.Subject ?></span></p>
    <pre class="preview-body" id="preview-body"><?cs var:Preview.Body ?></pre>
  </section>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
