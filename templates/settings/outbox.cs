<?cs # settings/outbox.cs — outgoing mail, newest first, filtered by status; Retry for failed or waiting mail. ?>
<?cs include:"macros.cs" ?>
<?cs include:"settings/tabs.cs" ?>
<?cs def:page_body() ?>
<section class="settings outbox">
  <h1><?cs var:Lang.Settings.Title ?></h1>
  <?cs call:settings_tabs() ?>
  <h2><?cs var:Lang.Settings.Outbox ?></h2>
  <?cs call:settings_notice() ?>
  <form class="search" method="get" action="/settings/outbox">
    <label for="f-status"><?cs var:Lang.Settings.MailStatus ?></label>
    <select id="f-status" name="status">
      <option value=""><?cs var:Lang.Settings.AllStatuses ?></option>
      <?cs each:s = Lang.MailStatus ?><option value="<?cs name:s ?>"<?cs if:Outbox.Status == name(s) ?> selected<?cs /if ?>><?cs var:s ?></option><?cs /each ?>
    </select>
    <button type="submit"><?cs var:Lang.Settings.Filter ?></button>
    <?cs call:field_error("status") ?><?cs call:field_error("before") ?>
  </form>
  <?cs if:Outbox.Shown > 0 ?>
  <table class="list outbox-table">
    <thead><tr><th scope="col">#</th><th scope="col"><?cs var:Lang.Settings.CreatedAt ?></th><th scope="col"><?cs var:Lang.Settings.To ?></th><th scope="col"><?cs var:Lang.Settings.Subject ?></th><th scope="col"><?cs var:Lang.Settings.Template ?></th><th scope="col"><?cs var:Lang.Settings.MailStatus ?></th><th scope="col"><?cs var:Lang.Settings.Attempts ?></th><th scope="col"><?cs var:Lang.Settings.NextAttempt ?></th><th scope="col"><?cs var:Lang.Settings.LastError ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:m = Outbox.Rows ?><tr class="mail-<?cs var:m.status ?>" id="mail-<?cs var:m.id ?>"><td><?cs var:m.id ?></td><td><?cs var:m.created_at ?></td><td><?cs var:m.to ?></td><td><?cs var:m.subject ?></td><td><?cs var:m.template ?></td><td><?cs var:Lang.MailStatus[m.status] ?><?cs if:m.sent_at ?> <?cs var:m.sent_at ?><?cs /if ?></td><td><?cs var:m.attempts ?></td><td><?cs if:m.status == "queued" ?><?cs var:m.next_attempt_at ?><?cs /if ?></td><td class="error"><?cs var:m.last_error ?></td>
      <td><?cs if:m.status == "failed" || m.status == "queued" ?><form method="post" action="/settings/outbox/<?cs var:m.id ?>/retry" class="inline"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Settings.Retry ?></button></form><?cs /if ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Settings.NoMail ?></p><?cs /if ?>
  <?cs call:pager(Outbox.Next, Outbox.Paged, Outbox.First) ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
