<?cs # contacts/list.cs — the contact list: search, active toggle, table, total, keyset pager. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="list-page">
  <h1><?cs var:Lang.Contacts.Title ?> <a class="button" href="/contacts/new"><?cs var:Lang.Contact.NewAction ?></a></h1>
  <?cs if:List.Deleted ?><p class="notice" role="status"><?cs var:List.Deleted ?></p><?cs /if ?>
  <form class="search" method="get" action="/contacts" role="search">
    <label for="q"><?cs var:Lang.List.Search ?></label>
    <input id="q" name="q" type="search" value="<?cs var:List.Q ?>" maxlength="200">
    <label for="active"><?cs var:Lang.List.Show ?></label>
    <select id="active" name="active">
      <option value="1"<?cs if:List.Active == "1" ?> selected<?cs /if ?>><?cs var:Lang.List.Active ?></option>
      <option value="0"<?cs if:List.Active == "0" ?> selected<?cs /if ?>><?cs var:Lang.List.Inactive ?></option>
      <option value="all"<?cs if:List.Active == "all" ?> selected<?cs /if ?>><?cs var:Lang.List.All ?></option>
    </select>
    <label for="sort"><?cs var:Lang.List.SortBy ?></label>
    <select id="sort" name="sort">
      <option value="name"<?cs if:List.Sort == "name" ?> selected<?cs /if ?>><?cs var:Lang.List.SortName ?></option>
      <option value="updated"<?cs if:List.Sort == "updated" ?> selected<?cs /if ?>><?cs var:Lang.List.SortUpdated ?></option>
      <option value="created"<?cs if:List.Sort == "created" ?> selected<?cs /if ?>><?cs var:Lang.List.SortCreated ?></option>
    </select>
    <?cs if:List.Filter.customer_id ?><p class="chip" id="customer-filter"><input type="hidden" name="customer_id" value="<?cs var:List.Filter.customer_id ?>"><?cs var:Lang.Field.customer ?>: <a href="/connections/customers/<?cs var:List.Filter.customer_id ?>"><?cs if:List.CustomerName ?><?cs var:List.CustomerName ?><?cs else ?>#<?cs var:List.Filter.customer_id ?><?cs /if ?></a> <a href="/contacts?active=<?cs var:List.Active ?>" aria-label="<?cs var:Lang.List.RemoveFilter ?>">×</a></p><?cs /if ?>
    <?cs if:List.Filter.lead_id ?><p class="chip" id="lead-filter"><input type="hidden" name="lead_id" value="<?cs var:List.Filter.lead_id ?>"><?cs var:Lang.Field.lead ?>: <a href="/connections/leads/<?cs var:List.Filter.lead_id ?>"><?cs if:List.LeadName ?><?cs var:List.LeadName ?><?cs else ?>#<?cs var:List.Filter.lead_id ?><?cs /if ?></a> <a href="/contacts?active=<?cs var:List.Active ?>" aria-label="<?cs var:Lang.List.RemoveFilter ?>">×</a></p><?cs /if ?>
    <details class="filters"<?cs if:List.Filter.status || List.Filter.contact_type || List.Filter.language || List.Filter.do_not_call || List.Filter.do_not_email || List.Filter.portal_user || List.Filter.customer_id || List.Filter.lead_id || List.XFiltersUsed == "1" ?> open<?cs /if ?>>
      <summary><?cs var:Lang.List.Filters ?></summary>
      <label for="flt-status"><?cs var:Lang.Field.status ?></label>
      <select id="flt-status" name="status"><option value=""><?cs var:Lang.List.Any ?></option>
        <?cs each:o = Lang.Status ?><option value="<?cs name:o ?>"<?cs if:List.Filter.status == name(o) ?> selected<?cs /if ?>><?cs var:o ?></option><?cs /each ?>
      </select>
      <label for="flt-type"><?cs var:Lang.Field.contact_type ?></label>
      <select id="flt-type" name="contact_type"><option value=""><?cs var:Lang.List.Any ?></option>
        <?cs each:o = Lang.ContactType ?><option value="<?cs name:o ?>"<?cs if:List.Filter.contact_type == name(o) ?> selected<?cs /if ?>><?cs var:o ?></option><?cs /each ?>
      </select>
      <label for="flt-language"><?cs var:Lang.Field.language ?></label>
      <input id="flt-language" name="language" size="3" maxlength="2" value="<?cs var:List.Filter.language ?>">
      <?cs each:flag = Lang.List.Flags ?>
      <label for="flt-<?cs name:flag ?>"><?cs var:flag ?></label>
      <select id="flt-<?cs name:flag ?>" name="<?cs name:flag ?>"><option value=""><?cs var:Lang.List.Any ?></option>
        <option value="1"<?cs if:List.Filter[name(flag)] == "1" ?> selected<?cs /if ?>><?cs var:Lang.Yes ?></option>
        <option value="0"<?cs if:List.Filter[name(flag)] == "0" ?> selected<?cs /if ?>><?cs var:Lang.No ?></option>
      </select>
      <?cs /each ?>
      <?cs include:"contacts/list_filters.cs" ?>
    </details>
    <button type="submit"><?cs var:Lang.List.Go ?></button>
    <?cs call:field_error("q") ?><?cs call:field_error("after") ?><?cs call:field_error("limit") ?><?cs call:field_error("active") ?><?cs call:field_error("status") ?><?cs call:field_error("contact_type") ?><?cs call:field_error("language") ?><?cs call:field_error("customer_id") ?><?cs call:field_error("lead_id") ?><?cs call:field_error("owner_id") ?><?cs each:e = Form.Errors ?><?cs if:string.slice(name(e), 0, 3) == "cf_" || string.slice(name(e), 0, 8) == "consent_" ?><span class="field-error"><?cs var:e ?></span><?cs /if ?><?cs /each ?>
  </form>
  <p class="count"><?cs var:Lang.List.Total ?>: <strong id="total"><?cs var:List.Total ?></strong>
  <?cs if:List.ExportUrl ?><a class="button" id="export-csv" href="<?cs var:List.ExportUrl ?>"><?cs var:Lang.Export.ListAction ?></a> <a class="button" id="export-vcf" href="<?cs var:List.VcardUrl ?>"><?cs var:Lang.Export.ListVcard ?></a><?cs /if ?>
  <?cs if:List.CanManage == "1" ?><a id="import-csv" href="/contacts/import"><?cs var:Lang.Import.Title ?></a> <a id="duplicates-report" href="/contacts/duplicates"><?cs var:Lang.Dupe.ReportTitle ?></a><?cs /if ?></p>
  <?cs if:List.Shown > 0 ?>
  <form id="bulk" method="post" action="/contacts/bulk">
  <?cs call:csrf_field() ?>
  <table class="list">
    <thead><tr>
      <th scope="col"><span class="visually-hidden"><?cs var:Lang.List.Select ?></span></th>
      <th scope="col"><a href="/contacts?sort=name<?cs if:List.Q ?>&amp;q=<?cs var:url_escape(List.Q) ?><?cs /if ?>"><?cs var:Lang.Field.last_name ?></a></th>
      <th scope="col"><?cs var:Lang.Field.first_name ?></th>
      <th scope="col"><?cs var:Lang.List.Customer ?></th>
      <th scope="col"><?cs var:Lang.Field.email ?></th>
      <th scope="col"><?cs var:Lang.List.Phone ?></th>
      <th scope="col"><?cs var:Lang.Field.contact_type ?></th>
      <th scope="col"><?cs var:Lang.Field.status ?></th>
      <?cs each:col = List.Columns ?><th scope="col" class="custom custom-<?cs var:col.key ?>"><?cs var:col.label ?></th><?cs /each ?>
      <th scope="col"><span class="visually-hidden"><?cs var:Lang.List.Actions ?></span></th>
    </tr></thead>
    <tbody>
    <?cs each:row = List.Rows ?>
    <tr<?cs if:row.active == "0" ?> class="inactive"<?cs /if ?>>
      <td><input type="checkbox" name="ids" value="<?cs var:row.id ?>" aria-label="<?cs var:Lang.List.Select ?> <?cs var:row.first_name ?> <?cs var:row.last_name ?>"></td>
      <td><a href="/contacts/<?cs var:row.id ?>"><?cs var:row.last_name ?></a></td>
      <td><a href="/contacts/<?cs var:row.id ?>"><?cs var:row.first_name ?></a></td>
      <td class="customer"><?cs if:row.customer_id ?><a href="/contacts?customer_id=<?cs var:row.customer_id ?>&amp;active=<?cs var:List.Active ?>" title="<?cs var:Lang.List.FilterByCustomer ?>"><?cs var:row.customer ?></a><?cs elif:row.lead_id ?><a href="/contacts?lead_id=<?cs var:row.lead_id ?>&amp;active=<?cs var:List.Active ?>" title="<?cs var:Lang.List.FilterByLead ?>"><?cs var:row.customer ?></a><?cs /if ?></td>
      <td><?cs var:row.email ?></td>
      <td><?cs if:row.mobile_phone ?><?cs var:row.mobile_phone ?><?cs else ?><?cs var:row.work_phone ?><?cs /if ?><?cs if:row.do_not_call == "1" ?> <span class="flag dnc"><?cs var:Lang.Field.do_not_call ?></span><?cs /if ?></td>
      <td><?cs if:row.contact_type ?><?cs var:Lang.ContactType[row.contact_type] ?><?cs /if ?></td>
      <td><span class="status status-<?cs var:row.status ?>"><?cs var:Lang.Status[row.status] ?></span></td>
      <?cs each:cv = row.cf ?><td class="custom"><?cs var:cv ?></td><?cs /each ?>
      <td class="row-menu"><a href="/contacts/<?cs var:row.id ?>"><?cs var:Lang.List.View ?></a> <a href="/contacts/<?cs var:row.id ?>/edit"><?cs var:Lang.Contact.EditAction ?></a><?cs if:List.CanManage == "1" ?> <a href="/contacts/<?cs var:row.id ?>/delete"><?cs var:Lang.Contact.DeleteAction ?></a><?cs /if ?></td>
    </tr>
    <?cs /each ?>
    </tbody>
  </table>
  <p class="bulk">
    <label for="bulk-action"><?cs var:Lang.List.Bulk ?></label>
    <select id="bulk-action" name="action">
      <?cs if:List.CanMarket == "1" ?><option value="add_to_list"><?cs var:Lang.List.AddToList ?></option><?cs /if ?>
      <option value="export"><?cs var:Lang.List.Export ?></option>
      <option value="deactivate"><?cs var:Lang.List.Deactivate ?></option>
    </select>
    <?cs if:List.CanMarket == "1" ?>
    <label for="bulk-list"><?cs var:Lang.Lists.Title ?></label>
    <select id="bulk-list" name="list_id"><?cs each:m = List.MarketingLists ?><option value="<?cs var:m.id ?>"><?cs var:m.name ?></option><?cs /each ?></select>
    <?cs /if ?>
    <button type="submit"><?cs var:Lang.List.Apply ?></button>
    <a href="/contacts/lists"><?cs var:Lang.Lists.Title ?></a>
  </p>
  </form>
  <?cs else ?>
  <p class="empty"><?cs var:Lang.List.Empty ?></p>
  <?cs /if ?>
  <?cs call:pager(List.Next, List.Paged, List.First) ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
