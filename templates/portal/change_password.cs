<?cs # portal/change_password.cs — the signed-in contact changes its password. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<?cs include:"portal/nav.cs" ?>
<section>
  <h1><?cs var:Lang.Portal.ChangeTitle ?></h1>
  <?cs if:Change.Saved ?><p class="notice" role="status"><?cs var:Lang.Portal.PasswordChanged ?></p><?cs /if ?>
  <form method="post" action="/account/password">
    <?cs call:csrf_field() ?>
    <?cs call:text_field("current_password", Lang.Portal.CurrentPassword, "", "password", "autofocus") ?>
    <?cs call:text_field("password", Lang.Portal.NewPassword, "", "password", "required") ?>
    <?cs call:text_field("password2", Lang.Portal.RepeatPassword, "", "password", "required") ?>
    <p><button type="submit"><?cs var:Lang.Portal.PasswordSave ?></button></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
