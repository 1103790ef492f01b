<?cs # contacts/lists.cs — marketing lists with member counts; crm_sales and crm_manager create them. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section>
  <h1><?cs var:Lang.Lists.Title ?> (<span id="list-count"><?cs var:ListCount ?></span>)</h1>
  <?cs if:ListCount > 0 ?>
  <table class="list lists">
    <thead><tr><th scope="col"><?cs var:Lang.Lists.Name ?></th><th scope="col"><?cs var:Lang.Lists.Description ?></th><th scope="col"><?cs var:Lang.Lists.Members ?></th></tr></thead>
    <tbody>
    <?cs each:l = Lists ?><tr><td><a href="/contacts/lists/<?cs var:l.id ?>"><?cs var:l.name ?></a></td><td><?cs var:l.description ?></td><td><?cs var:l.members ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Lists.Empty ?></p><?cs /if ?>
  <?cs if:CanMarket == "1" ?>
  <form method="post" action="/contacts/lists" class="card">
    <h2><?cs var:Lang.Lists.New ?></h2>
    <?cs call:csrf_field() ?>
    <?cs call:text_field("name", Lang.Lists.Name, Form.name, "text", "required") ?>
    <p class="field"><label for="f-description"><?cs var:Lang.Lists.Description ?></label><textarea id="f-description" name="description" rows="2"></textarea></p>
    <p><button type="submit"><?cs var:Lang.Lists.Create ?></button></p>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
