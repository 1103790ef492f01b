<?cs # connections/lead_list.cs — leads: word search, status filter, sort, keyset pager. ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs def:page_body() ?>
<section class="list-page">
  <?cs call:conn_nav("lead") ?>
  <h1><?cs var:Lang.Lead.ListTitle ?> <a class="button" href="/connections/leads/new"><?cs var:Lang.Lead.New ?></a></h1>
  <?cs if:List.Deleted ?><p class="notice" role="status"><?cs var:Lang.Conn.Deleted ?></p><?cs /if ?>
  <?cs call:list_search("/connections/leads", "status", Lang.LeadStatus, Lang.Field.status) ?>
  <?cs if:List.Shown > 0 ?>
  <table class="list leads">
    <thead><tr><th scope="col"><?cs var:Lang.Field.last_name ?></th><th scope="col"><?cs var:Lang.Field.first_name ?></th><th scope="col"><?cs var:Lang.Field.company ?></th><th scope="col"><?cs var:Lang.Field.email ?></th><th scope="col"><?cs var:Lang.Field.phone ?></th><th scope="col"><?cs var:Lang.Field.status ?></th><th scope="col"><?cs var:Lang.Conn.Actions ?></th></tr></thead>
    <tbody>
    <?cs each:l = List.Rows ?><tr>
      <td><a href="/connections/leads/<?cs var:l.id ?>"><?cs if:l.last_name || l.first_name || l.company ?><?cs var:l.last_name ?><?cs else ?>#<?cs var:l.id ?><?cs /if ?></a></td>
      <td><?cs var:l.first_name ?></td><td><?cs var:l.company ?></td><td><?cs var:l.email ?></td><td><?cs var:l.phone ?></td>
      <td><?cs var:Lang.LeadStatus[l.status] ?></td>
      <td class="row-menu"><a href="/connections/leads/<?cs var:l.id ?>"><?cs var:Lang.Conn.Open ?></a><?cs if:l.status != "converted" ?> <a href="/connections/leads/<?cs var:l.id ?>/convert"><?cs var:Lang.Lead.Convert ?></a><?cs /if ?><?cs if:User.Manage ?> <a href="/connections/leads/<?cs var:l.id ?>/delete"><?cs var:Lang.Conn.Delete ?></a><?cs /if ?></td>
    </tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Lead.None ?></p><?cs /if ?>
  <?cs call:pager(List.Next, List.Paged, List.First) ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
