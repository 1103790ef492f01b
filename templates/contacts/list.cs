<?cs # contacts/list.cs — the contact list: search, active toggle, table, total, keyset pager. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="list-page">
  <h1><?cs var:Lang.Contacts.Title ?></h1>
  <form class="search" method="get" action="/contacts" role="search">
    <label for="q"><?cs var:Lang.List.Search ?></label>
    <input id="q" name="q" type="search" value="<?cs var:List.Q ?>" maxlength="200">
    <label for="active"><?cs var:Lang.List.Show ?></label>
    <select id="active" name="active">
      <option value="1"<?cs if:List.Active == "1" ?> selected<?cs /if ?>><?cs var:Lang.List.Active ?></option>
      <option value="0"<?cs if:List.Active == "0" ?> selected<?cs /if ?>><?cs var:Lang.List.Inactive ?></option>
      <option value="all"<?cs if:List.Active == "all" ?> selected<?cs /if ?>><?cs var:Lang.List.All ?></option>
    </select>
    <button type="submit"><?cs var:Lang.List.Go ?></button>
    <?cs call:field_error("q") ?><?cs call:field_error("after") ?><?cs call:field_error("limit") ?><?cs call:field_error("active") ?>
  </form>
  <p class="count"><?cs var:Lang.List.Total ?>: <strong id="total"><?cs var:List.Total ?></strong></p>
  <?cs if:List.Shown > 0 ?>
  <table class="list">
    <thead><tr>
      <th scope="col"><?cs var:Lang.Field.last_name ?></th>
      <th scope="col"><?cs var:Lang.Field.first_name ?></th>
      <th scope="col"><?cs var:Lang.List.Customer ?></th>
      <th scope="col"><?cs var:Lang.Field.email ?></th>
      <th scope="col"><?cs var:Lang.List.Phone ?></th>
      <th scope="col"><?cs var:Lang.Field.contact_type ?></th>
      <th scope="col"><?cs var:Lang.Field.status ?></th>
    </tr></thead>
    <tbody>
    <?cs each:row = List.Rows ?>
    <tr<?cs if:row.active == "0" ?> class="inactive"<?cs /if ?>>
      <td><?cs var:row.last_name ?></td>
      <td><?cs var:row.first_name ?></td>
      <td><?cs var:row.customer ?></td>
      <td><?cs var:row.email ?></td>
      <td><?cs if:row.mobile_phone ?><?cs var:row.mobile_phone ?><?cs else ?><?cs var:row.work_phone ?><?cs /if ?><?cs if:row.do_not_call == "1" ?> <span class="flag dnc"><?cs var:Lang.Field.do_not_call ?></span><?cs /if ?></td>
      <td><?cs if:row.contact_type ?><?cs var:Lang.ContactType[row.contact_type] ?><?cs /if ?></td>
      <td><span class="status status-<?cs var:row.status ?>"><?cs var:Lang.Status[row.status] ?></span></td>
    </tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs else ?>
  <p class="empty"><?cs var:Lang.List.Empty ?></p>
  <?cs /if ?>
  <?cs call:pager(List.Next, List.Paged, "/contacts") ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
