<?cs # portal/nav.cs — the portal's own navigation (included by every signed-in portal page). ?>
<nav class="tabs portal-nav">
  <a href="/home"<?cs if:Page.Tab == "home" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Portal.HomeTitle ?></a>
  <a href="/tickets"<?cs if:Page.Tab == "tickets" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Ticket.Title ?></a>
  <a href="/documents"<?cs if:Page.Tab == "documents" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Document.Title ?></a>
  <a href="/profile"<?cs if:Page.Tab == "profile" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Profile.Title ?></a>
  <a href="/account/password"<?cs if:Page.Tab == "password" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Portal.ChangeTitle ?></a>
</nav>
