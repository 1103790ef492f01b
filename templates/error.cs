<?cs # error.cs — the error page: a clear message, never internals. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="error-page">
  <h1><?cs var:Error.Status ?> · <?cs var:Page.Title ?></h1>
  <p class="error"><?cs var:Error.Message ?></p>
  <p><a href="/"><?cs var:Lang.Error.Home ?></a></p>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
