<?cs # contacts/import_revert.cs — confirm reverting a staged import as a whole. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="confirm">
  <h1><?cs var:Lang.ImportJob.RevertTitle ?> #<?cs var:Import.Job.id ?>: <?cs var:Import.Job.filename ?></h1>
  <p><?cs var:Lang.ImportJob.RevertText ?></p>
  <p><?cs var:Lang.Import.Result.created ?>: <strong><?cs var:Import.Job.created ?></strong> · <?cs var:Lang.Import.Result.updated ?>: <strong><?cs var:Import.Job.updated ?></strong></p>
  <?cs if:Import.Job.status == "done" ?>
  <form method="post" action="/contacts/import/<?cs var:Import.Job.id ?>/revert">
    <?cs call:csrf_field() ?>
    <p class="buttons"><button type="submit" id="revert-confirm"><?cs var:Lang.ImportJob.RevertConfirm ?></button> <a href="/contacts/import/<?cs var:Import.Job.id ?>"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
