<?cs # settings/consents.cs — the consents: code, title, current text version, state. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="settings-consents">
  <h1><?cs var:Lang.Consents.Title ?> <a class="button" href="/settings/consents/new"><?cs var:Lang.Consents.New ?></a></h1>
  <?cs include:"settings/fields_tabs.cs" ?>
  <?cs if:subcount(Consents) > 0 ?>
  <table class="list consents">
    <thead><tr><th scope="col"><?cs var:Lang.Consents.Code ?></th><th scope="col"><?cs var:Lang.Consents.ConsentTitle ?></th><th scope="col"><?cs var:Lang.Consents.Version ?></th><th scope="col"><?cs var:Lang.Fields.State ?></th><th scope="col"><span class="visually-hidden"><?cs var:Lang.List.Actions ?></span></th></tr></thead>
    <tbody>
    <?cs each:c = Consents ?>
    <tr id="consent-<?cs var:c.code ?>"<?cs if:c.active == "0" ?> class="inactive"<?cs /if ?>>
      <td><code><?cs var:c.code ?></code></td>
      <td><?cs var:c.title ?><details class="consent-text"><summary><?cs var:Lang.Consents.ShowText ?></summary><div class="text"><?cs var:c.text_en ?></div><?cs if:c.text_it ?><div class="text" lang="it"><?cs var:c.text_it ?></div><?cs /if ?></details></td>
      <td class="version"><?cs var:c.version ?></td>
      <td><?cs if:c.active == "1" ?><?cs var:Lang.Fields.Active ?><?cs else ?><?cs var:Lang.Fields.Inactive ?><?cs /if ?></td>
      <td class="row-menu"><a href="/settings/consents/<?cs var:c.id ?>"><?cs var:Lang.Contact.EditAction ?></a></td>
    </tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="empty"><?cs var:Lang.Consents.Empty ?></p><?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
