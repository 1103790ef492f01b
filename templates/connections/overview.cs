<?cs # connections/overview.cs — customers and leads at a glance, with the way into each list and the connect search. ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs def:page_body() ?>
<section>
  <?cs call:conn_nav("") ?>
  <h1><?cs var:Lang.Conn.Title ?></h1>
  <form class="search" method="get" action="/connections/search" role="search">
    <label for="conn-q"><?cs var:Lang.Conn.SearchLabel ?></label>
    <input id="conn-q" name="q" type="search" maxlength="200" placeholder="<?cs var:Lang.Conn.SearchHint ?>">
    <button type="submit"><?cs var:Lang.Conn.Search ?></button>
  </form>
  <h2><a href="/connections/customers"><?cs var:Lang.Conn.Customers ?></a> (<span id="customer-count"><?cs var:Conn.Customers ?></span>) <a class="button" href="/connections/customers/new"><?cs var:Lang.Customer.New ?></a></h2>
  <table class="list customers">
    <thead><tr><th scope="col"><?cs var:Lang.Conn.Name ?></th><th scope="col"><?cs var:Lang.Conn.Type ?></th><th scope="col"><?cs var:Lang.Conn.City ?></th><th scope="col"><?cs var:Lang.Conn.ContactPersons ?></th></tr></thead>
    <tbody>
    <?cs each:c = Conn.CustomerRows ?><tr><td><a href="/connections/customers/<?cs var:c.id ?>"><?cs var:c.name ?></a></td><td><?cs var:Lang.CustomerType[c.type] ?></td><td><?cs var:c.city ?></td><td><?cs var:c.contacts ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <h2><a href="/connections/leads"><?cs var:Lang.Conn.Leads ?></a> (<span id="lead-count"><?cs var:Conn.Leads ?></span>) <a class="button" href="/connections/leads/new"><?cs var:Lang.Lead.New ?></a></h2>
  <table class="list leads">
    <thead><tr><th scope="col"><?cs var:Lang.Field.last_name ?></th><th scope="col"><?cs var:Lang.Field.first_name ?></th><th scope="col"><?cs var:Lang.Conn.Company ?></th><th scope="col"><?cs var:Lang.Field.status ?></th></tr></thead>
    <tbody>
    <?cs each:l = Conn.LeadRows ?><tr><td><a href="/connections/leads/<?cs var:l.id ?>"><?cs if:l.last_name ?><?cs var:l.last_name ?><?cs else ?>#<?cs var:l.id ?><?cs /if ?></a></td><td><?cs var:l.first_name ?></td><td><?cs var:l.company ?></td><td><?cs var:Lang.LeadStatus[l.status] ?></td></tr><?cs /each ?>
    </tbody>
  </table>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
