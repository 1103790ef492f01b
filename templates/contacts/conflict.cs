<?cs # contacts/conflict.cs — a save against a stale version: stored and submitted values side by side; nothing is overwritten silently. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="conflict">
  <h1><?cs var:Lang.Contact.ConflictTitle ?></h1>
  <p class="error" role="alert"><?cs var:Lang.Contact.ConflictText ?> (<?cs var:Conflict.UpdatedAt ?>)</p>
  <table class="list conflict-table">
    <thead><tr><th scope="col"><?cs var:Lang.Contact.FieldCol ?></th><th scope="col"><?cs var:Lang.Contact.Stored ?></th><th scope="col"><?cs var:Lang.Contact.Yours ?></th></tr></thead>
    <tbody>
    <?cs each:c = Conflict.Rows ?><tr><th scope="row"><?cs var:Lang.Field[c.name] ?></th><td class="stored"><?cs var:c.stored ?></td><td class="mine"><?cs var:c.mine ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <form method="post" action="/contacts/<?cs var:Conflict.Id ?>">
    <?cs call:csrf_field() ?>
    <input type="hidden" name="version" value="<?cs var:Conflict.Version ?>">
    <?cs each:m = Conflict.Mine ?><input type="hidden" name="<?cs var:m.name ?>" value="<?cs var:m.value ?>"><?cs /each ?>
    <p class="buttons">
      <button type="submit" name="action" value="save"><?cs var:Lang.Contact.KeepMine ?></button>
      <a href="/contacts/<?cs var:Conflict.Id ?>/edit"><?cs var:Lang.Contact.TakeStored ?></a>
    </p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
