<?cs # tickets/documents.cs — a list of documents (Documents.N) with download links under DocBase (portal: /documents, staff: /contacts/documents). ?>
<?cs if:subcount(Documents) > 0 ?>
<table class="list documents">
  <thead><tr><th><?cs var:Lang.Document.Name ?></th><th><?cs var:Lang.Document.Kind ?></th><th><?cs var:Lang.Document.Size ?></th><th><?cs var:Lang.Document.Added ?></th><th><?cs var:Lang.Ticket.Number ?></th></tr></thead>
  <tbody><?cs each:d = Documents ?>
    <tr><td><a href="<?cs if:Page.Module == "portal" ?>/documents/<?cs else ?>/contacts/documents/<?cs /if ?><?cs var:d.id ?>" download><?cs var:d.name ?></a></td><td><?cs var:d.kind ?></td><td><?cs var:d.size ?></td><td><?cs var:d.created_at ?></td><td><?cs var:d.ticket_number ?></td></tr>
  <?cs /each ?></tbody>
</table>
<?cs else ?><p class="empty"><?cs var:Lang.Document.Empty ?></p><?cs /if ?>
