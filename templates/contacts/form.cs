<?cs # contacts/form.cs — create or edit a contact, in the sections of SPEC §2; errors next to each field, input kept. ?>
<?cs include:"macros.cs" ?>
<?cs include:"contacts/extras.cs" ?>
<?cs def:form_section(sec) ?>
<fieldset class="section section-<?cs var:sec ?>">
  <legend><?cs var:Lang.Section[sec] ?></legend>
  <?cs each:f = Form.Fields ?><?cs if:f.section == sec ?><?cs call:contact_field(f) ?><?cs /if ?><?cs /each ?>
</fieldset>
<?cs /def ?>
<?cs def:page_body() ?>
<section class="contact-form">
  <h1><?cs var:Page.Title ?></h1>
  <?cs if:Form.Saved ?><p class="notice" role="status"><?cs var:Form.Saved ?></p><?cs /if ?>
  <?cs if:Form.ErrorCount ?><p class="error" role="alert"><?cs var:Lang.Contact.FixErrors ?></p><?cs /if ?>
  <form method="post" action="/contacts<?cs if:Form.Id ?>/<?cs var:Form.Id ?><?cs /if ?>" novalidate>
    <?cs call:csrf_field() ?>
    <?cs if:Form.Id ?><input type="hidden" name="version" value="<?cs var:Form.Version ?>"><?cs /if ?>
    <?cs if:subcount(Form.Duplicates) > 0 ?>
    <section class="duplicates notice" id="duplicates" role="alert">
      <h2><?cs var:Lang.Dupe.FormTitle ?></h2>
      <p><?cs var:Lang.Dupe.FormText ?></p>
      <ul><?cs each:d = Form.Duplicates ?>
        <li><a href="/contacts/<?cs var:d.id ?>"><?cs var:d.first_name ?> <?cs var:d.last_name ?></a> <?cs var:d.email ?> <?cs var:d.mobile_phone ?> <?cs var:d.work_phone ?></li>
      <?cs /each ?></ul>
    </section>
    <?cs /if ?>
    <?cs call:form_section("master") ?>
    <?cs call:form_section("channels") ?>
    <?cs call:form_section("working") ?>
    <?cs call:form_section("prefs") ?>
    <?cs call:form_section("portal") ?>
    <?cs call:form_section("user") ?>
    <?cs call:form_section("other") ?>
    <fieldset class="section section-custom"><legend><?cs var:Lang.Section.custom ?></legend>
      <?cs each:f = Form.Custom ?><?cs call:custom_field(f) ?><?cs /each ?>
      <?cs if:subcount(Form.Custom) == 0 ?><p class="empty"><?cs var:Lang.Contact.NoCustom ?></p><?cs /if ?>
    </fieldset>
    <fieldset class="section section-consent"><legend><?cs var:Lang.Section.consent ?></legend>
      <?cs each:c = Form.Consents ?><?cs call:consent_field(c) ?><?cs /each ?>
      <?cs if:subcount(Form.Consents) == 0 ?><p class="empty"><?cs var:Lang.Contact.NoConsents ?></p><?cs /if ?>
    </fieldset>

    <fieldset class="section section-connections" id="connections">
      <legend><?cs var:Lang.Contact.Connections ?></legend>
      <?cs if:Form.Id ?>
      <?cs if:subcount(Connections) > 0 ?><ul class="connections"><?cs each:c = Connections ?><li><?cs if:c.customer_id ?><?cs var:Lang.Conn.Customer ?>: <?cs var:c.customer ?><?cs else ?><?cs var:Lang.Conn.Lead ?>: <?cs var:c.lead ?><?cs /if ?><?cs if:c.primary == "1" ?> <em><?cs var:Lang.Conn.Primary ?></em><?cs /if ?></li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Contact.NoConnections ?></p><?cs /if ?>
      <p><a href="/connections/search?contact_id=<?cs var:Form.Id ?>"><?cs var:Lang.Contact.ConnectAction ?></a></p>
      <?cs elif:Form.CustomerId ?>
      <input type="hidden" name="customer_id" value="<?cs var:Form.CustomerId ?>">
      <p class="will-connect"><?cs var:Lang.Contact.WillConnect ?> <strong><?cs var:Form.CustomerName ?></strong></p>
      <?cs else ?>
      <p class="empty"><?cs var:Lang.Contact.ConnectAfterSave ?></p>
      <?cs /if ?>
      <?cs call:field_error("customer_id") ?>
    </fieldset>
    <p class="buttons">
      <button type="submit" name="action" value="save"><?cs var:Lang.Contact.Save ?></button>
      <button type="submit" name="action" value="save_exit"><?cs var:Lang.Contact.SaveExit ?></button>
      <?cs if:subcount(Form.Duplicates) > 0 ?><button type="submit" name="create_anyway" value="1" id="save-anyway"><?cs var:Lang.Dupe.SaveAnyway ?></button><?cs /if ?>
      <a href="<?cs if:Form.Id ?>/contacts/<?cs var:Form.Id ?><?cs else ?>/contacts<?cs /if ?>"><?cs var:Lang.Contact.Cancel ?></a>
    </p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
