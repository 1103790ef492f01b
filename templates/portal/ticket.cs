<?cs # portal/ticket.cs — one of the contact's tickets: details, thread, comment, close. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<?cs include:"portal/nav.cs" ?>
<section class="ticket">
  <h1><?cs var:Ticket.number ?> · <?cs var:Ticket.subject ?></h1>
  <p class="meta"><?cs var:Lang.Ticket.StatusLabel ?>: <strong id="ticket-status"><?cs var:Lang.Ticket.Status[Ticket.status] ?></strong> ·
    <?cs var:Lang.Ticket.CategoryLabel ?>: <?cs var:Lang.Ticket.Category[Ticket.category] ?> ·
    <?cs var:Lang.Ticket.PriorityLabel ?>: <?cs var:Lang.Ticket.Priority[Ticket.priority] ?></p>
  <?cs include:"tickets/thread.cs" ?>
  <?cs if:subcount(Attachments) > 0 ?>
  <h2><?cs var:Lang.Document.Attachments ?></h2>
  <ul class="attachments"><?cs each:d = Attachments ?><li><a href="/documents/<?cs var:d.id ?>" download><?cs var:d.name ?></a> (<?cs var:d.kind ?>, <?cs var:d.size ?>)</li><?cs /each ?></ul>
  <?cs /if ?>
  <form method="post" action="/documents" enctype="multipart/form-data" class="attach">
    <?cs call:csrf_field() ?>
    <input type="hidden" name="ticket_id" value="<?cs var:Ticket.id ?>">
    <label for="f-file"><?cs var:Lang.Document.Attach ?></label>
    <input id="f-file" name="file" type="file" required>
    <button type="submit"><?cs var:Lang.Document.Send ?></button>
  </form>
  <form method="post" action="/tickets/<?cs var:Ticket.id ?>/comments">
    <?cs call:csrf_field() ?>
    <p class="field<?cs if:Form.Errors.body ?> invalid<?cs /if ?>"><label for="f-body"><?cs var:Lang.Ticket.Comment ?></label>
      <textarea id="f-body" name="body" rows="5" required><?cs var:Form.body ?></textarea><?cs call:field_error("body") ?></p>
    <p><button type="submit"><?cs var:Lang.Ticket.Send ?></button></p>
  </form>
  <?cs if:Ticket.status != "closed" ?>
  <form method="post" action="/tickets/<?cs var:Ticket.id ?>/close" class="inline">
    <?cs call:csrf_field() ?>
    <button type="submit"><?cs var:Lang.Ticket.Close ?></button>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
