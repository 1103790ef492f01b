<?cs # settings/rules.cs — contact rules: mandatory fields and the fields that count for master-data completeness (groups of alternatives). ?>
<?cs include:"macros.cs" ?>
<?cs include:"settings/tabs.cs" ?>
<?cs def:page_body() ?>
<section class="settings rules">
  <h1><?cs var:Lang.Settings.Title ?></h1>
  <?cs call:settings_tabs() ?>
  <h2><?cs var:Lang.Settings.Rules ?></h2>
  <?cs call:settings_notice() ?>
  <p class="hint"><?cs var:Lang.Settings.MandatoryText ?></p>
  <p class="hint"><?cs var:Lang.Settings.CompleteText ?></p>
  <section class="card complete-now">
    <h3><?cs var:Lang.Settings.CompleteNow ?></h3>
    <ol class="groups"><?cs each:g = Rules.Groups ?><li><?cs each:f = g ?><?cs if:!first(f) ?> <?cs var:Lang.Settings.Or ?> <?cs /if ?><?cs var:Lang.Field[f] ?><?cs /each ?></li><?cs /each ?></ol>
    <p class="hint"><?cs var:Lang.Settings.ConnectedToo ?></p>
    <p class="refresh" id="refresh-state"><?cs if:Rules.Refresh.state == "running" ?><?cs var:Lang.Settings.RefreshRunning ?> #<?cs var:Rules.Refresh.a ?> / #<?cs var:Rules.Refresh.b ?> (<?cs var:Rules.Refresh.at ?>)<?cs elif:Rules.Refresh.state == "queued" ?><?cs var:Lang.Settings.RefreshQueued ?> (<?cs var:Rules.Refresh.at ?>)<?cs elif:Rules.Refresh.state == "done" ?><?cs var:Lang.Settings.RefreshDone ?> <?cs var:Rules.Refresh.at ?><?cs /if ?></p>
  </section>
  <form method="post" action="/settings/rules" class="card">
    <?cs call:csrf_field() ?>
    <table class="list rules-table">
      <thead><tr><th scope="col"><?cs var:Lang.Settings.Field ?></th><th scope="col"><?cs var:Lang.Settings.Mandatory ?></th><th scope="col"><?cs var:Lang.Settings.Counts ?></th></tr></thead>
      <tbody>
      <?cs each:f = Rules.Fields ?><tr>
        <th scope="row"><?cs var:Lang.Field[f.name] ?> <code><?cs var:f.name ?></code></th>
        <td><label for="m-<?cs var:f.name ?>"><input type="checkbox" id="m-<?cs var:f.name ?>" name="mandatory" value="<?cs var:f.name ?>"<?cs if:f.mandatory == "1" ?> checked<?cs /if ?>> <span class="visually-hidden"><?cs var:Lang.Settings.Mandatory ?></span></label></td>
        <td><label for="g-<?cs var:f.name ?>" class="visually-hidden"><?cs var:Lang.Settings.Counts ?></label>
          <select id="g-<?cs var:f.name ?>" name="group_<?cs var:f.name ?>">
            <option value="0"><?cs var:Lang.Settings.NoGroup ?></option>
            <?cs each:n = Rules.GroupNumbers ?><option value="<?cs var:n ?>"<?cs if:f.group == n ?> selected<?cs /if ?>><?cs var:Lang.Settings.Group ?> <?cs var:n ?></option><?cs /each ?>
          </select></td>
      </tr><?cs /each ?>
      </tbody>
    </table>
    <?cs call:field_error("mandatory") ?>
    <?cs call:field_error("groups") ?>
    <p class="hint"><?cs var:Lang.Settings.RefreshText ?></p>
    <p class="buttons"><button type="submit"><?cs var:Lang.Settings.Save ?></button></p>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
