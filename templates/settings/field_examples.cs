<?cs # settings/field_examples.cs — ready definitions an admin adds in one click (refused when the key exists). ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="settings-field-examples">
  <h1><?cs var:Lang.Fields.ExamplesTitle ?></h1>
  <?cs include:"settings/fields_tabs.cs" ?>
  <p><?cs var:Lang.Fields.ExamplesIntro ?></p>
  <table class="list examples">
    <thead><tr><th scope="col"><?cs var:Lang.Fields.Label ?></th><th scope="col"><?cs var:Lang.Fields.Key ?></th><th scope="col"><?cs var:Lang.Fields.Type ?></th><th scope="col"><?cs var:Lang.Fields.Contexts ?></th><th scope="col"><span class="visually-hidden"><?cs var:Lang.List.Actions ?></span></th></tr></thead>
    <tbody>
    <?cs each:e = Examples ?>
    <tr id="example-<?cs var:e.key ?>">
      <td><?cs var:e.label ?></td>
      <td><code><?cs var:e.key ?></code></td>
      <td><?cs var:Lang.Fields.Types[e.type] ?><?cs if:subcount(e.options) > 0 ?> (<?cs each:o = e.options ?><?cs var:o ?><?cs if:!last(o) ?>, <?cs /if ?><?cs /each ?>)<?cs /if ?></td>
      <td><?cs each:c = e.ctx ?><?cs if:c == "1" ?><span class="ctx"><?cs var:Lang.Fields.Ctx[name(c)] ?></span> <?cs /if ?><?cs /each ?></td>
      <td><?cs if:e.exists == "1" ?><span class="added"><?cs var:Lang.Fields.ExampleAdded ?></span><?cs /if ?>
        <form class="inline" method="post" action="/settings/fields/examples"><?cs call:csrf_field() ?><input type="hidden" name="example" value="<?cs var:e.key ?>"><button type="submit"><?cs var:Lang.Fields.AddExample ?></button></form></td>
    </tr>
    <?cs /each ?>
    </tbody>
  </table>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
