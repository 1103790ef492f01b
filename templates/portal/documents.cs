<?cs # portal/documents.cs — documents shared with the contact or its customer, its own uploads, and the upload form. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<?cs include:"portal/nav.cs" ?>
<section>
  <h1><?cs var:Lang.Document.Title ?></h1>
  <?cs include:"tickets/documents.cs" ?>
  <h2><?cs var:Lang.Document.Upload ?></h2>
  <form method="post" action="/documents" enctype="multipart/form-data">
    <?cs call:csrf_field() ?>
    <p class="field<?cs if:Form.Errors.file ?> invalid<?cs /if ?>"><label for="f-file"><?cs var:Lang.Document.File ?></label>
      <input id="f-file" name="file" type="file" required><?cs call:field_error("file") ?></p>
    <p class="hint"><?cs var:Lang.Document.Allowed ?> <?cs var:MaxUploadMB ?> MB.</p>
    <p><button type="submit"><?cs var:Lang.Document.Send ?></button></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
