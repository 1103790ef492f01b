<?cs # connections/customer_list.cs — customers: word search, type filter, sort, keyset pager. ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs def:page_body() ?>
<section class="list-page">
  <?cs call:conn_nav("customer") ?>
  <h1><?cs var:Lang.Customer.ListTitle ?> <a class="button" href="/connections/customers/new"><?cs var:Lang.Customer.New ?></a></h1>
  <?cs if:List.Deleted ?><p class="notice" role="status"><?cs var:Lang.Conn.Deleted ?></p><?cs /if ?>
  <?cs call:list_search("/connections/customers", "type", Lang.CustomerType, Lang.Field.type) ?>
  <?cs if:List.Shown > 0 ?>
  <table class="list customers">
    <thead><tr><th scope="col"><?cs var:Lang.Field.name ?></th><th scope="col"><?cs var:Lang.Field.type ?></th><th scope="col"><?cs var:Lang.Field.city ?></th><th scope="col"><?cs var:Lang.Field.email ?></th><th scope="col"><?cs var:Lang.Field.phone ?></th><th scope="col"><?cs var:Lang.Customer.Contacts ?></th><th scope="col"><?cs var:Lang.Conn.Actions ?></th></tr></thead>
    <tbody>
    <?cs each:c = List.Rows ?><tr<?cs if:c.active == "0" ?> class="inactive"<?cs /if ?>>
      <td><a href="/connections/customers/<?cs var:c.id ?>"><?cs var:c.name ?></a></td>
      <td><?cs var:Lang.CustomerType[c.type] ?></td><td><?cs var:c.city ?></td><td><?cs var:c.email ?></td><td><?cs var:c.phone ?></td>
      <td><a href="/connections/customers/<?cs var:c.id ?>?tab=contacts"><?cs var:c.contacts ?></a></td>
      <td class="row-menu"><a href="/connections/customers/<?cs var:c.id ?>"><?cs var:Lang.Conn.Open ?></a> <a href="/connections/customers/<?cs var:c.id ?>/edit"><?cs var:Lang.Conn.Edit ?></a><?cs if:User.Manage ?> <a href="/connections/customers/<?cs var:c.id ?>/delete"><?cs var:Lang.Conn.Delete ?></a><?cs /if ?></td>
    </tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Customer.None ?></p><?cs /if ?>
  <?cs call:pager(List.Next, List.Paged, List.First) ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
