<?cs # connections/bin.cs — customers and leads in the recycle bin, with Restore (crm_admin). ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs def:bin_table(rows, path) ?>
<table class="list bin">
  <thead><tr><th scope="col"><?cs var:Lang.Field.name ?></th><th scope="col"><?cs var:Lang.Conn.DeletedAt ?></th><th scope="col"><?cs var:Lang.Conn.DeletedBy ?></th><th scope="col"><?cs var:Lang.Conn.Actions ?></th></tr></thead>
  <tbody>
  <?cs each:b = rows ?><tr><td><?cs if:b.name ?><?cs var:b.name ?><?cs else ?>#<?cs var:b.id ?><?cs /if ?></td><td><?cs var:b.deleted_at ?></td><td><?cs var:b.deleted_by ?></td>
    <td><form method="post" action="<?cs var:path ?>/<?cs var:b.id ?>/restore" class="inline"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Conn.Restore ?></button></form> <a href="<?cs var:path ?>/<?cs var:b.id ?>/purge"><?cs var:Lang.Bin.Purge ?></a></td></tr><?cs /each ?>
  </tbody>
</table>
<?cs /def ?>
<?cs def:page_body() ?>
<section class="bin-page">
  <?cs call:conn_nav("bin") ?>
  <h1><?cs var:Lang.Conn.BinTitle ?></h1>
  <h2><?cs var:Lang.Conn.Customers ?></h2>
  <?cs if:subcount(Bin.Customers) > 0 ?><?cs call:bin_table(Bin.Customers, "/connections/customers") ?><?cs else ?><p class="empty"><?cs var:Lang.Conn.BinEmpty ?></p><?cs /if ?>
  <h2><?cs var:Lang.Conn.Leads ?></h2>
  <?cs if:subcount(Bin.Leads) > 0 ?><?cs call:bin_table(Bin.Leads, "/connections/leads") ?><?cs else ?><p class="empty"><?cs var:Lang.Conn.BinEmpty ?></p><?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
