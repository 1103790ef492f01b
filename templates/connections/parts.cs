<?cs # connections/parts.cs — pieces of the customer and lead pages: field list, history, connected contacts. ?>
<?cs def:record_fields(names) ?>
<dl class="fields">
  <?cs each:n = names ?><dt><?cs var:Lang.Field[n] ?></dt><dd><?cs if:n == "website" && Record.website ?><a href="<?cs var:url_validate(Record.website) ?>" rel="noopener noreferrer"><?cs var:Record.website ?></a><?cs elif:n == "active" ?><?cs if:Record.active == "1" ?><?cs var:Lang.Yes ?><?cs else ?><?cs var:Lang.No ?><?cs /if ?><?cs else ?><?cs call:field_value(n, Record[n]) ?><?cs /if ?></dd><?cs /each ?>
</dl>
<?cs /def ?>
<?cs def:record_history() ?>
<ol class="history">
<?cs each:h = History ?>
  <li><time><?cs var:h.at ?></time> <strong><?cs var:h.actor ?></strong> <?cs var:Lang.HistoryAction[h.action] ?><?cs if:h.field == "contact" ?>: <?cs var:Lang.Field.contact ?> <?cs if:h.contact ?><a href="/contacts/<?cs if:h.new ?><?cs var:h.new ?><?cs else ?><?cs var:h.old ?><?cs /if ?>"><?cs var:h.contact ?></a><?cs else ?>#<?cs if:h.new ?><?cs var:h.new ?><?cs else ?><?cs var:h.old ?><?cs /if ?><?cs /if ?><?cs elif:h.field ?>: <?cs var:Lang.Field[h.field] ?> <span class="old"><?cs call:field_value(h.field, h.old) ?></span> → <span class="new"><?cs call:field_value(h.field, h.new) ?></span><?cs /if ?></li>
<?cs /each ?>
</ol>
<?cs /def ?>
<?cs def:record_contacts(return_to) ?>
<?cs if:ContactCount > 0 ?>
<table class="list contact-persons">
  <thead><tr><th scope="col"><?cs var:Lang.Field.last_name ?></th><th scope="col"><?cs var:Lang.Field.first_name ?></th><th scope="col"><?cs var:Lang.Field.job_title ?></th><th scope="col"><?cs var:Lang.Field.email ?></th><th scope="col"><?cs var:Lang.Field.status ?></th><th scope="col"><?cs var:Lang.Conn.Actions ?></th></tr></thead>
  <tbody>
  <?cs each:c = Contacts ?><tr<?cs if:c.active == "0" ?> class="inactive"<?cs /if ?>>
    <td><a href="/contacts/<?cs var:c.id ?>"><?cs var:c.last_name ?></a><?cs if:c.primary == "1" ?> <em><?cs var:Lang.Conn.Primary ?></em><?cs /if ?></td><td><?cs var:c.first_name ?></td><td><?cs var:c.job_title ?></td><td><?cs var:c.email ?></td>
    <td class="status-<?cs var:c.status ?>"><?cs var:Lang.Status[c.status] ?></td>
    <td class="row-menu"><a href="/contacts/<?cs var:c.id ?>"><?cs var:Lang.Conn.Open ?></a>
      <form method="post" action="/connections/<?cs var:c.link_id ?>/delete" class="inline"><?cs call:csrf_field() ?><input type="hidden" name="return_to" value="<?cs var:return_to ?>"><button type="submit"><?cs var:Lang.Conn.Disconnect ?></button></form></td>
  </tr><?cs /each ?>
  </tbody>
</table>
<?cs else ?><p class="empty"><?cs var:Lang.Customer.NoContacts ?></p><?cs /if ?>
<?cs /def ?>
