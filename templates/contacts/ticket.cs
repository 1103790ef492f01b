<?cs # contacts/ticket.cs — the staff ticket page: details, thread, reply, status, assignment, priority. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="ticket">
  <p class="crumbs"><a href="/contacts/<?cs var:Ticket.contact_id ?>"><?cs var:Ticket.contact_name ?></a><?cs if:Ticket.customer_name ?> · <a href="/connections/customers/<?cs var:Ticket.customer_id ?>"><?cs var:Ticket.customer_name ?></a><?cs /if ?></p>
  <h1><?cs var:Ticket.number ?> · <?cs var:Ticket.subject ?></h1>
  <p class="meta"><?cs var:Lang.Ticket.StatusLabel ?>: <strong id="ticket-status"><?cs var:Lang.Ticket.Status[Ticket.status] ?></strong> ·
    <?cs var:Lang.Ticket.CategoryLabel ?>: <?cs var:Lang.Ticket.Category[Ticket.category] ?> ·
    <?cs var:Lang.Ticket.PriorityLabel ?>: <?cs var:Lang.Ticket.Priority[Ticket.priority] ?> ·
    <?cs var:Lang.Ticket.Assigned ?>: <?cs if:Ticket.assigned_name ?><?cs var:Ticket.assigned_name ?><?cs else ?><?cs var:Lang.Ticket.Nobody ?><?cs /if ?></p>
  <form method="post" action="/contacts/tickets/<?cs var:Ticket.id ?>" class="ticket-change">
    <?cs call:csrf_field() ?>
    <label for="f-status"><?cs var:Lang.Ticket.StatusLabel ?></label>
    <select id="f-status" name="status"><?cs each:c = Choices.status ?><option value="<?cs var:c ?>"<?cs if:Ticket.status == c ?> selected<?cs /if ?>><?cs var:Lang.Ticket.Status[c] ?></option><?cs /each ?></select>
    <label for="f-priority"><?cs var:Lang.Ticket.PriorityLabel ?></label>
    <select id="f-priority" name="priority"><?cs each:c = Choices.priority ?><option value="<?cs var:c ?>"<?cs if:Ticket.priority == c ?> selected<?cs /if ?>><?cs var:Lang.Ticket.Priority[c] ?></option><?cs /each ?></select>
    <label for="f-assigned"><?cs var:Lang.Ticket.Assigned ?></label>
    <select id="f-assigned" name="assigned_user_id"><option value="0"><?cs var:Lang.Ticket.Nobody ?></option><?cs each:u = Staff ?><option value="<?cs var:u.id ?>"<?cs if:Ticket.assigned_user_id == u.id ?> selected<?cs /if ?>><?cs var:u.name ?></option><?cs /each ?></select>
    <?cs call:field_error("assigned_user_id") ?>
    <button type="submit"><?cs var:Lang.Ticket.Save ?></button>
  </form>
  <?cs include:"tickets/thread.cs" ?>
  <h2><?cs var:Lang.Document.Attachments ?></h2>
  <?cs if:subcount(Attachments) > 0 ?><ul class="attachments"><?cs each:d = Attachments ?><li><a href="/contacts/documents/<?cs var:d.id ?>" download><?cs var:d.name ?></a> (<?cs var:d.kind ?>, <?cs var:d.size ?>)</li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Document.Empty ?></p><?cs /if ?>
  <form method="post" action="/contacts/documents" enctype="multipart/form-data" class="attach">
    <?cs call:csrf_field() ?>
    <input type="hidden" name="ticket_id" value="<?cs var:Ticket.id ?>">
    <label for="f-file"><?cs var:Lang.Document.Attach ?></label>
    <input id="f-file" name="file" type="file" required>
    <button type="submit"><?cs var:Lang.Document.Send ?></button>
  </form>
  <form method="post" action="/contacts/tickets/<?cs var:Ticket.id ?>/comments">
    <?cs call:csrf_field() ?>
    <p class="field<?cs if:Form.Errors.body ?> invalid<?cs /if ?>"><label for="f-body"><?cs var:Lang.Ticket.Reply ?></label>
      <textarea id="f-body" name="body" rows="5" required><?cs var:Form.body ?></textarea><?cs call:field_error("body") ?></p>
    <p><button type="submit"><?cs var:Lang.Ticket.Send ?></button></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
