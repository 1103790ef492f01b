<?cs # contacts/view.cs — the contact page: all fields by section, connections, direct reports, activity. ?>
<?cs include:"macros.cs" ?>
<?cs def:view_section(sec) ?>
<section class="card section-<?cs var:sec ?>">
  <h2><?cs var:Lang.Section[sec] ?></h2>
  <dl>
  <?cs each:f = Form.Fields ?><?cs if:f.section == sec && !(f.name == "user_id" && Contact.is_user != "1") ?>
    <dt><?cs var:Lang.Field[f.name] ?></dt>
    <dd><?cs if:f.kind == "checkbox" ?><?cs if:Contact[f.name] == "1" ?><?cs var:Lang.Yes ?><?cs else ?><?cs var:Lang.No ?><?cs /if ?><?cs elif:f.name == "reports_to_id" && Contact.reports_to_id ?><a href="/contacts/<?cs var:Contact.reports_to_id ?>"><?cs var:Contact.reports_to_name ?></a><?cs elif:f.name == "user_id" && Contact.user_id ?><?cs var:Contact.user_login ?><?cs else ?><?cs call:field_value(f.name, Contact[f.name]) ?><?cs /if ?></dd>
  <?cs /if ?><?cs /each ?>
  </dl>
</section>
<?cs /def ?>
<?cs def:page_body() ?>
<section class="contact-page">
  <h1><?cs var:Page.Title ?> <span class="status status-<?cs var:Contact.status ?>"><?cs var:Lang.Status[Contact.status] ?></span></h1>
  <?cs if:Contact.do_not_call == "1" ?><p class="flag dnc banner" role="note"><?cs var:Lang.Contact.DoNotCallBanner ?></p><?cs /if ?>
  <?cs if:Contact.anonymized_at ?><p class="notice anonymized" role="note"><?cs var:Lang.Contact.AnonymizedBanner ?> <?cs var:Contact.anonymized_at ?></p>
  <?cs elif:Contact.active == "0" ?><p class="notice"><?cs var:Lang.Contact.InactiveBanner ?></p><?cs /if ?>
  <?cs if:Contact.just_merged ?><p class="notice merged" role="status" id="merged-notice"><?cs var:Lang.Merge.Done ?> <a href="/contacts/merges/<?cs var:Contact.just_merged ?>"><?cs var:Lang.Merge.UndoAction ?></a></p><?cs /if ?>
  <?cs if:Contact.just_unmerged ?><p class="notice unmerged" role="status" id="unmerged-notice"><?cs var:Lang.Merge.Undone ?></p><?cs /if ?>
  <nav class="actions">
    <?cs if:!Contact.anonymized_at ?>
    <a href="/contacts/<?cs var:Contact.id ?>/edit"><?cs var:Lang.Contact.EditAction ?></a>
    <?cs if:Contact.can_manage == "1" ?>
    <?cs if:!Contact.user_id ?><a href="/contacts/<?cs var:Contact.id ?>/login"><?cs var:Lang.Contact.GenerateLogin ?></a><?cs /if ?>
    <a href="/contacts/<?cs var:Contact.id ?>/delete"><?cs var:Lang.Contact.DeleteAction ?></a>
    <a href="/contacts/<?cs var:Contact.id ?>/anonymize"><?cs var:Lang.Contact.AnonymizeAction ?></a>
    <a href="/contacts/<?cs var:Contact.id ?>/merge" id="merge-with"><?cs var:Lang.Merge.With ?></a>
    <?cs /if ?>
    <?cs /if ?>
    <?cs if:!Contact.deleted_at ?><a href="/contacts/<?cs var:Contact.id ?>/export" id="subject-export"><?cs var:Lang.Export.SubjectAction ?></a> <a href="/contacts/<?cs var:Contact.id ?>/vcard" id="vcard-export"><?cs var:Lang.Export.VcardAction ?></a><?cs /if ?>
    <a href="/contacts"><?cs var:Lang.Contact.BackToList ?></a>
  </nav>
  <div class="cards">
  <?cs call:view_section("master") ?>
  <?cs call:view_section("channels") ?>
  <?cs call:view_section("working") ?>
  <?cs call:view_section("prefs") ?>
  <?cs call:view_section("portal") ?>
  <?cs call:view_section("user") ?>
  <?cs call:view_section("other") ?>
  <?cs include:"contacts/view_extras.cs" ?>
  </div>
  <section class="card related">
    <h2 id="connections"><?cs var:Lang.Contact.Connections ?></h2>
    <?cs if:subcount(Connections) > 0 ?><ul class="connections"><?cs each:c = Connections ?><li><?cs if:c.customer_id ?><?cs var:Lang.Conn.Customer ?>: <a href="/connections/customers/<?cs var:c.customer_id ?>"><?cs var:c.customer ?></a><?cs else ?><?cs var:Lang.Conn.Lead ?>: <a href="/connections/leads/<?cs var:c.lead_id ?>"><?cs if:c.lead ?><?cs var:c.lead ?><?cs else ?>#<?cs var:c.lead_id ?><?cs /if ?></a><?cs /if ?><?cs if:c.primary == "1" ?> <em><?cs var:Lang.Conn.Primary ?></em><?cs /if ?>
      <?cs if:!Contact.anonymized_at && !Contact.deleted_at ?><form method="post" action="/connections/<?cs var:c.id ?>/delete" class="inline"><?cs call:csrf_field() ?><button type="submit" name="disconnect" value="<?cs var:c.id ?>"><?cs var:Lang.Conn.Disconnect ?></button></form>
      <?cs if:c.primary != "1" ?><form method="post" action="/connections/<?cs var:c.id ?>/primary" class="inline"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Conn.MakePrimary ?></button></form><?cs /if ?><?cs /if ?></li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Contact.NoConnections ?></p><?cs /if ?>
    <?cs if:!Contact.anonymized_at && !Contact.deleted_at ?><?cs include:"connections/connect_box.cs" ?><?cs /if ?>
    <h2 id="tickets"><?cs var:Lang.Ticket.Title ?></h2>
    <?cs if:subcount(Tickets) > 0 ?><ul class="tickets"><?cs each:t = Tickets ?><li><a href="/contacts/tickets/<?cs var:t.id ?>"><?cs var:t.number ?> · <?cs var:t.subject ?></a> · <?cs var:Lang.Ticket.Status[t.status] ?> · <time><?cs var:t.updated_at ?></time></li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Ticket.Empty ?></p><?cs /if ?>
    <h2 id="documents"><?cs var:Lang.Document.Title ?></h2>
    <?cs if:subcount(Documents) > 0 ?><ul class="documents"><?cs each:d = Documents ?><li><a href="/contacts/documents/<?cs var:d.id ?>" download><?cs var:d.name ?></a> (<?cs var:d.kind ?>, <?cs var:d.size ?>)<?cs if:d.ticket_number ?> · <a href="/contacts/tickets/<?cs var:d.ticket_id ?>"><?cs var:d.ticket_number ?></a><?cs /if ?>
      <?cs if:d.shared == "1" ?><em class="shared"><?cs var:Lang.Document.SharedWithContact ?></em><?cs /if ?>
      <form method="post" action="/contacts/documents/<?cs var:d.id ?>/share" class="inline"><?cs call:csrf_field() ?><input type="hidden" name="contact_id" value="<?cs var:Contact.id ?>"><input type="hidden" name="share" value="<?cs if:d.shared == "1" ?>0<?cs else ?>1<?cs /if ?>"><button type="submit"><?cs if:d.shared == "1" ?><?cs var:Lang.Document.Unshare ?><?cs else ?><?cs var:Lang.Document.ShareContact ?><?cs /if ?></button></form></li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Document.Empty ?></p><?cs /if ?>
    <?cs if:!Contact.anonymized_at ?>
    <form method="post" action="/contacts/documents" enctype="multipart/form-data" class="upload">
      <?cs call:csrf_field() ?>
      <input type="hidden" name="contact_id" value="<?cs var:Contact.id ?>">
      <label for="doc-file"><?cs var:Lang.Document.Upload ?></label> <input id="doc-file" name="file" type="file" required>
      <label><input type="checkbox" name="share" value="1"> <?cs var:Lang.Document.ShareContact ?></label>
      <button type="submit"><?cs var:Lang.Document.Send ?></button>
    </form>
    <?cs /if ?>
    <h2><?cs var:Lang.Lists.Title ?></h2>
    <?cs if:subcount(Memberships) > 0 ?><ul class="memberships"><?cs each:m = Memberships ?><li><a href="/contacts/lists/<?cs var:m.id ?>"><?cs var:m.name ?></a></li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Contact.NoLists ?></p><?cs /if ?>
    <?cs if:Contact.can_market == "1" && subcount(MarketingLists) > 0 && !Contact.anonymized_at ?>
    <form method="post" action="/contacts/bulk" class="inline">
      <?cs call:csrf_field() ?>
      <input type="hidden" name="ids" value="<?cs var:Contact.id ?>">
      <input type="hidden" name="action" value="add_to_list">
      <label for="add-list"><?cs var:Lang.List.AddToList ?></label>
      <select id="add-list" name="list_id"><?cs each:l = MarketingLists ?><option value="<?cs var:l.id ?>"><?cs var:l.name ?></option><?cs /each ?></select>
      <button type="submit"><?cs var:Lang.List.Apply ?></button>
    </form>
    <?cs /if ?>
    <?cs if:subcount(Chain) > 0 ?>
    <h2><?cs var:Lang.Contact.Chain ?></h2>
    <ol class="chain"><?cs each:p = Chain ?><li><a href="/contacts/<?cs var:p.id ?>"><?cs var:p.first_name ?> <?cs var:p.last_name ?></a><?cs if:p.job_title ?> · <?cs var:p.job_title ?><?cs /if ?></li><?cs /each ?></ol>
    <?cs /if ?>
    <h2><?cs var:Lang.Contact.Mails ?></h2>
    <?cs if:subcount(Mails) > 0 ?><ul class="mails"><?cs each:m = Mails ?><li><time><?cs var:m.at ?></time> <?cs var:m.subject ?> · <?cs var:Lang.MailStatus[m.status] ?></li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Contact.NoMails ?></p><?cs /if ?>
    <h2><?cs var:Lang.Contact.DirectReports ?></h2>
    <?cs if:subcount(Reports) > 0 ?><ul class="reports"><?cs each:p = Reports ?><li><a href="/contacts/<?cs var:p.id ?>"><?cs var:p.first_name ?> <?cs var:p.last_name ?></a><?cs if:p.job_title ?> · <?cs var:p.job_title ?><?cs /if ?></li><?cs /each ?></ul><?cs else ?><p class="empty"><?cs var:Lang.Contact.NoReports ?></p><?cs /if ?>
    <?cs if:subcount(Merges) > 0 ?><h2><?cs var:Lang.Merge.Merges ?></h2>
    <ul class="merges" id="merges"><?cs each:g = Merges ?><li><time><?cs var:g.at ?></time> <?cs var:Lang.Merge.MergedFrom ?> <a href="/contacts/<?cs var:g.merged_id ?>">#<?cs var:g.merged_id ?></a> (<?cs var:g.actor ?>)<?cs if:g.undone_at ?> · <?cs var:Lang.Merge.UndoneAt ?> <?cs var:g.undone_at ?><?cs else ?> · <a href="/contacts/merges/<?cs var:g.id ?>" class="merge-undo"><?cs var:Lang.Merge.UndoAction ?></a><?cs /if ?></li><?cs /each ?></ul><?cs /if ?>
  </section>
  <section class="card activity" id="activity">
    <h2><?cs var:Lang.Contact.Activity ?></h2>
    <?cs if:!Contact.anonymized_at ?>
    <form class="comment" method="post" action="/contacts/<?cs var:Contact.id ?>/comments">
      <?cs call:csrf_field() ?>
      <label for="f-body"><?cs var:Lang.Contact.Comment ?></label>
      <textarea id="f-body" name="body" rows="3" maxlength="10000"></textarea>
      <?cs call:field_error("body") ?>
      <button type="submit"><?cs var:Lang.Contact.CommentSubmit ?></button>
    </form>
    <?cs /if ?>
    <ol class="history">
    <?cs each:h = History ?>
      <?cs if:h.action == "comment" ?>
      <li class="comment"><time><?cs var:h.at ?></time> <strong><?cs var:h.actor ?></strong>: <span class="body"><?cs var:h.body ?></span></li>
      <?cs elif:h.action == "merged_from" || h.action == "merged_into" || h.action == "unmerged" ?>
      <li class="merge-event"><time><?cs var:h.at ?></time> <strong><?cs var:h.actor ?></strong> <?cs var:Lang.HistoryAction[h.action] ?> <a href="/contacts/<?cs var:h.new ?>">#<?cs var:h.new ?></a></li>
      <?cs else ?>
      <li><time><?cs var:h.at ?></time> <strong><?cs var:h.actor ?></strong> <?cs var:Lang.HistoryAction[h.action] ?><?cs if:h.field ?>: <?cs if:h.label ?><?cs var:h.label ?><?cs else ?><?cs var:Lang.Field[h.field] ?><?cs /if ?> <span class="old"><?cs var:h.old ?></span> → <span class="new"><?cs var:h.new ?></span><?cs /if ?></li>
      <?cs /if ?>
    <?cs /each ?>
    </ol>
  </section>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
