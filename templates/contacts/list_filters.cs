<?cs # contacts/list_filters.cs — list filters on additional fields (List.Columns with a param: cf_KEY) and consents (consent_CODE = 1 granted, 0 withdrawn or never). ?>
      <?cs each:col = List.Columns ?><?cs if:col.param ?>
      <label for="flt-<?cs var:col.param ?>"><?cs var:col.label ?></label>
      <?cs if:col.type == "picklist" ?>
      <select id="flt-<?cs var:col.param ?>" name="<?cs var:col.param ?>"><option value=""><?cs var:Lang.List.Any ?></option>
        <?cs each:o = col.options ?><option value="<?cs var:o.key ?>"<?cs if:col.value == o.key ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
      <?cs elif:col.type == "checkbox" ?>
      <select id="flt-<?cs var:col.param ?>" name="<?cs var:col.param ?>"><option value=""><?cs var:Lang.List.Any ?></option>
        <option value="1"<?cs if:col.value == "1" ?> selected<?cs /if ?>><?cs var:Lang.Yes ?></option>
        <option value="0"<?cs if:col.value == "0" ?> selected<?cs /if ?>><?cs var:Lang.No ?></option>
      </select>
      <?cs elif:col.type == "date" ?>
      <input id="flt-<?cs var:col.param ?>" name="<?cs var:col.param ?>" type="date" value="<?cs var:col.value ?>">
      <?cs elif:col.type == "number" ?>
      <input id="flt-<?cs var:col.param ?>" name="<?cs var:col.param ?>" type="number" step="1" value="<?cs var:col.value ?>">
      <?cs else ?>
      <input id="flt-<?cs var:col.param ?>" name="<?cs var:col.param ?>" type="text" value="<?cs var:col.value ?>">
      <?cs /if ?>
      <?cs /if ?><?cs /each ?>
      <?cs each:c = List.Consents ?>
      <label for="flt-<?cs var:c.param ?>"><?cs var:Lang.Consents.Consent ?>: <?cs var:c.title ?></label>
      <select id="flt-<?cs var:c.param ?>" name="<?cs var:c.param ?>"><option value=""><?cs var:Lang.List.Any ?></option>
        <option value="1"<?cs if:c.value == "1" ?> selected<?cs /if ?>><?cs var:Lang.Consents.Granted ?></option>
        <option value="0"<?cs if:c.value == "0" ?> selected<?cs /if ?>><?cs var:Lang.Consents.NotGrantedFilter ?></option>
      </select>
      <?cs /each ?>
