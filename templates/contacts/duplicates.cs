<?cs # contacts/duplicates.cs — the duplicates report: groups of contacts sharing an email, a phone or a name. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="duplicates-report">
  <h1><?cs var:Lang.Dupe.ReportTitle ?> (<span id="dupe-count"><?cs var:DupeCount ?></span>)</h1>
  <p><?cs var:Lang.Dupe.ReportText ?></p>
  <?cs if:DupeCount > 0 ?>
  <table class="list duplicates">
    <thead><tr><th scope="col"><?cs var:Lang.Dupe.Key ?></th><th scope="col"><?cs var:Lang.Dupe.Value ?></th><th scope="col"><?cs var:Lang.Dupe.Contacts ?></th></tr></thead>
    <tbody>
    <?cs each:g = Dupes ?><tr class="dupe-group">
      <td><?cs var:Lang.Dupe.Kind[g.kind] ?></td><td><?cs var:g.key ?> (<?cs var:g.count ?>)</td>
      <td><ul><?cs each:c = g.members ?><li><a href="/contacts/<?cs var:c.id ?>">#<?cs var:c.id ?> <?cs var:c.first_name ?> <?cs var:c.last_name ?></a> <?cs var:c.email ?> <?cs var:c.mobile_phone ?> <?cs var:c.work_phone ?><?cs if:c.id != g.first ?> <a class="merge-link" href="/contacts/<?cs var:g.first ?>/merge?other=<?cs var:c.id ?>"><?cs var:Lang.Merge.IntoFirst ?> #<?cs var:g.first ?></a><?cs /if ?></li><?cs /each ?></ul></td>
    </tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Dupe.None ?></p><?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
