<?cs # settings/user_form.cs — create or edit a staff user: profile, active, roles; on edit also password reset and API tokens. ?>
<?cs include:"macros.cs" ?>
<?cs include:"settings/tabs.cs" ?>
<?cs def:page_body() ?>
<section class="settings user-form">
  <h1><?cs var:Lang.Settings.Title ?></h1>
  <?cs call:settings_tabs() ?>
  <h2><?cs if:Form.Id ?><?cs var:Lang.Settings.EditUser ?>: <?cs var:Target.login ?><?cs else ?><?cs var:Lang.Settings.NewUser ?><?cs /if ?></h2>
  <?cs call:settings_notice() ?>
  <?cs if:Secret.Value ?><p class="notice secret" role="status"><strong><?cs var:Secret.Label ?></strong> <code id="secret"><?cs var:Secret.Value ?></code></p><?cs /if ?>
  <form method="post" action="/settings/users<?cs if:Form.Id ?>/<?cs var:Form.Id ?><?cs /if ?>" class="card" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:text_field("login", Lang.Login.Login, Form.login, "text", "required") ?>
    <?cs call:text_field("display_name", Lang.Settings.DisplayName, Form.display_name, "text", "") ?>
    <?cs call:text_field("email", Lang.Field.email, Form.email, "email", "") ?>
    <p class="field<?cs if:Form.Errors.language ?> invalid<?cs /if ?>">
      <label for="f-language"><?cs var:Lang.Field.language ?></label>
      <select id="f-language" name="language">
        <option value="en"<?cs if:Form.language == "en" ?> selected<?cs /if ?>>English</option>
        <option value="it"<?cs if:Form.language == "it" ?> selected<?cs /if ?>>Italiano</option>
      </select>
      <?cs call:field_error("language") ?>
    </p>
    <p class="field kind-checkbox<?cs if:Form.Errors.active ?> invalid<?cs /if ?>">
      <label for="f-active"><input type="checkbox" id="f-active" name="active" value="1"<?cs if:Form.active == "1" ?> checked<?cs /if ?>> <?cs var:Lang.Settings.Active ?></label>
      <span class="hint"><?cs var:Lang.Settings.ActiveHint ?></span>
      <?cs call:field_error("active") ?>
    </p>
    <fieldset class="roles<?cs if:Form.Errors.roles ?> invalid<?cs /if ?>">
      <legend><?cs var:Lang.Settings.Roles ?></legend>
      <?cs each:role = Form.Roles ?>
      <label for="f-role-<?cs name:role ?>"><input type="checkbox" id="f-role-<?cs name:role ?>" name="roles" value="<?cs name:role ?>"<?cs if:role == "1" ?> checked<?cs /if ?>> <?cs var:Lang.Settings.Role[name(role)] ?></label>
      <?cs /each ?>
      <span class="hint"><?cs var:Lang.Settings.RolesHint ?></span>
      <?cs call:field_error("roles") ?>
    </fieldset>
    <?cs if:!Form.Id ?>
    <p class="field<?cs if:Form.Errors.password ?> invalid<?cs /if ?>">
      <label for="f-password"><?cs var:Lang.Login.Password ?></label>
      <input id="f-password" name="password" type="password" autocomplete="new-password" value="">
      <span class="hint"><?cs var:Lang.Settings.PasswordHint ?></span>
      <?cs call:field_error("password") ?>
    </p>
    <?cs /if ?>
    <p class="buttons"><button type="submit"><?cs var:Lang.Settings.Save ?></button> <a href="/settings/users"><?cs var:Lang.Settings.BackToUsers ?></a></p>
  </form>
  <?cs if:Form.Id ?>
  <form method="post" action="/settings/users/<?cs var:Form.Id ?>/password" class="card">
    <h3><?cs var:Lang.Settings.PasswordReset ?></h3>
    <?cs call:csrf_field() ?>
    <p class="hint"><?cs var:Lang.Settings.PasswordResetText ?></p>
    <p class="field<?cs if:Form.Errors.password ?> invalid<?cs /if ?>">
      <label for="f-new-password"><?cs var:Lang.Settings.NewPassword ?></label>
      <input id="f-new-password" name="password" type="password" autocomplete="new-password" value="">
      <?cs call:field_error("password") ?>
    </p>
    <p class="buttons"><button type="submit" name="action" value="set"><?cs var:Lang.Settings.SetPassword ?></button> <button type="submit" name="action" value="generate"><?cs var:Lang.Settings.GeneratePassword ?></button></p>
  </form>
  <section class="card tokens">
    <h3><?cs var:Lang.Settings.Tokens ?></h3>
    <p class="hint"><?cs var:Lang.Settings.TokensText ?></p>
    <?cs if:subcount(Tokens) > 0 ?>
    <table class="list tokens">
      <thead><tr><th scope="col">#</th><th scope="col"><?cs var:Lang.Settings.TokenLabel ?></th><th scope="col"><?cs var:Lang.Settings.Created ?></th><th scope="col"><?cs var:Lang.Settings.LastUsed ?></th><th scope="col"><?cs var:Lang.Settings.Revoked ?></th><th></th></tr></thead>
      <tbody>
      <?cs each:t = Tokens ?><tr<?cs if:t.revoked_at ?> class="inactive"<?cs /if ?>><td><?cs var:t.id ?></td><td><?cs var:t.label ?></td><td><?cs var:t.created_at ?></td><td><?cs if:t.last_used_at ?><?cs var:t.last_used_at ?><?cs else ?><?cs var:Lang.Settings.Never ?><?cs /if ?></td><td><?cs var:t.revoked_at ?></td>
        <td><?cs if:!t.revoked_at ?><form method="post" action="/settings/users/<?cs var:Form.Id ?>/tokens/<?cs var:t.id ?>/revoke" class="inline"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Settings.TokenRevoke ?></button></form><?cs /if ?></td></tr><?cs /each ?>
      </tbody>
    </table>
    <?cs else ?><p class="empty"><?cs var:Lang.Settings.NoTokens ?></p><?cs /if ?>
    <form method="post" action="/settings/users/<?cs var:Form.Id ?>/tokens" class="inline">
      <?cs call:csrf_field() ?>
      <label for="f-label"><?cs var:Lang.Settings.TokenLabel ?></label>
      <input id="f-label" name="label" maxlength="100" value="">
      <button type="submit"><?cs var:Lang.Settings.TokenCreate ?></button>
      <?cs call:field_error("label") ?>
    </form>
  </section>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
