<?cs # connections/nav.cs — the module's own tabs: customers, leads, recycle bin (crm_admin). ?>
<?cs def:conn_nav(current) ?>
<nav class="tabs" aria-label="<?cs var:Lang.Nav.Connections ?>">
  <a href="/connections/customers"<?cs if:current == "customer" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Conn.Customers ?></a>
  <a href="/connections/leads"<?cs if:current == "lead" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Conn.Leads ?></a>
  <?cs if:User.Admin ?><a href="/connections/bin"<?cs if:current == "bin" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Conn.Bin ?></a><?cs /if ?>
</nav>
<?cs /def ?>
<?cs def:list_search(path, filter_name, filter_values, filter_label) ?>
<form class="search" method="get" action="<?cs var:path ?>" role="search">
  <label for="q"><?cs var:Lang.List.Search ?></label>
  <input id="q" name="q" type="search" value="<?cs var:List.Q ?>" maxlength="200">
  <label for="flt"><?cs var:filter_label ?></label>
  <select id="flt" name="<?cs var:filter_name ?>"><option value=""><?cs var:Lang.List.Any ?></option>
    <?cs each:o = filter_values ?><option value="<?cs name:o ?>"<?cs if:List.Filter == name(o) ?> selected<?cs /if ?>><?cs var:o ?></option><?cs /each ?>
  </select>
  <label for="sort"><?cs var:Lang.List.SortBy ?></label>
  <select id="sort" name="sort">
    <option value="name"<?cs if:List.Sort == "name" ?> selected<?cs /if ?>><?cs var:Lang.List.SortName ?></option>
    <option value="updated"<?cs if:List.Sort == "updated" ?> selected<?cs /if ?>><?cs var:Lang.List.SortUpdated ?></option>
  </select>
  <button type="submit"><?cs var:Lang.Conn.Search ?></button>
  <?cs call:field_error("q") ?><?cs call:field_error(filter_name) ?>
</form>
<p class="total"><?cs var:Lang.Conn.Total ?>: <span id="total"><?cs var:List.Total ?></span></p>
<?cs /def ?>
