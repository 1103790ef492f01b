<?cs # connections/lead_view.cs — a lead: its fields, conversion state, connected contacts, history. ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs include:"connections/parts.cs" ?>
<?cs def:page_body() ?>
<section class="record lead">
  <?cs call:conn_nav("lead") ?>
  <h1><?cs if:Record.anonymized_at ?><?cs var:Lang.Lead.Anonymized ?> #<?cs var:Record.id ?><?cs else ?><?cs var:Record.first_name ?> <?cs var:Record.last_name ?><?cs if:Record.company ?> · <?cs var:Record.company ?><?cs /if ?><?cs /if ?> <small><?cs var:Lang.LeadStatus[Record.status] ?></small></h1>
  <?cs if:Notice ?><p class="notice" role="status"><?cs var:Notice ?></p><?cs /if ?>
  <?cs if:Record.converted_contact_id ?><p class="notice" id="converted"><?cs var:Lang.Lead.ConvertedInto ?> <a href="/contacts/<?cs var:Record.converted_contact_id ?>">#<?cs var:Record.converted_contact_id ?></a><?cs if:Record.converted_customer_id ?> · <a href="/connections/customers/<?cs var:Record.converted_customer_id ?>"><?cs var:Lang.Field.customer ?> #<?cs var:Record.converted_customer_id ?></a><?cs /if ?></p><?cs /if ?>
  <?cs if:!Record.anonymized_at ?>
  <p class="actions">
    <a class="button" href="/connections/leads/<?cs var:Record.id ?>/edit"><?cs var:Lang.Conn.Edit ?></a>
    <?cs if:Record.status != "converted" ?><a class="button primary" href="/connections/leads/<?cs var:Record.id ?>/convert"><?cs var:Lang.Lead.Convert ?></a><?cs /if ?>
    <?cs if:Perm.Manage ?><a class="button danger" href="/connections/leads/<?cs var:Record.id ?>/delete"><?cs var:Lang.Conn.Delete ?></a>
    <a class="button danger" href="/connections/leads/<?cs var:Record.id ?>/anonymize"><?cs var:Lang.Lead.Anonymize ?></a><?cs /if ?>
  </p>
  <?cs /if ?>
  <section class="card" id="details"><?cs call:record_fields(Names) ?></section>
  <section class="card" id="contacts"><h2><?cs var:Lang.Lead.Contacts ?></h2><?cs call:record_contacts(ReturnTo) ?></section>
  <section class="card" id="history"><h2><?cs var:Lang.Customer.TabHistory ?></h2><?cs call:record_history() ?></section>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
