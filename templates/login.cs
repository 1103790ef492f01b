<?cs # login.cs — staff sign-in form. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="login">
  <h1><?cs var:Lang.Login.Title ?></h1>
  <?cs if:Login.Error ?><p class="error" role="alert"><?cs var:Login.Error ?></p><?cs /if ?>
  <form method="post" action="/login">
    <?cs call:csrf_field() ?>
    <?cs if:Login.Next ?><input type="hidden" name="next" value="<?cs var:Login.Next ?>"><?cs /if ?>
    <?cs call:text_field("login", Lang.Login.Login, Login.Value, "text", "autofocus") ?>
    <?cs call:text_field("password", Lang.Login.Password, "", "password", "required") ?>
    <p><button type="submit"><?cs var:Lang.Login.Submit ?></button></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
