<?cs # portal/ticket_new.cs — the contact opens a ticket. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<?cs include:"portal/nav.cs" ?>
<section>
  <h1><?cs var:Lang.Ticket.New ?></h1>
  <form method="post" action="/tickets">
    <?cs call:csrf_field() ?>
    <?cs call:text_field("subject", Lang.Ticket.Subject, Form.subject, "text", "autofocus") ?>
    <p class="field<?cs if:Form.Errors.description ?> invalid<?cs /if ?>"><label for="f-description"><?cs var:Lang.Ticket.Description ?></label>
      <textarea id="f-description" name="description" rows="8" required><?cs var:Form.description ?></textarea><?cs call:field_error("description") ?></p>
    <p class="field"><label for="f-category"><?cs var:Lang.Ticket.CategoryLabel ?></label>
      <select id="f-category" name="category"><?cs each:c = Choices.category ?><option value="<?cs var:c ?>"<?cs if:Form.category == c ?> selected<?cs /if ?>><?cs var:Lang.Ticket.Category[c] ?></option><?cs /each ?></select><?cs call:field_error("category") ?></p>
    <p class="field"><label for="f-priority"><?cs var:Lang.Ticket.PriorityLabel ?></label>
      <select id="f-priority" name="priority"><?cs each:c = Choices.priority ?><option value="<?cs var:c ?>"<?cs if:Form.priority == c || (!Form.priority && c == "normal") ?> selected<?cs /if ?>><?cs var:Lang.Ticket.Priority[c] ?></option><?cs /each ?></select><?cs call:field_error("priority") ?></p>
    <p><button type="submit"><?cs var:Lang.Ticket.Open ?></button></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
