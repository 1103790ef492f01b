<?cs # connections/search.cs — connect a contact: one search over leads and customers, two tabs with counts, CONNECT per result. ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs def:tab_link(tab, label, count) ?><a role="tab" id="tab-<?cs var:tab ?>" href="/connections/search?<?cs if:Contact.id ?>contact_id=<?cs var:Contact.id ?>&amp;<?cs /if ?>q=<?cs var:url_escape(Search.Q) ?>&amp;tab=<?cs var:tab ?>" aria-selected="<?cs if:Search.Tab == tab ?>true<?cs else ?>false<?cs /if ?>"<?cs if:Search.Tab == tab ?> aria-current="page"<?cs /if ?>><?cs var:label ?> (<span class="count"><?cs var:count ?></span>)</a><?cs /def ?>
<?cs def:connect_button(target, id, connected) ?>
<?cs if:connected == "1" ?><span class="connected"><?cs var:Lang.Conn.Connected ?></span>
<?cs elif:Contact.id ?><form method="post" action="/connections/connect" class="inline"><?cs call:csrf_field() ?><input type="hidden" name="contact_id" value="<?cs var:Contact.id ?>"><input type="hidden" name="target" value="<?cs var:target ?>"><input type="hidden" name="target_id" value="<?cs var:id ?>"><button type="submit" name="connect" value="<?cs var:target ?>-<?cs var:id ?>"><?cs var:Lang.Conn.Connect ?></button></form><?cs /if ?>
<?cs /def ?>
<?cs def:page_body() ?>
<section class="connect-search">
  <?cs call:conn_nav("") ?>
  <?cs if:Contact.id ?>
  <h1><?cs var:Lang.Conn.ConnectionsOf ?> <a href="/contacts/<?cs var:Contact.id ?>"><?cs var:Contact.first_name ?> <?cs var:Contact.last_name ?></a> <small class="status-<?cs var:Contact.status ?>"><?cs var:Lang.Status[Contact.status] ?></small></h1>
  <?cs if:subcount(Links) > 0 ?>
  <ul class="connections" id="links">
  <?cs each:l = Links ?><li><?cs if:l.target == "customer" ?><?cs var:Lang.Conn.Customer ?>: <a href="/connections/customers/<?cs var:l.target_id ?>"><?cs else ?><?cs var:Lang.Conn.Lead ?>: <a href="/connections/leads/<?cs var:l.target_id ?>"><?cs /if ?><?cs if:l.name ?><?cs var:l.name ?><?cs else ?>#<?cs var:l.target_id ?><?cs /if ?></a><?cs if:l.primary == "1" ?> <em><?cs var:Lang.Conn.Primary ?></em><?cs /if ?><?cs if:l.deleted_at ?> <em><?cs var:Lang.Conn.InBin ?></em><?cs /if ?>
    <form method="post" action="/connections/<?cs var:l.link_id ?>/delete" class="inline"><?cs call:csrf_field() ?><input type="hidden" name="return_to" value="/connections/search?contact_id=<?cs var:Contact.id ?>&amp;q=<?cs var:url_escape(Search.Q) ?>"><button type="submit"><?cs var:Lang.Conn.Disconnect ?></button></form>
    <?cs if:l.primary != "1" ?><form method="post" action="/connections/<?cs var:l.link_id ?>/primary" class="inline"><?cs call:csrf_field() ?><input type="hidden" name="return_to" value="/connections/search?contact_id=<?cs var:Contact.id ?>&amp;q=<?cs var:url_escape(Search.Q) ?>"><button type="submit"><?cs var:Lang.Conn.MakePrimary ?></button></form><?cs /if ?>
  </li><?cs /each ?>
  </ul>
  <?cs else ?><p class="empty"><?cs var:Lang.Contact.NoConnections ?></p><?cs /if ?>
  <?cs else ?>
  <h1><?cs var:Lang.Conn.SearchLabel ?></h1>
  <?cs /if ?>
  <form class="search" method="get" action="/connections/search" role="search">
    <?cs if:Contact.id ?><input type="hidden" name="contact_id" value="<?cs var:Contact.id ?>"><?cs /if ?>
    <label for="conn-q"><?cs var:Lang.Conn.SearchLabel ?></label>
    <input id="conn-q" name="q" type="search" value="<?cs var:Search.Q ?>" maxlength="200" placeholder="<?cs var:Lang.Conn.SearchHint ?>" autofocus>
    <button type="submit"><?cs var:Lang.Conn.Search ?></button>
    <?cs call:field_error("q") ?>
  </form>
  <div id="conn-results" aria-live="polite">
  <?cs if:Search.Done ?>
  <div class="tabs" role="tablist">
    <?cs call:tab_link("leads", Lang.Conn.Leads, Search.LeadsCount) ?>
    <?cs call:tab_link("customers", Lang.Conn.Customers, Search.CustomersCount) ?>
  </div>
  <section id="panel-leads" role="tabpanel" aria-labelledby="tab-leads"<?cs if:Search.Tab != "leads" ?> hidden<?cs /if ?>>
    <?cs if:subcount(Search.Leads) > 0 ?>
    <table class="list results leads"><tbody>
    <?cs each:l = Search.Leads ?><tr><td><a href="/connections/leads/<?cs var:l.id ?>"><?cs if:l.name ?><?cs var:l.name ?><?cs else ?>#<?cs var:l.id ?><?cs /if ?></a></td><td><?cs var:l.detail ?></td><td><?cs var:Lang.LeadStatus[l.detail2] ?></td><td><?cs var:l.email ?></td><td><?cs call:connect_button("lead", l.id, l.connected) ?></td></tr><?cs /each ?>
    </tbody></table>
    <?cs else ?><p class="empty"><?cs var:Lang.Conn.NoResults ?></p><?cs /if ?>
  </section>
  <section id="panel-customers" role="tabpanel" aria-labelledby="tab-customers"<?cs if:Search.Tab != "customers" ?> hidden<?cs /if ?>>
    <?cs if:subcount(Search.Customers) > 0 ?>
    <table class="list results customers"><tbody>
    <?cs each:c = Search.Customers ?><tr><td><a href="/connections/customers/<?cs var:c.id ?>"><?cs var:c.name ?></a></td><td><?cs var:Lang.CustomerType[c.detail] ?></td><td><?cs var:c.detail2 ?></td><td><?cs var:c.email ?></td><td><?cs call:connect_button("customer", c.id, c.connected) ?></td></tr><?cs /each ?>
    </tbody></table>
    <?cs else ?><p class="empty"><?cs var:Lang.Conn.NoResults ?></p><?cs /if ?>
  </section>
  <?cs /if ?>
  </div>
  <?cs if:Contact.id ?><p><a href="/contacts/<?cs var:Contact.id ?>#connections"><?cs var:Lang.Conn.BackToContact ?></a></p><?cs /if ?>
</section>
<script src="/static/connect.js" defer></script>
<?cs /def ?>
<?cs include:"layout.cs" ?>
