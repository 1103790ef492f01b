<?cs # tickets/thread.cs — a ticket's thread (comments and events), shared by the portal and the staff ticket page. ?>
<ol class="thread" id="thread">
  <li class="comment first"><span class="who"><?cs var:Ticket.contact_name ?></span> <time><?cs var:Ticket.created_at ?></time>
    <div class="body"><?cs var:Ticket.description ?></div></li>
  <?cs each:t = Thread ?>
  <?cs if:t.kind == "event" ?>
  <li class="event"><time><?cs var:t.at ?></time> <?cs if:t.staff ?><?cs var:t.staff ?><?cs else ?><?cs var:t.contact ?><?cs /if ?> ·
    <?cs if:t.event == "status" ?><?cs var:Lang.Ticket.Event.status ?> <?cs var:Lang.Ticket.Status[t.value] ?><?cs elif:t.event == "priority" ?><?cs var:Lang.Ticket.Event.priority ?> <?cs var:Lang.Ticket.Priority[t.value] ?><?cs elif:t.value ?><?cs var:Lang.Ticket.Event.assigned ?> <?cs var:t.value ?><?cs else ?><?cs var:Lang.Ticket.Event.unassigned ?><?cs /if ?></li>
  <?cs else ?>
  <li class="comment<?cs if:t.staff ?> staff<?cs /if ?>"><span class="who"><?cs if:t.staff ?><?cs var:t.staff ?> (<?cs var:Lang.Ticket.StaffLabel ?>)<?cs else ?><?cs var:t.contact ?><?cs /if ?></span> <time><?cs var:t.at ?></time>
    <div class="body"><?cs var:t.body ?></div></li>
  <?cs /if ?>
  <?cs /each ?>
</ol>
