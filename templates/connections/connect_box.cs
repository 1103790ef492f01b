<?cs # connections/connect_box.cs — the search box that connects the shown contact (Contact.id) to a lead or customer; included by the contact page and form. ?>
<form class="search connect-box" method="get" action="/connections/search" role="search">
  <input type="hidden" name="contact_id" value="<?cs var:Contact.id ?>">
  <label for="connect-q"><?cs var:Lang.Conn.SearchLabel ?></label>
  <input id="connect-q" name="q" type="search" maxlength="200" placeholder="<?cs var:Lang.Conn.SearchHint ?>">
  <button type="submit"><?cs var:Lang.Conn.Search ?></button>
</form>
