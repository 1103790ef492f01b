<?cs # portal/password.cs — choose a password with a single-use link from the access or reset mail. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="login">
  <h1><?cs var:Lang.Portal.PasswordTitle ?></h1>
  <?cs if:Password.Valid ?>
  <p><?cs var:Lang.Portal.PasswordIntro ?></p>
  <form method="post" action="/password">
    <?cs call:csrf_field() ?>
    <input type="hidden" name="token" value="<?cs var:Password.Token ?>">
    <?cs call:text_field("password", Lang.Portal.NewPassword, "", "password", "autofocus") ?>
    <?cs call:text_field("password2", Lang.Portal.RepeatPassword, "", "password", "required") ?>
    <p><button type="submit"><?cs var:Lang.Portal.PasswordSave ?></button></p>
  </form>
  <?cs else ?>
  <p class="error" role="alert" id="link-invalid"><?cs var:Lang.Portal.LinkInvalid ?></p>
  <p><a href="/forgot"><?cs var:Lang.Portal.ForgotLink ?></a></p>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
