<?cs # settings/fields.cs — the additional contact fields: order (move up/down), type, contexts, state; links to edit, deactivate, delete. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="settings-fields">
  <h1><?cs var:Lang.Fields.Title ?> <a class="button" href="/settings/fields/new"><?cs var:Lang.Fields.New ?></a></h1>
  <?cs include:"settings/fields_tabs.cs" ?>
  <p><?cs var:Lang.Fields.Intro ?></p>
  <?cs if:subcount(Fields) > 0 ?>
  <table class="list fields">
    <thead><tr><th scope="col"><?cs var:Lang.Fields.Order ?></th><th scope="col"><?cs var:Lang.Fields.Label ?></th><th scope="col"><?cs var:Lang.Fields.Key ?></th><th scope="col"><?cs var:Lang.Fields.Type ?></th><th scope="col"><?cs var:Lang.Fields.Required ?></th><th scope="col"><?cs var:Lang.Fields.Contexts ?></th><th scope="col"><?cs var:Lang.Fields.State ?></th><th scope="col"><span class="visually-hidden"><?cs var:Lang.List.Actions ?></span></th></tr></thead>
    <tbody>
    <?cs each:f = Fields ?>
    <tr class="field-row<?cs if:f.active == "0" ?> inactive<?cs /if ?>" id="field-<?cs var:f.key ?>">
      <td class="order">
        <?cs if:!f.first ?><form class="inline" method="post" action="/settings/fields/<?cs var:f.id ?>/move"><?cs call:csrf_field() ?><input type="hidden" name="direction" value="up"><button type="submit" title="<?cs var:Lang.Fields.MoveUp ?>"><?cs var:Lang.Fields.MoveUp ?></button></form><?cs /if ?>
        <?cs if:!f.last ?><form class="inline" method="post" action="/settings/fields/<?cs var:f.id ?>/move"><?cs call:csrf_field() ?><input type="hidden" name="direction" value="down"><button type="submit" title="<?cs var:Lang.Fields.MoveDown ?>"><?cs var:Lang.Fields.MoveDown ?></button></form><?cs /if ?>
      </td>
      <td class="label"><a href="/settings/fields/<?cs var:f.id ?>"><?cs var:f.label_en ?></a><?cs if:f.label_it ?> / <span lang="it"><?cs var:f.label_it ?></span><?cs /if ?></td>
      <td><code><?cs var:f.key ?></code></td>
      <td><?cs var:Lang.Fields.Types[f.type] ?><?cs if:f.type == "picklist" ?> (<?cs each:o = f.options ?><?cs var:o.label ?><?cs if:o.active == "0" ?> [<?cs var:Lang.Fields.Inactive ?>]<?cs /if ?><?cs if:!last(o) ?>, <?cs /if ?><?cs /each ?>)<?cs /if ?></td>
      <td><?cs if:f.required == "1" ?><?cs var:Lang.Yes ?><?cs else ?><?cs var:Lang.No ?><?cs /if ?></td>
      <td><?cs each:c = f.ctx ?><?cs if:c == "1" ?><span class="ctx"><?cs var:Lang.Fields.Ctx[name(c)] ?></span> <?cs /if ?><?cs /each ?></td>
      <td><?cs if:f.active == "1" ?><?cs var:Lang.Fields.Active ?><?cs else ?><?cs var:Lang.Fields.Inactive ?><?cs /if ?></td>
      <td class="row-menu">
        <a href="/settings/fields/<?cs var:f.id ?>"><?cs var:Lang.Contact.EditAction ?></a>
        <form class="inline" method="post" action="/settings/fields/<?cs var:f.id ?>/active"><?cs call:csrf_field() ?><input type="hidden" name="active" value="<?cs if:f.active == "1" ?>0<?cs else ?>1<?cs /if ?>"><button type="submit"><?cs if:f.active == "1" ?><?cs var:Lang.Fields.Deactivate ?><?cs else ?><?cs var:Lang.Fields.Reactivate ?><?cs /if ?></button></form>
        <?cs if:f.active == "0" ?><a href="/settings/fields/<?cs var:f.id ?>/delete"><?cs var:Lang.Fields.Delete ?></a><?cs /if ?>
      </td>
    </tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Fields.Empty ?></p><?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
