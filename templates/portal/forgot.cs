<?cs # portal/forgot.cs — ask for a password reset link; the answer never says whether the address is known. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="login">
  <h1><?cs var:Lang.Portal.ForgotTitle ?></h1>
  <?cs if:Forgot.Sent ?>
  <p class="notice" role="status" id="forgot-sent"><?cs var:Lang.Portal.ForgotSent ?></p>
  <p><a href="/login"><?cs var:Lang.Portal.BackToLogin ?></a></p>
  <?cs else ?>
  <p><?cs var:Lang.Portal.ForgotIntro ?></p>
  <form method="post" action="/forgot">
    <?cs call:csrf_field() ?>
    <?cs call:text_field("email", Lang.Portal.Email, Form.email, "email", "autofocus") ?>
    <p><button type="submit"><?cs var:Lang.Portal.ForgotSend ?></button></p>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
