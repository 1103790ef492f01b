<?cs # contacts/view_extras.cs — the contact page's cards for additional fields (Custom.N) and consents (Consents.N, ConsentHistory.N, newest first). ?>
  <section class="card section-custom">
    <h2><?cs var:Lang.Section.custom ?></h2>
    <?cs if:subcount(Custom) > 0 ?>
    <dl>
    <?cs each:f = Custom ?>
      <dt><?cs var:f.label ?></dt>
      <dd class="custom-<?cs var:f.key ?>"><?cs if:f.type == "checkbox" ?><?cs if:f.value == "1" ?><?cs var:Lang.Yes ?><?cs else ?><?cs var:Lang.No ?><?cs /if ?><?cs elif:f.value == "" ?><span class="empty">—</span><?cs elif:f.type == "url" ?><a href="<?cs var:url_validate(f.value) ?>" rel="noopener noreferrer nofollow"><?cs var:f.value ?></a><?cs else ?><?cs var:f.value ?><?cs /if ?></dd>
    <?cs /each ?>
    </dl>
    <?cs else ?><p class="empty"><?cs var:Lang.Contact.NoCustom ?></p><?cs /if ?>
  </section>
  <section class="card section-consent">
    <h2><?cs var:Lang.Section.consent ?></h2>
    <?cs if:subcount(Consents) > 0 ?>
    <ul class="consents">
    <?cs each:c = Consents ?>
      <li class="consent consent-<?cs var:c.code ?> <?cs if:c.granted == "1" ?>granted<?cs else ?>not-granted<?cs /if ?>"><strong><?cs var:c.title ?></strong>: <?cs if:c.granted == "1" ?><?cs var:Lang.Consents.Granted ?> (<?cs var:Lang.Consents.Version ?> <span class="version"><?cs var:c.version ?></span>)<?cs else ?><?cs var:Lang.Consents.NotGranted ?><?cs /if ?>
        <details class="consent-text"><summary><?cs var:Lang.Consents.ShowText ?> (<?cs var:Lang.Consents.Version ?> <?cs var:c.current ?>)</summary><div class="text"><?cs var:c.text ?></div></details></li>
    <?cs /each ?>
    </ul>
    <?cs else ?><p class="empty"><?cs var:Lang.Contact.NoConsents ?></p><?cs /if ?>
    <h3><?cs var:Lang.Consents.History ?></h3>
    <?cs if:subcount(ConsentHistory) > 0 ?>
    <table class="consent-history">
      <thead><tr><th scope="col"><?cs var:Lang.Consents.At ?></th><th scope="col"><?cs var:Lang.Consents.Consent ?></th><th scope="col"><?cs var:Lang.Consents.Change ?></th><th scope="col"><?cs var:Lang.Consents.Version ?></th><th scope="col"><?cs var:Lang.Consents.Actor ?></th><th scope="col"><?cs var:Lang.Consents.Source ?></th></tr></thead>
      <tbody>
      <?cs each:e = ConsentHistory ?><tr class="consent-event consent-<?cs var:e.code ?>"><td><time><?cs var:e.at ?></time></td><td><?cs var:e.title ?></td><td class="change"><?cs if:e.granted == "1" ?><?cs var:Lang.Consents.EventGranted ?><?cs else ?><?cs var:Lang.Consents.EventWithdrawn ?><?cs /if ?></td><td class="version"><?cs var:e.version ?></td><td class="actor"><?cs if:e.actor ?><?cs var:e.actor ?><?cs else ?><?cs var:Lang.Consents.ActorContact ?><?cs /if ?></td><td class="source"><?cs var:Lang.Consents.Sources[e.source] ?></td></tr><?cs /each ?>
      </tbody>
    </table>
    <?cs else ?><p class="empty"><?cs var:Lang.Consents.NoHistory ?></p><?cs /if ?>
  </section>
