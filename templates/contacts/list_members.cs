<?cs # contacts/list_members.cs — the members of one marketing list. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section>
  <h1><?cs var:List.name ?> (<span id="member-count"><?cs var:MemberCount ?></span>)</h1>
  <?cs if:List.description ?><p><?cs var:List.description ?></p><?cs /if ?>
  <?cs if:MemberCount > 0 ?>
  <table class="list members">
    <thead><tr><th scope="col"><?cs var:Lang.Field.last_name ?></th><th scope="col"><?cs var:Lang.Field.first_name ?></th><th scope="col"><?cs var:Lang.Field.email ?></th></tr></thead>
    <tbody>
    <?cs each:m = Members ?><tr><td><a href="/contacts/<?cs var:m.id ?>"><?cs var:m.last_name ?></a></td><td><?cs var:m.first_name ?></td><td><?cs var:m.email ?><?cs if:m.do_not_email == "1" ?> <span class="flag"><?cs var:Lang.Field.do_not_email ?></span><?cs /if ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Lists.NoMembers ?></p><?cs /if ?>
  <p><a href="/contacts/lists"><?cs var:Lang.Lists.Back ?></a></p>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
