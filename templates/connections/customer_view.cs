<?cs # connections/customer_view.cs — a customer's profile: tabs Details, Contact persons, History (links, no JavaScript needed). ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs include:"connections/parts.cs" ?>
<?cs def:page_body() ?>
<section class="record customer">
  <?cs call:conn_nav("customer") ?>
  <h1><?cs var:Record.name ?> <small><?cs var:Lang.CustomerType[Record.type] ?></small></h1>
  <?cs if:Record.deleted_at ?><p class="notice"><?cs var:Lang.Conn.InBin ?></p><?cs /if ?>
  <p class="actions">
    <a class="button" href="/connections/customers/<?cs var:Record.id ?>/edit"><?cs var:Lang.Conn.Edit ?></a>
    <a class="button" href="/contacts/new?customer_id=<?cs var:Record.id ?>"><?cs var:Lang.Customer.NewContact ?></a>
    <?cs if:Perm.Manage ?><a class="button danger" href="/connections/customers/<?cs var:Record.id ?>/delete"><?cs var:Lang.Conn.Delete ?></a><?cs /if ?>
  </p>
  <nav class="tabs" aria-label="<?cs var:Lang.Customer.ViewTitle ?>">
    <a href="/connections/customers/<?cs var:Record.id ?>"<?cs if:Tab == "details" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Customer.TabDetails ?></a>
    <a href="/connections/customers/<?cs var:Record.id ?>?tab=contacts" id="tab-contacts"<?cs if:Tab == "contacts" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Customer.TabContacts ?> (<?cs var:ContactCount ?>)</a>
    <a href="/connections/customers/<?cs var:Record.id ?>?tab=documents" id="tab-documents"<?cs if:Tab == "documents" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Document.Title ?> (<?cs var:subcount(Documents) ?>)</a>
    <a href="/connections/customers/<?cs var:Record.id ?>?tab=history"<?cs if:Tab == "history" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Customer.TabHistory ?></a>
  </nav>
  <?cs if:Tab == "contacts" ?>
  <section class="card" id="contacts">
    <h2><?cs var:Lang.Customer.TabContacts ?></h2>
    <?cs call:record_contacts(ReturnTo) ?>
    <p><a href="/contacts?customer_id=<?cs var:Record.id ?>&amp;active=all"><?cs var:Lang.Customer.AllContacts ?></a></p>
  </section>
  <?cs elif:Tab == "documents" ?>
  <section class="card" id="documents">
    <h2><?cs var:Lang.Document.Title ?></h2>
    <p class="hint"><?cs var:Lang.Document.CustomerHint ?></p>
    <?cs if:subcount(Documents) > 0 ?><ul class="documents"><?cs each:d = Documents ?><li><a href="/contacts/documents/<?cs var:d.id ?>" download><?cs var:d.name ?></a> (<?cs var:d.kind ?>, <?cs var:d.size ?>)
      <?cs if:d.shared == "1" ?><em class="shared"><?cs var:Lang.Document.SharedWithCustomer ?></em><?cs /if ?>
      <form method="post" action="/contacts/documents/<?cs var:d.id ?>/share" class="inline"><?cs call:csrf_field() ?><input type="hidden" name="customer_id" value="<?cs var:Record.id ?>"><input type="hidden" name="share" value="<?cs if:d.shared == "1" ?>0<?cs else ?>1<?cs /if ?>"><button type="submit"><?cs if:d.shared == "1" ?><?cs var:Lang.Document.Unshare ?><?cs else ?><?cs var:Lang.Document.ShareCustomer ?><?cs /if ?></button></form></li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Document.Empty ?></p><?cs /if ?>
    <form method="post" action="/contacts/documents" enctype="multipart/form-data" class="upload">
      <?cs call:csrf_field() ?>
      <input type="hidden" name="customer_id" value="<?cs var:Record.id ?>">
      <label for="doc-file"><?cs var:Lang.Document.Upload ?></label> <input id="doc-file" name="file" type="file" required>
      <label><input type="checkbox" name="share" value="1" checked> <?cs var:Lang.Document.ShareCustomer ?></label>
      <button type="submit"><?cs var:Lang.Document.Send ?></button>
    </form>
  </section>
  <?cs elif:Tab == "history" ?>
  <section class="card" id="history"><h2><?cs var:Lang.Customer.TabHistory ?></h2><?cs call:record_history() ?></section>
  <?cs else ?>
  <section class="card" id="details">
    <?cs call:record_fields(Names) ?>
  </section>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
