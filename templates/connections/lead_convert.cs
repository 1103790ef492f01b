<?cs # connections/lead_convert.cs — convert a lead: what the contact gets, which customer, likely duplicates. ?>
<?cs include:"macros.cs" ?>
<?cs include:"connections/nav.cs" ?>
<?cs def:page_body() ?>
<section class="convert">
  <?cs call:conn_nav("lead") ?>
  <h1><?cs var:Lang.Lead.ConvertTitle ?>: <?cs var:Record.first_name ?> <?cs var:Record.last_name ?><?cs if:Record.company ?> · <?cs var:Record.company ?><?cs /if ?></h1>
  <?cs if:Record.status == "converted" ?>
  <p class="notice" id="converted"><?cs var:Lang.Lead.AlreadyConverted ?> <a href="/contacts/<?cs var:Record.converted_contact_id ?>"><?cs var:Lang.Lead.ConvertedInto ?> #<?cs var:Record.converted_contact_id ?></a></p>
  <?cs else ?>
  <p><?cs var:Lang.Lead.ConvertIntro ?></p>
  <?cs if:Form.ErrorCount ?><div class="error" role="alert"><p><?cs var:Lang.Conn.FixErrors ?></p><ul><?cs each:e = Form.Errors ?><li><?cs var:Lang.Field[name(e)] ?>: <?cs var:e ?></li><?cs /each ?></ul></div><?cs /if ?>
  <h2><?cs var:Lang.Lead.Mapping ?></h2>
  <dl class="fields mapping">
    <dt><?cs var:Lang.Field.first_name ?></dt><dd><?cs call:field_value("first_name", Record.first_name) ?></dd>
    <dt><?cs var:Lang.Field.last_name ?></dt><dd><?cs call:field_value("last_name", Record.last_name) ?></dd>
    <dt><?cs var:Lang.Field.email ?></dt><dd><?cs call:field_value("email", Record.email) ?></dd>
    <dt><?cs var:Lang.Field.work_phone ?></dt><dd><?cs call:field_value("work_phone", Record.phone) ?></dd>
    <dt><?cs var:Lang.Field.language ?></dt><dd><?cs call:field_value("language", Record.language) ?></dd>
    <dt><?cs var:Lang.Field.source ?></dt><dd><?cs var:Lang.Choice.source.lead_conversion ?></dd>
  </dl>
  <form method="post" action="/connections/leads/<?cs var:Record.id ?>/convert">
    <?cs call:csrf_field() ?>
    <fieldset class="customer-choice">
      <legend><?cs var:Lang.Lead.CustomerChoice ?></legend>
      <label><input type="radio" name="customer" value="existing"<?cs if:Convert.Mode == "existing" ?> checked<?cs /if ?>> <?cs var:Lang.Lead.CustomerExisting ?></label>
      <?cs if:subcount(Convert.Candidates) > 0 ?>
      <label for="f-customer_id" class="visually-hidden"><?cs var:Lang.Field.customer ?></label>
      <select id="f-customer_id" name="customer_id">
        <?cs each:c = Convert.Candidates ?><option value="<?cs var:c.id ?>"<?cs if:Convert.CustomerId == c.id ?> selected<?cs /if ?>><?cs var:c.name ?><?cs if:c.city ?> · <?cs var:c.city ?><?cs /if ?> (#<?cs var:c.id ?>)</option><?cs /each ?>
      </select>
      <?cs else ?>
      <label for="f-customer_id"><?cs var:Lang.Lead.CustomerOtherId ?></label>
      <input id="f-customer_id" name="customer_id" type="number" min="1" step="1" value="<?cs var:Convert.CustomerId ?>">
      <?cs /if ?>
      <?cs call:field_error("customer_id") ?>
      <?cs if:Record.company ?><label><input type="radio" name="customer" value="new"<?cs if:Convert.Mode == "new" ?> checked<?cs /if ?>> <?cs var:Lang.Lead.CustomerNew ?>: <?cs var:Record.company ?></label><?cs /if ?>
      <label><input type="radio" name="customer" value="none"<?cs if:Convert.Mode == "none" ?> checked<?cs /if ?>> <?cs var:Lang.Lead.CustomerNone ?></label>
      <?cs call:field_error("customer") ?>
    </fieldset>
    <?cs if:subcount(Convert.Duplicates) > 0 ?>
    <fieldset class="duplicates" id="duplicates" role="alert">
      <legend><?cs var:Lang.Lead.DuplicatesFound ?></legend>
      <table class="list"><tbody>
      <?cs each:d = Convert.Duplicates ?><tr><td><a href="/contacts/<?cs var:d.id ?>"><?cs var:d.first_name ?> <?cs var:d.last_name ?></a></td><td><?cs var:d.email ?></td><td><?cs var:d.mobile_phone ?> <?cs var:d.work_phone ?></td>
        <td><button type="submit" name="contact_id" value="<?cs var:d.id ?>"><?cs var:Lang.Lead.UseContact ?></button></td></tr><?cs /each ?>
      </tbody></table>
      <p><button type="submit" name="create_anyway" value="1"><?cs var:Lang.Lead.CreateAnyway ?></button></p>
    </fieldset>
    <?cs else ?>
    <p class="buttons"><button type="submit" class="primary"><?cs var:Lang.Lead.Convert ?></button> <a href="/connections/leads/<?cs var:Record.id ?>"><?cs var:Lang.Conn.Cancel ?></a></p>
    <?cs /if ?>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
