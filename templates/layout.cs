<?cs # layout.cs — the shared page frame: navigation between modules, current user, language switch, sign out. The page defines page_body() before including this. ?>
<!DOCTYPE html>
<html lang="<?cs var:Page.Lang ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<?cs if:CSRF ?><meta name="csrf-token" content="<?cs var:CSRF ?>"><?cs /if ?>
<title><?cs var:Page.Title ?> · <?cs var:Lang.App.Name ?></title><?cs if:Page.Refresh ?><meta http-equiv="refresh" content="<?cs var:Page.Refresh ?>"><?cs /if ?>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/crm.css">
</head>
<body class="module-<?cs var:Page.Module ?>">
<header class="top">
  <a class="brand" href="<?cs if:Page.Module == "portal" ?>/<?cs else ?>/contacts<?cs /if ?>"><?cs var:Lang.App.Name ?></a>
  <?cs if:User.Login && Page.Module != "portal" ?>
  <nav class="modules">
    <?cs if:User.Work ?>
    <a href="/contacts"<?cs if:Page.Module == "contacts" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Contacts ?></a>
    <a href="/connections"<?cs if:Page.Module == "connections" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Connections ?></a>
    <?cs /if ?>
    <?cs if:User.Admin ?><a href="/settings"<?cs if:Page.Module == "settings" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Settings ?></a><?cs /if ?>
  </nav>
  <?cs /if ?>
  <div class="session">
    <?cs if:CSRF ?>
    <form class="lang" method="post" action="/lang">
      <?cs call:csrf_field() ?>
      <input type="hidden" name="next" value="<?cs var:Page.Path ?>">
      <label for="lang-select" class="visually-hidden"><?cs var:Lang.Nav.Language ?></label>
      <select id="lang-select" name="language">
        <option value="en"<?cs if:Page.Lang == "en" ?> selected<?cs /if ?>>English</option>
        <option value="it"<?cs if:Page.Lang == "it" ?> selected<?cs /if ?>>Italiano</option>
      </select>
      <button type="submit"><?cs var:Lang.Nav.Switch ?></button>
    </form>
    <?cs /if ?>
    <?cs if:User.Login ?>
    <span class="user"><?cs var:User.Name ?></span>
    <form class="logout" method="post" action="/logout">
      <?cs call:csrf_field() ?>
      <button type="submit"><?cs var:Lang.Nav.Logout ?></button>
    </form>
    <?cs /if ?>
  </div>
</header>
<main>
<?cs call:page_body() ?>
</main>
</body>
</html>
