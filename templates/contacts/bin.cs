<?cs # contacts/bin.cs — the recycle bin (crm_admin): deleted contacts, restorable. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section>
  <h1><?cs var:Lang.Bin.Title ?> (<span id="bin-count"><?cs var:BinCount ?></span>)</h1>
  <?cs if:BinCount > 0 ?>
  <table class="list bin">
    <thead><tr><th scope="col"><?cs var:Lang.Field.last_name ?></th><th scope="col"><?cs var:Lang.Field.first_name ?></th><th scope="col"><?cs var:Lang.Field.email ?></th><th scope="col"><?cs var:Lang.Bin.DeletedAt ?></th><th scope="col"><?cs var:Lang.Bin.DeletedBy ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:b = Bin ?><tr><td><?cs var:b.last_name ?></td><td><?cs var:b.first_name ?></td><td><?cs var:b.email ?></td><td><?cs var:b.deleted_at ?></td><td><?cs var:b.deleted_by ?></td>
      <td class="buttons"><form method="post" action="/contacts/<?cs var:b.id ?>/restore"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Bin.Restore ?></button></form> <a href="/contacts/<?cs var:b.id ?>/purge"><?cs var:Lang.Bin.Purge ?></a></td></tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Bin.Empty ?></p><?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
