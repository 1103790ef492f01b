<?cs # connections/confirm.cs — confirmation before deleting a customer or lead, or anonymizing a lead. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="confirm">
  <h1><?cs var:Page.Title ?></h1>
  <p class="record-name"><strong><?cs if:Confirm.Kind == "customer" ?><?cs var:Record.name ?><?cs else ?><?cs var:Record.first_name ?> <?cs var:Record.last_name ?><?cs if:Record.company ?> · <?cs var:Record.company ?><?cs /if ?><?cs /if ?></strong> (#<?cs var:Record.id ?>)</p>
  <p><?cs if:Confirm.Action == "purge" ?><?cs var:Lang.Conn.PurgeText ?><?cs elif:Confirm.Action == "anonymize" ?><?cs var:Lang.Lead.AnonymizeText ?><?cs elif:Confirm.Kind == "customer" ?><?cs var:Lang.Customer.DeleteText ?><?cs else ?><?cs var:Lang.Lead.DeleteText ?><?cs /if ?></p>
  <form method="post" action="<?cs var:Confirm.Path ?>/<?cs var:Record.id ?>/<?cs var:Confirm.Action ?>">
    <?cs call:csrf_field() ?>
    <button type="submit" class="danger"><?cs var:Lang.Conn.Confirm ?></button>
    <a href="<?cs if:Confirm.Action == "purge" ?>/connections/bin<?cs else ?><?cs var:Confirm.Path ?>/<?cs var:Record.id ?><?cs /if ?>"><?cs var:Lang.Conn.Cancel ?></a>
  </form>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
