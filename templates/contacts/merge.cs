<?cs # contacts/merge.cs — merge two contacts: both side by side, a choice per field of which value survives. ?>
<?cs include:"macros.cs" ?>
<?cs def:pick_row(f, name, label, input) ?>
    <tr class="merge-field<?cs if:f.same == "1" ?> same<?cs /if ?>" id="row-<?cs var:name ?>">
      <th scope="row"><?cs var:label ?></th>
      <td><label><input type="radio" name="<?cs var:input ?>" value="survivor"<?cs if:f.pick != "other" ?> checked<?cs /if ?>> <span class="value"><?cs call:field_value(name, f.s) ?></span></label></td>
      <td><label><input type="radio" name="<?cs var:input ?>" value="other"<?cs if:f.pick == "other" ?> checked<?cs /if ?>> <span class="value"><?cs call:field_value(name, f.o) ?></span></label></td>
    </tr>
<?cs /def ?>
<?cs def:page_body() ?>
<section class="merge-page">
  <h1><?cs var:Lang.Merge.Title ?></h1>
  <p><?cs var:Lang.Merge.Intro ?></p>
  <p class="swap"><a href="/contacts/<?cs var:Merge.other_id ?>/merge?other=<?cs var:Merge.survivor_id ?>" id="merge-swap"><?cs var:Lang.Merge.Swap ?> #<?cs var:Merge.other_id ?></a></p>
  <?cs if:subcount(Merge.Errors) > 0 ?>
  <div class="errors" role="alert" id="merge-errors"><p><?cs var:Lang.Error.invalid ?></p><ul>
    <?cs each:e = Merge.Errors ?><li><?cs var:e.field ?>: <?cs var:e.msg ?></li><?cs /each ?>
  </ul></div>
  <?cs /if ?>
  <form method="post" action="/contacts/<?cs var:Merge.survivor_id ?>/merge" class="merge">
    <?cs call:csrf_field() ?>
    <input type="hidden" name="other" value="<?cs var:Merge.other_id ?>">
    <table class="list merge-table">
      <thead><tr><th scope="col"><?cs var:Lang.Merge.Field ?></th>
        <th scope="col"><?cs var:Lang.Merge.Survivor ?>: <a href="/contacts/<?cs var:Merge.survivor_id ?>">#<?cs var:Merge.survivor_id ?> <?cs var:Merge.survivor_first ?> <?cs var:Merge.survivor_name ?></a></th>
        <th scope="col"><?cs var:Lang.Merge.Other ?>: <a href="/contacts/<?cs var:Merge.other_id ?>">#<?cs var:Merge.other_id ?> <?cs var:Merge.other_first ?> <?cs var:Merge.other_name ?></a></th></tr></thead>
      <tbody>
      <?cs each:f = Merge.Fields ?><?cs call:pick_row(f, f.name, Lang.Field[f.name], "pick_" + f.name) ?><?cs /each ?>
      <?cs each:f = Merge.Custom ?><?cs call:pick_row(f, "custom_" + f.key, f.label, "pick_custom_" + f.key) ?><?cs /each ?>
      </tbody>
    </table>
    <p class="help"><?cs var:Lang.Merge.Moves ?></p>
    <p class="buttons"><button type="submit" id="merge-submit"><?cs var:Lang.Merge.Submit ?></button> <a href="/contacts/<?cs var:Merge.survivor_id ?>"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
