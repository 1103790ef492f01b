<?cs # connections/overview.cs — customers and leads at a glance (the connections module grows from here). ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section>
  <h1><?cs var:Lang.Conn.Title ?></h1>
  <h2><?cs var:Lang.Conn.Customers ?> (<span id="customer-count"><?cs var:Conn.Customers ?></span>)</h2>
  <table class="list customers">
    <thead><tr><th scope="col"><?cs var:Lang.Conn.Name ?></th><th scope="col"><?cs var:Lang.Conn.Type ?></th><th scope="col"><?cs var:Lang.Conn.City ?></th><th scope="col"><?cs var:Lang.Conn.ContactPersons ?></th></tr></thead>
    <tbody>
    <?cs each:c = Conn.CustomerRows ?><tr><td><?cs var:c.name ?></td><td><?cs var:Lang.CustomerType[c.type] ?></td><td><?cs var:c.city ?></td><td><?cs var:c.contacts ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <h2><?cs var:Lang.Conn.Leads ?> (<span id="lead-count"><?cs var:Conn.Leads ?></span>)</h2>
  <table class="list leads">
    <thead><tr><th scope="col"><?cs var:Lang.Field.last_name ?></th><th scope="col"><?cs var:Lang.Field.first_name ?></th><th scope="col"><?cs var:Lang.Conn.Company ?></th><th scope="col"><?cs var:Lang.Field.status ?></th></tr></thead>
    <tbody>
    <?cs each:l = Conn.LeadRows ?><tr><td><?cs var:l.last_name ?></td><td><?cs var:l.first_name ?></td><td><?cs var:l.company ?></td><td><?cs var:Lang.LeadStatus[l.status] ?></td></tr><?cs /each ?>
    </tbody>
  </table>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
