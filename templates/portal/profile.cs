<?cs # portal/profile.cs — the contact's own profile: its fields, additional fields with the portal context, consents. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<?cs include:"portal/nav.cs" ?>
<section>
  <h1><?cs var:Lang.Profile.Title ?></h1>
  <?cs if:Profile.Saved ?><p class="notice" role="status" id="profile-saved"><?cs var:Lang.Profile.Saved ?></p><?cs /if ?>
  <?cs if:Form.Errors.version ?><p class="error" role="alert"><?cs var:Form.Errors.version ?></p><?cs /if ?>
  <form method="post" action="/profile">
    <?cs call:csrf_field() ?>
    <input type="hidden" name="version" value="<?cs var:Profile.version ?>">
    <p class="field"><span class="label"><?cs var:Lang.Field.email ?></span> <span id="profile-email"><?cs var:Profile.email ?></span></p>
    <?cs call:text_field("first_name", Lang.Field.first_name, Profile.first_name, "text", "") ?>
    <?cs call:text_field("last_name", Lang.Field.last_name, Profile.last_name, "text", "") ?>
    <?cs call:text_field("job_title", Lang.Field.job_title, Profile.job_title, "text", "") ?>
    <?cs call:text_field("mobile_phone", Lang.Field.mobile_phone, Profile.mobile_phone, "tel", "") ?>
    <?cs call:text_field("work_phone", Lang.Field.work_phone, Profile.work_phone, "tel", "") ?>
    <p class="field<?cs if:Form.Errors.language ?> invalid<?cs /if ?>"><label for="f-language"><?cs var:Lang.Field.language ?></label>
      <select id="f-language" name="language"><option value=""></option><option value="en"<?cs if:Profile.language == "en" ?> selected<?cs /if ?>>English</option><option value="it"<?cs if:Profile.language == "it" ?> selected<?cs /if ?>>Italiano</option><?cs if:Profile.language && Profile.language != "en" && Profile.language != "it" ?><option value="<?cs var:Profile.language ?>" selected><?cs var:Profile.language ?></option><?cs /if ?></select><?cs call:field_error("language") ?></p>
    <?cs each:f = Custom ?>
    <p class="field<?cs if:Form.Errors[f.name] ?> invalid<?cs /if ?>">
      <?cs if:f.type == "checkbox" ?>
      <label><input type="checkbox" name="<?cs var:f.name ?>" value="1"<?cs if:f.value == "1" ?> checked<?cs /if ?>> <?cs var:f.label ?></label>
      <?cs else ?>
      <label for="f-<?cs var:f.name ?>"><?cs var:f.label ?></label>
      <?cs if:f.type == "picklist" ?>
      <select id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>"><option value=""></option><?cs each:o = f.options ?><option value="<?cs var:o.key ?>"<?cs if:f.value == o.key ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?></select>
      <?cs elif:f.type == "longtext" ?>
      <textarea id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" rows="4"><?cs var:f.value ?></textarea>
      <?cs else ?>
      <input id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" type="<?cs if:f.type == "date" ?>date<?cs elif:f.type == "email" ?>email<?cs elif:f.type == "url" ?>url<?cs elif:f.type == "phone" ?>tel<?cs else ?>text<?cs /if ?>" value="<?cs var:f.value ?>">
      <?cs /if ?>
      <?cs /if ?>
      <?cs call:field_error(f.name) ?>
    </p>
    <?cs /each ?>
    <?cs if:subcount(Consents) > 0 ?>
    <fieldset class="consents"><legend><?cs var:Lang.Section.consent ?></legend>
    <?cs each:c = Consents ?>
      <p class="field"><label><input type="checkbox" name="<?cs var:c.name ?>" value="1"<?cs if:c.granted == "1" ?> checked<?cs /if ?>> <?cs var:c.title ?></label>
        <details><summary><?cs var:Lang.Profile.ConsentText ?></summary><p><?cs var:c.text ?></p></details><?cs call:field_error(c.name) ?></p>
    <?cs /each ?>
    </fieldset>
    <?cs /if ?>
    <p><button type="submit"><?cs var:Lang.Profile.Save ?></button></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
