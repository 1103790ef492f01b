<?cs # settings/consent_form.cs — create or edit a consent; a changed text (en or it) becomes a new version, old versions are listed. ?>
<?cs include:"macros.cs" ?>
<?cs def:area(name, label, value) ?><p class="field<?cs if:Form.Errors[name] ?> invalid<?cs /if ?>"><label for="f-<?cs var:name ?>"><?cs var:label ?></label><textarea id="f-<?cs var:name ?>" name="<?cs var:name ?>" rows="6"><?cs var:value ?></textarea><?cs call:field_error(name) ?></p><?cs /def ?>
<?cs def:page_body() ?>
<section class="settings-consent-form">
  <h1><?cs var:Page.Title ?></h1>
  <?cs include:"settings/fields_tabs.cs" ?>
  <?cs if:Form.ErrorCount ?><p class="error" role="alert"><?cs var:Lang.Contact.FixErrors ?></p><?cs /if ?>
  <form method="post" action="/settings/consents<?cs if:Form.Id ?>/<?cs var:Form.Id ?><?cs /if ?>" novalidate>
    <?cs call:csrf_field() ?>
    <?cs if:Form.Id ?>
    <p class="field"><span class="label"><?cs var:Lang.Consents.Code ?></span> <code><?cs var:Form.code ?></code> · <?cs var:Lang.Consents.Version ?> <span id="version"><?cs var:Form.version ?></span> · <?cs var:Lang.Consents.Grants ?>: <?cs var:Form.grants ?></p>
    <p class="hint"><?cs var:Lang.Consents.VersionHint ?></p>
    <?cs else ?>
    <p class="field<?cs if:Form.Errors.code ?> invalid<?cs /if ?>"><label for="f-code"><?cs var:Lang.Consents.Code ?></label>
      <input id="f-code" name="code" value="<?cs var:Form.code ?>" maxlength="50" aria-describedby="code-hint"><span class="hint" id="code-hint"><?cs var:Lang.Fields.KeyHint ?></span><?cs call:field_error("code") ?></p>
    <?cs /if ?>
    <?cs call:text_field("title_en", Lang.Consents.TitleEn, Form.title_en, "text", "") ?>
    <?cs call:text_field("title_it", Lang.Consents.TitleIt, Form.title_it, "text", "") ?>
    <?cs call:area("text_en", Lang.Consents.TextEn, Form.text_en) ?>
    <?cs call:area("text_it", Lang.Consents.TextIt, Form.text_it) ?>
    <?cs call:text_field("sort_order", Lang.Fields.Order, Form.sort_order, "number", "") ?>
    <p class="field kind-checkbox"><label for="f-active"><input type="checkbox" id="f-active" name="active" value="1"<?cs if:Form.active == "1" ?> checked<?cs /if ?>> <?cs var:Lang.Fields.Active ?></label></p>
    <p class="buttons"><button type="submit"><?cs var:Lang.Contact.Save ?></button> <a href="/settings/consents"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
  <?cs if:subcount(Versions) > 0 ?>
  <h2><?cs var:Lang.Consents.Versions ?></h2>
  <ol class="versions">
  <?cs each:v = Versions ?><li class="consent-version-<?cs var:v.version ?>"><?cs var:Lang.Consents.Version ?> <?cs var:v.version ?> · <time><?cs var:v.at ?></time><?cs if:v.by ?> · <?cs var:v.by ?><?cs /if ?>
    <details><summary><?cs var:Lang.Consents.ShowText ?></summary><div class="text"><?cs var:v.text_en ?></div><?cs if:v.text_it ?><div class="text" lang="it"><?cs var:v.text_it ?></div><?cs /if ?></details></li><?cs /each ?>
  </ol>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
