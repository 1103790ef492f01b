<?cs # portal/tickets.cs — the signed-in contact's tickets with their status. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<?cs include:"portal/nav.cs" ?>
<section>
  <h1><?cs var:Lang.Ticket.Title ?></h1>
  <p><a class="button" href="/tickets/new"><?cs var:Lang.Ticket.New ?></a></p>
  <?cs if:subcount(Tickets) > 0 ?>
  <table class="list tickets">
    <thead><tr><th><?cs var:Lang.Ticket.Number ?></th><th><?cs var:Lang.Ticket.Subject ?></th><th><?cs var:Lang.Ticket.StatusLabel ?></th><th><?cs var:Lang.Ticket.Updated ?></th></tr></thead>
    <tbody><?cs each:t = Tickets ?>
      <tr><td><?cs var:t.number ?></td><td><a href="/tickets/<?cs var:t.id ?>"><?cs var:t.subject ?></a></td><td class="status-<?cs var:t.status ?>"><?cs var:Lang.Ticket.Status[t.status] ?></td><td><?cs var:t.updated_at ?></td></tr>
    <?cs /each ?></tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Ticket.Empty ?></p><?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
