<?cs # portal/login.cs — portal sign-in for contacts, with the reason when access is refused. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="login">
  <h1><?cs var:Lang.Portal.LoginTitle ?></h1>
  <?cs if:Portal.Denied ?><p class="error" role="alert" id="denied"><?cs var:Portal.Denied ?><?cs if:Portal.DeniedCode == "Ended" && Portal.End ?> <?cs var:Portal.End ?><?cs elif:Portal.DeniedCode == "NotYet" && Portal.Start ?> <?cs var:Portal.Start ?><?cs /if ?></p><?cs /if ?>
  <?cs if:Login.Error ?><p class="error" role="alert"><?cs var:Login.Error ?></p><?cs /if ?>
  <?cs if:Login.Notice ?><p class="notice" role="status"><?cs var:Login.Notice ?></p><?cs /if ?>
  <form method="post" action="/login">
    <?cs call:csrf_field() ?>
    <?cs call:text_field("email", Lang.Portal.Email, Login.Value, "email", "autofocus") ?>
    <?cs call:text_field("password", Lang.Login.Password, "", "password", "required") ?>
    <p><button type="submit"><?cs var:Lang.Login.Submit ?></button></p>
  </form>
  <p><a href="/forgot"><?cs var:Lang.Portal.ForgotLink ?></a></p>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
