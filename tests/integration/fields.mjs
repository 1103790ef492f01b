// Additional fields and consents (settings issue, SPEC §1 custom, §2 form sections and consent filter, §3, §7): the
// settings pages and API of crm_admin, the values on the contact form, page, list and API, as a user or an attacker
// sees them over HTTP through nginx; stored rows checked in MariaDB with sql().
// Fields and consents of this run have keys starting with `t<RUN>`; they are deactivated when the suite ends, so that
// later suites (the browser test) see none of them.
import { createHash } from 'node:crypto';
import {
  test, after, ok, eq, fail, expectStatus, expectRedirect, expectJson, expectJsonError,
  Client, login, createToken, getCsrf, parseForm, parseAttrs, findTags, findTag, elementInner, textOf, decodeEntities,
} from '../lib/harness.mjs';
import { once, dedicatedUser, adminToken, PASSWORD, RUN } from './fixtures.mjs';
import { listRows, totalOf } from './pages.mjs';
import { sql } from './mail.mjs';
import { staffRoutes } from './routes.mjs';
import { formValues, merged } from '../lib/harness.mjs';

const XSS = '<script>alert(1)</script>';
const XSS2 = '"><img src=x onerror=alert(1)>';
const RAW_TAG = /<script>alert\(1\)|<img src=x onerror/i;

// ------------------------------------------------------------------ clients

const ROLES = { admin: ['crm_admin'], manager: ['crm_manager'], sales: ['crm_sales'], marketeer: ['crm_marketeer'], norole: [] };
const ROLE_NAME = { admin: 'crm_admin', manager: 'crm_manager', sales: 'crm_sales', marketeer: 'crm_marketeer', norole: 'no role' };
function roleUser(role) { return dedicatedUser('f' + role, ROLES[role]); }

/** A logged-in staff client of `role` (shared by the tests), with its csrf token in c.csrf. */
function web(base, role) {
  return once(`fields-web:${base}:${role}`, async () => {
    const c = await login(base, await roleUser(role), PASSWORD);
    c.csrf = await csrfOf(c);
    return c;
  });
}

async function csrfOf(c) {
  const t = getCsrf((await c.get('/contacts')).text);
  if (t) return t;
  const hash = createHash('sha256').update(c.jar.get('crm_session') || '').digest('hex');
  return sql(`SELECT csrf FROM sessions WHERE id_hash = '${hash}'`);
}

/** An API client with a Bearer token of `role`. */
async function api(base, role) {
  const token = await once(`fields-token:${role}`, async () => createToken(await roleUser(role)));
  const c = new Client(base);
  c.headers.authorization = 'Bearer ' + token;
  return c;
}

// ------------------------------------------------------------------ names and helpers

let seq = 0;
/** A key unique to this run: t<RUN>_<tag><n> (lower case). */
function key(tag) { seq += 1; return `t${RUN}_${tag}${seq}`.toLowerCase(); }
function mark() { seq += 1; return `Fx${RUN}n${seq}`; }
function q(s) { return `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`; }
function num(query) { return Number(sql(query)); }

async function defineField(base, body) {
  const a = await api(base, 'admin');
  const res = await a.post('/api/v1/settings/fields', { json: body });
  return expectJson(res, 201);
}
async function patchField(base, id, body) {
  return (await api(base, 'admin')).request('PATCH', `/api/v1/settings/fields/${id}`, { json: body });
}
async function defineConsent(base, body) {
  return expectJson(await (await api(base, 'admin')).post('/api/v1/settings/consents', { json: body }), 201);
}
async function apiCreate(a, body) { return expectJson(await a.post('/api/v1/contacts', { json: { create_anyway: true, ...body } }), 201); }
function patch(a, id, body) { return a.request('PATCH', `/api/v1/contacts/${id}`, { json: body }); }
async function apiGet(a, id) { return expectJson(await a.get(`/api/v1/contacts/${id}`), 200); }


/** Open /contacts/new, fill in changes, Save: the POST response. */
async function formCreate(c, changes) {
  const page = expectStatus(await c.get('/contacts/new'), 200);
  const f = formValues(page.text, { action: '/contacts' });
  ok(f, 'no <form action="/contacts"> on /contacts/new', page);
  return c.post('/contacts', { form: merged(f.fields, { create_anyway: '1', ...changes, action: 'save' }) });
}
function savedId(res) {
  const u = expectRedirect(res, /^\/contacts\/\d+\/edit\?saved=1$/);
  return Number(u.pathname.split('/')[2]);
}
async function formEdit(c, id, changes) {
  const page = expectStatus(await c.get(`/contacts/${id}/edit`), 200);
  const f = formValues(page.text, { action: `/contacts/${id}` });
  ok(f, `no <form action="/contacts/${id}"> on the edit page`, page);
  return c.post(`/contacts/${id}`, { form: merged(f.fields, { ...changes, action: 'save' }) });
}

/** The error shown next to form field `name`: the text of its span.field-error inside the same <p>/<div>, or null. */
function fieldError(html, name) {
  const err = findTag(html, 'span', { id: `err-${name}` });
  if (!err) return null;
  const before = html.slice(0, err.index);
  const block = Math.max(before.lastIndexOf('<p '), before.lastIndexOf('<div '), before.lastIndexOf('<p>'));
  const control = html.slice(block, err.index);
  ok(new RegExp(`name="${name}"`).test(control), `the error #err-${name} is not in the block of the ${name} control`);
  return textOf(elementInner(html, 'span', { id: `err-${name}` }));
}

function stored(contactId, fieldId) {
  const out = sql(`SELECT IFNULL(v_text, '<null>'), IFNULL(v_long, '<null>') FROM contact_custom WHERE contact_id = ${Number(contactId)} AND field_id = ${Number(fieldId)}`);
  return out ? out.split('\t') : null;
}

/** Text of the <dd> of an additional field on the contact page (class custom-KEY), or null. */
function shownOnPage(html, k) {
  const inner = elementInner(html, 'dd', { class: `custom-${k}` });
  return inner === null ? null : textOf(inner);
}

function noRawPayload(res, what) {
  const m = res.text.match(RAW_TAG);
  ok(!m, `${what}: unescaped payload ${m && JSON.stringify(m[0])} in the page`, res);
}

// ------------------------------------------------------------------ the types

const TYPES = [
  { type: 'text', good: 'Hello world', want: 'Hello world', bad: 'x'.repeat(300) },
  { type: 'longtext', good: 'Line one\nLine two', want: 'Line one\nLine two', bad: 'Bell \u0007 inside' },
  { type: 'number', good: '42', want: 42, bad: '4.5' },
  { type: 'decimal', good: '1234.50', want: 1234.5, bad: '12.3.4' },
  { type: 'date', good: '2025-02-28', want: '2025-02-28', bad: '2025-02-30' },
  { type: 'checkbox', good: '1', apiGood: true, want: true, bad: 'maybe' },
  { type: 'picklist', good: 'gold', want: 'gold', bad: 'platinum' },
  { type: 'email', good: 'anna@example.com', want: 'anna@example.com', bad: 'not-an-email' },
  { type: 'phone', good: '+39 02 1234567', want: '+39 02 1234567', bad: '12ab34' },
  { type: 'url', good: 'https://example.com/profile', want: 'https://example.com/profile', bad: 'javascript:alert(1)' },
];

const PICK_OPTIONS = [
  { key: 'gold', label: { en: 'Gold', it: 'Oro' } },
  { key: 'silver', label: { en: 'Silver', it: 'Argento' } },
  { key: 'bronze', label: { en: 'Bronze', it: 'Bronzo' } },
];

// ------------------------------------------------------------------ tests

export function registerFieldTests(base) {
  const T = (title, fn, opts) => test(`[nginx] fields: ${title}`, fn, opts);

  after(async () => {
    // leave nothing of this run active for later suites (browser test)
    sql(`UPDATE custom_fields SET active = 0 WHERE field_key LIKE 't${RUN}\\_%'`);
    sql(`UPDATE consents SET active = 0 WHERE code LIKE 't${RUN}\\_%'`);
  });

  /** One field of every type (backoffice and list contexts), created once over the API. */
  function typeFields() {
    return once('fields:types', async () => {
      const out = {};
      for (const t of TYPES) {
        const body = { key: key(t.type), type: t.type, label: { en: `Label ${t.type}`, it: `Etichetta ${t.type}` },
          contexts: ['backoffice-crm-contacts', 'list'] };
        if (t.type === 'picklist') body.options = PICK_OPTIONS;
        out[t.type] = await defineField(base, body);
      }
      return out;
    });
  }

  T('admin creates a field of every type over the API (201) and lists them with key, type, labels and contexts', async () => {
    const defs = await typeFields();
    const list = expectJson(await (await api(base, 'admin')).get('/api/v1/settings/fields'), 200);
    for (const t of TYPES) {
      const d = list.items.find((x) => x.key === defs[t.type].key);
      ok(d, `field of type ${t.type} not listed`);
      eq(d.type, t.type, 'type');
      eq(d.label.it, `Etichetta ${t.type}`, 'Italian label');
      eq(d.contexts.join(','), 'backoffice-crm-contacts,list', 'contexts');
      eq(d.active, true, 'active');
    }
    eq(defs.picklist.options.map((o) => o.key).join(','), 'gold,silver,bronze', 'picklist options');
  });

  for (const t of TYPES) {
    T(`type ${t.type}: the API stores a good value and answers 422 with custom.KEY in fields for a bad one`, async () => {
      const defs = await typeFields();
      const k = defs[t.type].key;
      const a = await api(base, 'sales');
      const c = await apiCreate(a, { last_name: mark(), custom: { [k]: t.apiGood ?? t.good } });
      eq(c.custom[k], t.want, `custom.${k} of the created contact`);
      const got = await apiGet(a, c.id);
      eq(got.custom[k], t.want, `custom.${k} read back`);
      const last = mark();
      const body = expectJsonError(await a.post('/api/v1/contacts', { json: { last_name: last, custom: { [k]: t.bad } } }), 422, 'invalid');
      ok(typeof (body.error.fields || {})[`custom.${k}`] === 'string', `no error for custom.${k} in ${JSON.stringify(body.error.fields)}`);
      eq(num(`SELECT COUNT(*) FROM contacts WHERE last_name = ${q(last)}`), 0, 'contacts stored with the bad value');
      // PATCH: a bad value is refused and the stored one stays
      const p = expectJsonError(await patch(a, c.id, { version: got.version, custom: { [k]: t.bad } }), 422, 'invalid');
      ok(p.error.fields[`custom.${k}`], 'PATCH: no error for the field');
      eq((await apiGet(a, c.id)).custom[k], t.want, 'value after the refused PATCH');
    });

    T(`type ${t.type}: the staff form has the right input, stores a good value and shows the error next to the field for a bad one`, async () => {
      const defs = await typeFields();
      const k = defs[t.type].key;
      const name = `custom_${k}`;
      const c = await web(base, 'sales');
      const page = expectStatus(await c.get('/contacts/new'), 200);
      const section = elementInner(page.text, 'fieldset', { class: 'section-custom' });
      ok(section, 'no fieldset.section-custom on the form', page);
      const input = {
        longtext: () => /<textarea\b[^>]*name="custom_/.test(section) && new RegExp(`<textarea[^>]*name="${name}"`).test(section),
        picklist: () => new RegExp(`<select[^>]*name="${name}"`).test(section),
        checkbox: () => !!findTag(section, 'input', { name, type: 'checkbox' }),
        date: () => !!findTag(section, 'input', { name, type: 'date' }),
        number: () => !!findTag(section, 'input', { name, type: 'number' }),
        email: () => !!findTag(section, 'input', { name, type: 'email' }),
        url: () => !!findTag(section, 'input', { name, type: 'url' }),
        phone: () => !!findTag(section, 'input', { name, type: 'tel' }),
      }[t.type] || (() => !!findTag(section, 'input', { name }));
      ok(input(), `no fitting control for ${t.type} named ${name} in Additional data`, page);
      ok(textOf(section).includes(`Label ${t.type}`), `label "Label ${t.type}" not in Additional data`, page);
      const id = savedId(await formCreate(c, { last_name: mark(), [name]: t.good }));
      const view = expectStatus(await c.get(`/contacts/${id}`), 200);
      const shown = shownOnPage(view.text, k);
      const wantShown = { checkbox: 'Yes', picklist: 'Gold', decimal: '1234.5', longtext: 'Line one Line two' }[t.type] ?? t.good;
      eq(shown, wantShown, `value of ${k} on the contact page`, view);
      // a bad value: 422, error next to the field, the typed value kept
      const last = mark();
      const bad = await formCreate(c, { last_name: last, [name]: t.bad });
      eq(bad.status, 422, `POST /contacts with a bad ${t.type}`);
      const msg = fieldError(bad.text, name);
      ok(msg && msg.length > 0, `no error next to ${name}`, bad);
      eq(num(`SELECT COUNT(*) FROM contacts WHERE last_name = ${q(last)}`), 0, 'contacts stored with the bad value');
      ok(formValues(bad.text, { action: '/contacts' }).fields.last_name === last, 'last_name not kept after the error', bad);
    });
  }

  T('API PATCH changes only the custom keys present; null clears one; the history records old and new', async () => {
    const defs = await typeFields();
    const [kt, kn] = [defs.text.key, defs.number.key];
    const a = await api(base, 'sales');
    const c = await apiCreate(a, { last_name: mark(), custom: { [kt]: 'First', [kn]: 5 } });
    const p1 = expectJson(await patch(a, c.id, { version: c.version, custom: { [kn]: 6 } }), 200);
    eq(p1.custom[kt], 'First', 'text kept');
    eq(p1.custom[kn], 6, 'number changed');
    const p2 = expectJson(await patch(a, c.id, { version: p1.version, custom: { [kt]: null } }), 200);
    eq(p2.custom[kt], null, 'text cleared');
    eq(stored(c.id, defs.text.id), null, 'row of the cleared value');
    const h = sql(`SELECT CONCAT(field, ':', IFNULL(old_value, '-'), ':', IFNULL(new_value, '-')) FROM history WHERE entity = 'contact' AND entity_id = ${c.id} AND field LIKE 'custom.%' ORDER BY id`);
    eq(h.split('\n').join(' | '), `custom.${kt}:-:First | custom.${kn}:-:5 | custom.${kn}:5:6 | custom.${kt}:First:-`, 'history of the custom values');
    const page = expectStatus(await (await web(base, 'sales')).get(`/contacts/${c.id}`), 200);
    ok(textOf(elementInner(page.text, 'section', { id: 'activity' })).includes('Label number'), 'the activity feed does not name the field by its label', page);
  });

  T('required custom field: refused empty on create and on edit (form and API); a default fills new contacts created without it', async () => {
    const req = await defineField(base, { key: key('req'), type: 'text', label: { en: 'Required thing' }, required: true });
    const dflt = await defineField(base, { key: key('dflt'), type: 'picklist', label: { en: 'With default' }, default: 'silver', options: PICK_OPTIONS });
    try {
      const a = await api(base, 'sales');
      const e1 = expectJsonError(await a.post('/api/v1/contacts', { json: { last_name: mark() } }), 422, 'invalid');
      ok(e1.error.fields[`custom.${req.key}`], 'API create without the required field: no error for it');
      const c = await apiCreate(a, { last_name: mark(), custom: { [req.key]: 'given' } });
      eq(c.custom[dflt.key], 'silver', 'default of the picklist on an API create');
      const e2 = expectJsonError(await patch(a, c.id, { version: c.version, custom: { [req.key]: '' } }), 422, 'invalid');
      ok(e2.error.fields[`custom.${req.key}`], 'API PATCH emptying the required field: no error for it');
      // the form: default preselected, required refused
      const w = await web(base, 'sales');
      const page = expectStatus(await w.get('/contacts/new'), 200);
      const f = formValues(page.text, { action: '/contacts' });
      eq(f.fields[`custom_${dflt.key}`], 'silver', 'default preselected on the new-contact form');
      const bad = await formCreate(w, { last_name: mark() });
      eq(bad.status, 422, 'form create without the required field');
      ok(fieldError(bad.text, `custom_${req.key}`), 'no error next to the required field', bad);
      const id = savedId(await formCreate(w, { last_name: mark(), [`custom_${req.key}`]: 'x' }));
      eq(stored(id, dflt.id)[0], 'silver', 'default stored by the form');
      const edit = await formEdit(w, id, { [`custom_${req.key}`]: '' });
      eq(edit.status, 422, 'form edit emptying the required field');
      ok(fieldError(edit.text, `custom_${req.key}`), 'no error next to the required field on edit', edit);
    } finally {
      await patchField(base, req.id, { active: false });
      await patchField(base, dflt.id, { active: false });
    }
  });

  T('a deactivated field keeps its values, hidden from form, page, list and API; visible again after reactivation', async () => {
    const f = await defineField(base, { key: key('deact'), type: 'text', label: { en: `Deact ${RUN}` }, contexts: ['backoffice-crm-contacts', 'list'] });
    const a = await api(base, 'sales');
    const last = mark();
    const c = await apiCreate(a, { last_name: last, custom: { [f.key]: 'Kept value' } });
    const w = await web(base, 'sales');
    const adminWeb = await web(base, 'admin');
    // deactivate through the settings page
    expectRedirect(await adminWeb.post(`/settings/fields/${f.id}/active`, { form: { csrf_token: adminWeb.csrf, active: '0' } }), /^\/settings\/fields/);
    ok(!(f.key in (await apiGet(a, c.id)).custom), 'API still shows the inactive field');
    const view = expectStatus(await w.get(`/contacts/${c.id}`), 200);
    eq(shownOnPage(view.text, f.key), null, 'contact page still shows the inactive field');
    ok(!(await w.get(`/contacts/${c.id}/edit`)).text.includes(`custom_${f.key}`), 'edit form still has the inactive field');
    ok(!(await w.get(`/contacts?q=${last}`)).text.includes(`Deact ${RUN}`), 'list still has the column');
    // an edit through the form keeps the hidden value
    expectRedirect(await formEdit(w, c.id, { first_name: 'Edited' }), /saved=1/);
    eq(stored(c.id, f.id)[0], 'Kept value', 'value stored while inactive');
    // the API refuses writes to the inactive key
    const v = (await apiGet(a, c.id)).version;
    const e = expectJsonError(await patch(a, c.id, { version: v, custom: { [f.key]: 'new' } }), 422, 'invalid');
    ok(e.error.fields[`custom.${f.key}`], 'no error for the inactive key');
    // reactivate: visible again with the value
    expectRedirect(await adminWeb.post(`/settings/fields/${f.id}/active`, { form: { csrf_token: adminWeb.csrf, active: '1' } }), /^\/settings\/fields/);
    eq((await apiGet(a, c.id)).custom[f.key], 'Kept value', 'API after reactivation');
    eq(shownOnPage(expectStatus(await w.get(`/contacts/${c.id}`), 200).text, f.key), 'Kept value', 'contact page after reactivation');
    await patchField(base, f.id, { active: false });
  });

  T('deleting a field needs confirmation (refused while active; the page counts the contacts holding a value), removes the values and is logged', async () => {
    const f = await defineField(base, { key: key('del'), type: 'text', label: { en: 'To delete' } });
    const a = await api(base, 'sales');
    const c1 = await apiCreate(a, { last_name: mark(), custom: { [f.key]: 'one' } });
    await apiCreate(a, { last_name: mark(), custom: { [f.key]: 'two' } });
    const w = await web(base, 'admin');
    const active = await w.get(`/settings/fields/${f.id}/delete`);
    eq(active.status, 409, 'delete page of an active field');
    eq(findTag(active.text, 'form', { action: `/settings/fields/${f.id}/delete` }), undefined, 'an active field offers the delete form');
    eq((await w.post(`/settings/fields/${f.id}/delete`, { form: { csrf_token: w.csrf, confirm: f.key } })).status, 409, 'POST delete of an active field');
    expectStatus(await patchField(base, f.id, { active: false }), 200);
    const page = expectStatus(await w.get(`/settings/fields/${f.id}/delete`), 200);
    eq(textOf(elementInner(page.text, 'strong', { id: 'values' })), '2', 'contacts holding a value, on the confirmation', page);
    eq(num(`SELECT COUNT(*) FROM contact_custom WHERE field_id = ${f.id}`), 2, 'values after the GET');
    eq((await w.post(`/settings/fields/${f.id}/delete`, { form: { csrf_token: w.csrf } })).status, 422, 'POST without the confirmation');
    const form = parseForm(page.text, { action: `/settings/fields/${f.id}/delete` });
    ok(form && form.fields.csrf_token, 'no confirmation form with a csrf token', page);
    expectRedirect(await w.post(`/settings/fields/${f.id}/delete`, { form: form.fields }), /^\/settings\/fields\?done=deleted$/);
    eq(num(`SELECT COUNT(*) FROM contact_custom WHERE field_id = ${f.id}`), 0, 'values after the deletion');
    eq(num(`SELECT COUNT(*) FROM custom_fields WHERE id = ${f.id}`), 0, 'the definition after the deletion');
    expectJsonError(await (await api(base, 'admin')).get(`/api/v1/settings/fields/${f.id}`), 404, 'not_found');
    eq(sql(`SELECT details FROM admin_history WHERE area = 'field' AND target_id = ${f.id} AND action = 'delete'`), `key=${f.key} values_removed=2`, 'admin log of the deletion');
    ok(!(f.key in (await apiGet(a, c1.id)).custom), 'the contact still shows the deleted field');
  });

  T('a list field is a list column and a filter (HTML cf_KEY and API), checkbox "not ticked" included', async () => {
    const defs = await typeFields();
    const pk = defs.picklist.key;
    const ck = defs.checkbox.key;
    const a = await api(base, 'sales');
    const prefix = `Lf${RUN}`;
    const gold = await apiCreate(a, { last_name: `${prefix}a`, custom: { [pk]: 'gold', [ck]: true } });
    const silver = await apiCreate(a, { last_name: `${prefix}b`, custom: { [pk]: 'silver' } });
    const none = await apiCreate(a, { last_name: `${prefix}c` });
    const w = await web(base, 'sales');
    const all = expectStatus(await w.get(`/contacts?q=${prefix}`), 200);
    const head = elementInner(all.text, 'thead');
    ok(textOf(head).includes('Label picklist'), 'no list column for the picklist field', all);
    const rows = listRows(all.text);
    eq(rows.length, 3, 'rows without filter');
    ok(rows.find((r) => r.key === `/contacts/${gold.id}`).text.includes('Gold'), 'the gold row does not show Gold', all);
    const filtered = expectStatus(await w.get(`/contacts?q=${prefix}&cf_${pk}=gold`), 200);
    eq(listRows(filtered.text).map((r) => r.key).join(','), `/contacts/${gold.id}`, 'rows with cf filter gold');
    eq(totalOf(filtered.text), 1, 'total with the filter');
    ok(findTag(filtered.text, 'select', { name: `cf_${pk}` }), 'no filter control for the list field', filtered);
    const api1 = expectJson(await a.get(`/api/v1/contacts?q=${prefix}&cf_${pk}=silver`), 200);
    eq(api1.items.map((i) => i.id).join(','), String(silver.id), 'API items with cf filter silver');
    eq(api1.items[0].custom[pk], 'silver', 'API item carries the list field');
    const notTicked = expectJson(await a.get(`/api/v1/contacts?q=${prefix}&cf_${ck}=0`), 200);
    eq(notTicked.items.map((i) => i.id).sort().join(','), [silver.id, none.id].sort().join(','), 'API checkbox not ticked');
    const both = expectJson(await a.get(`/api/v1/contacts?q=${prefix}&cf_${ck}=1&cf_${pk}=gold`), 200);
    eq(both.items.map((i) => i.id).join(','), String(gold.id), 'two filters at once');
    const badKey = expectJsonError(await a.get(`/api/v1/contacts?cf_${pk}x=1`), 422, 'invalid');
    ok(badKey.error.fields[`cf_${pk}x`], 'unknown list field: no error for it');
    const badVal = expectJsonError(await a.get(`/api/v1/contacts?cf_${defs.date.key}=2025-13-01`), 422, 'invalid');
    ok(badVal.error.fields[`cf_${defs.date.key}`], 'bad date filter: no error for it');
    // paging keeps the filter
    const paged = expectJson(await a.get(`/api/v1/contacts?q=${prefix}&cf_${ck}=0&limit=1`), 200);
    ok(paged.next, 'no next cursor on a filtered page of 1');
    const p2 = expectJson(await a.get(`/api/v1/contacts?q=${prefix}&cf_${ck}=0&limit=1&after=${paged.next}`), 200);
    eq(p2.items.length, 1, 'second filtered page');
    ok(p2.items[0].id !== paged.items[0].id, 'second page repeats the first');
  });

  T('a filter on a list field is its own statement shape: a semi-join on contact_custom with the field id and value bound', async () => {
    const defs = await typeFields();
    const pk = defs.picklist.key;
    const a = await api(base, 'sales');
    const prefix = `Sh${RUN}`;
    await apiCreate(a, { last_name: `${prefix}a`, custom: { [pk]: 'bronze' } });
    // the general query log of the test server, for exactly these two requests
    sql("SET GLOBAL general_log = 0; SET GLOBAL log_output = 'TABLE'; TRUNCATE TABLE mysql.general_log; SET GLOBAL general_log = 1");
    try {
      expectJson(await a.get(`/api/v1/contacts?q=${prefix}`), 200);
      expectJson(await a.get(`/api/v1/contacts?q=${prefix}&cf_${pk}=bronze`), 200);
    } finally {
      sql('SET GLOBAL general_log = 0');
    }
    // MariaDB logs a statement's parameters expanded only on some executions: accept ? or the literal
    const logged = (type) => sql(`SELECT REPLACE(REPLACE(CONVERT(argument USING utf8mb4), '\\n', ' '), '\\t', ' ') FROM mysql.general_log `
      + `WHERE command_type = '${type}' AND argument LIKE 'SELECT c.id, c.first_name, c.middle_name%' ORDER BY event_time`).split('\n').filter(Boolean);
    const rows = logged('Execute');
    const prepared = logged('Prepare');
    sql('TRUNCATE TABLE mysql.general_log');
    eq(rows.length, 2, 'list statements executed');
    ok(!rows[0].includes('contact_custom'), `the unfiltered list already reads contact_custom: ${rows[0].slice(0, 300)}`);
    ok(/AND c\.id IN \(SELECT x\.contact_id FROM contact_custom x WHERE x\.field_id = (\?|\d+) AND x\.v_text = (\?|'bronze')\)/.test(rows[1]),
      `the filtered list is not the semi-join on contact_custom: ${rows[1].slice(0, 900)}`);
    for (const p of prepared.filter((x) => x.includes('contact_custom'))) {
      ok(p.includes('x.field_id = ? AND x.v_text = ?'), `the prepared filter does not bind field id and value: ${p.slice(0, 900)}`);
    }
  });

  T('a picklist option in use cannot be removed silently (form and API); it can be made inactive and stays shown; an unused one is removed', async () => {
    const f = await defineField(base, { key: key('opts'), type: 'picklist', label: { en: 'Opts' }, options: PICK_OPTIONS });
    const a = await api(base, 'sales');
    const c = await apiCreate(a, { last_name: mark(), custom: { [f.key]: 'gold' } });
    try {
      // API: the list without gold
      const e = expectJsonError(await patchField(base, f.id, { options: PICK_OPTIONS.filter((o) => o.key !== 'gold') }), 422, 'invalid');
      ok(e.error.fields.options, 'no error on options');
      eq(num(`SELECT COUNT(*) FROM custom_field_options WHERE field_id = ${f.id} AND option_key = 'gold'`), 1, 'gold option after the refused PATCH');
      // form: tick remove on gold
      const w = await web(base, 'admin');
      const page = expectStatus(await w.get(`/settings/fields/${f.id}`), 200);
      const form = formValues(page.text, { action: `/settings/fields/${f.id}` });
      ok(form, 'no edit form of the field', page);
      const goldRow = Object.entries(form.fields).find(([k, v]) => /^opt_key_\d+$/.test(k) && v === 'gold');
      ok(goldRow, 'no option row for gold', page);
      const i = goldRow[0].split('_')[2];
      const refused = await w.post(`/settings/fields/${f.id}`, { form: { ...form.fields, [`opt_remove_${i}`]: '1' } });
      eq(refused.status, 422, 'form removing an option in use');
      ok(textOf(refused.text).includes('make it inactive'), 'no explanation for the refusal', refused);
      eq(num(`SELECT COUNT(*) FROM custom_field_options WHERE field_id = ${f.id} AND option_key = 'gold'`), 1, 'gold after the refused form');
      // inactive instead: the contact keeps gold, new contacts cannot choose it
      const inactive = PICK_OPTIONS.map((o) => (o.key === 'gold' ? { ...o, active: false } : o));
      expectJson(await patchField(base, f.id, { options: inactive }), 200);
      eq((await apiGet(a, c.id)).custom[f.key], 'gold', 'value of the contact after the option became inactive');
      eq(shownOnPage(expectStatus(await (await web(base, 'sales')).get(`/contacts/${c.id}`), 200).text, f.key), 'Gold', 'contact page shows the inactive option');
      expectJsonError(await a.post('/api/v1/contacts', { json: { last_name: mark(), custom: { [f.key]: 'gold' } } }), 422, 'invalid');
      // the contact's own form still offers gold (its value) and saves unchanged
      expectRedirect(await formEdit(await web(base, 'sales'), c.id, { first_name: 'Still' }), /saved=1/);
      eq(stored(c.id, f.id)[0], 'gold', 'value after an edit of another field');
      // an unused option goes
      expectJson(await patchField(base, f.id, { options: inactive.filter((o) => o.key !== 'bronze') }), 200);
      eq(num(`SELECT COUNT(*) FROM custom_field_options WHERE field_id = ${f.id} AND option_key = 'bronze'`), 0, 'bronze after removal');
    } finally {
      await patchField(base, f.id, { active: false });
    }
  });

  T('key rules: lower-case identifier, unique, not a built-in field name, immutable; the default is validated by type', async () => {
    const a = await api(base, 'admin');
    for (const [k, why] of [['Bad Key', 'format'], ['first_name', 'built-in'], ['email', 'built-in'], ['1abc', 'format']]) {
      const e = expectJsonError(await a.post('/api/v1/settings/fields', { json: { key: k, type: 'text', label: { en: 'x' } } }), 422, 'invalid');
      ok(e.error.fields.key, `key ${k} (${why}) refused without an error on key`);
    }
    const f = await defineField(base, { key: key('imm'), type: 'number', label: { en: 'Imm' } });
    const dup = expectJsonError(await a.post('/api/v1/settings/fields', { json: { key: f.key, type: 'text', label: { en: 'x' } } }), 422, 'invalid');
    ok(dup.error.fields.key, 'a duplicate key: no error on key');
    expectJsonError(await patchField(base, f.id, { key: `${f.key}x` }), 422, 'invalid');
    expectJsonError(await patchField(base, f.id, { type: 'text' }), 422, 'invalid');
    const d = expectJsonError(await patchField(base, f.id, { default: 'abc' }), 422, 'invalid');
    ok(d.error.fields.default, 'a default that is not a number: no error on default');
    eq(expectJson(await patchField(base, f.id, { default: '12', active: false }), 200).default, '12', 'a valid default');
    // the HTML form: errors next to the fields
    const w = await web(base, 'admin');
    const res = await w.post('/settings/fields', { form: { csrf_token: w.csrf, key: 'last_name', type: 'text', label_en: '', opt_n: '0' } });
    eq(res.status, 422, 'form with a built-in key and no label');
    ok(fieldError(res.text, 'key') && fieldError(res.text, 'label_en'), 'errors next to key and label', res);
  });

  T('reorder: move up and down without JavaScript (POST forms) changes the order on the form', async () => {
    const f1 = await defineField(base, { key: key('ord'), type: 'text', label: { en: `Ord one ${RUN}` } });
    const f2 = await defineField(base, { key: key('ord'), type: 'text', label: { en: `Ord two ${RUN}` } });
    try {
      const w = await web(base, 'admin');
      const list = expectStatus(await w.get('/settings/fields'), 200);
      const up = findTags(list.text, 'form').find((t) => t.attrs.action === `/settings/fields/${f2.id}/move`);
      ok(up, 'no move form for the field', list);
      expectRedirect(await w.post(`/settings/fields/${f2.id}/move`, { form: { csrf_token: w.csrf, direction: 'up' } }), '/settings/fields');
      const form = expectStatus(await (await web(base, 'sales')).get('/contacts/new'), 200).text;
      ok(form.indexOf(`Ord two ${RUN}`) < form.indexOf(`Ord one ${RUN}`), 'after moving up, field two is not before field one on the form');
      expectRedirect(await w.post(`/settings/fields/${f2.id}/move`, { form: { csrf_token: w.csrf, direction: 'down' } }), '/settings/fields');
      const again = expectStatus(await (await web(base, 'sales')).get('/contacts/new'), 200).text;
      ok(again.indexOf(`Ord one ${RUN}`) < again.indexOf(`Ord two ${RUN}`), 'after moving down, the order is not restored');
    } finally {
      await patchField(base, f1.id, { active: false });
      await patchField(base, f2.id, { active: false });
    }
  });

  T('settings page form: an admin creates a picklist field with options and edits its Italian label', async () => {
    const w = await web(base, 'admin');
    const page = expectStatus(await w.get('/settings/fields/new'), 200);
    const form = formValues(page.text, { action: '/settings/fields' });
    ok(form, 'no create form', page);
    const k = key('html');
    const res = await w.post('/settings/fields', { form: { ...form.fields, key: k, type: 'picklist', label_en: 'Size', label_it: 'Taglia',
      ctx_backoffice: '1', ctx_list: '1', opt_key_0: 'small', opt_en_0: 'Small', opt_it_0: 'Piccola', opt_active_0: '1', opt_key_1: 'large', opt_en_1: 'Large', opt_active_1: '1' } });
    expectRedirect(res, '/settings/fields?done=created');
    const d = expectJson(await (await api(base, 'admin')).get('/api/v1/settings/fields'), 200).items.find((x) => x.key === k);
    ok(d, 'the field is not listed');
    eq(d.options.map((o) => `${o.key}:${o.label.en}:${o.label.it}`).join(','), 'small:Small:Piccola,large:Large:', 'options');
    eq(d.contexts.join(','), 'backoffice-crm-contacts,list', 'contexts');
    const edit = formValues(expectStatus(await w.get(`/settings/fields/${d.id}`), 200).text, { action: `/settings/fields/${d.id}` });
    expectRedirect(await w.post(`/settings/fields/${d.id}`, { form: { ...edit.fields, label_it: 'Misura' } }), '/settings/fields?done=saved');
    const after2 = expectJson(await (await api(base, 'admin')).get(`/api/v1/settings/fields/${d.id}`), 200);
    eq(after2.label.it, 'Misura', 'Italian label after the edit');
    eq(after2.options.length, 2, 'options after the edit');
    await patchField(base, d.id, { active: false });
  });

  T('examples tab: an example is added in one click (POST with csrf); adding it again is refused cleanly', async () => {
    const w = await web(base, 'admin');
    const page = expectStatus(await w.get('/settings/fields/examples'), 200);
    for (const label of ['Customer code', 'Annual revenue', 'Industry', 'Contract end', 'VIP', 'LinkedIn']) {
      ok(textOf(page.text).includes(label), `example ${label} missing`, page);
    }
    const form = findTags(page.text, 'form').find((t) => t.attrs.action === '/settings/fields/examples');
    ok(form, 'no add form on the examples tab', page);
    const exists = num("SELECT COUNT(*) FROM custom_fields WHERE field_key = 'industry'") > 0;
    const first = await w.post('/settings/fields/examples', { form: { csrf_token: w.csrf, example: 'industry' } });
    if (!exists) {
      expectRedirect(first, '/settings/fields?done=added');
      const d = expectJson(await (await api(base, 'admin')).get('/api/v1/settings/fields'), 200).items.find((x) => x.key === 'industry');
      eq(d.type, 'picklist', 'type of the example');
      ok(d.options.length >= 3 && d.label.it === 'Settore', `options/labels of the example: ${JSON.stringify(d)}`);
    }
    const again = await w.post('/settings/fields/examples', { form: { csrf_token: w.csrf, example: 'industry' } });
    eq(again.status, 409, 'adding the example again');
    ok(textOf(elementInner(again.text, 'main')).includes('in use already'), 'no clear message for the existing key', again);
    eq(num("SELECT COUNT(*) FROM custom_fields WHERE field_key = 'industry'"), 1, 'fields with the key');
    eq((await w.post('/settings/fields/examples', { form: { example: 'vip' } })).status, 403, 'without csrf');
    sql("UPDATE custom_fields SET active = 0 WHERE field_key = 'industry'");
  });

  // ------------------------------------------------------------------ consents

  function consentDef() {
    return once('fields:consent', () => defineConsent(base, { code: key('news'), title: { en: 'Newsletter', it: 'Newsletter' },
      text: { en: 'I agree to receive the newsletter (v1).', it: 'Accetto la newsletter (v1).' } }));
  }

  T('consent granted on the contact form records version 1, the staff user and source form; the contact page shows it', async () => {
    const cd = await consentDef();
    const w = await web(base, 'sales');
    const page = expectStatus(await w.get('/contacts/new'), 200);
    const section = elementInner(page.text, 'fieldset', { class: 'section-consent' });
    ok(findTag(section, 'input', { name: `consent_${cd.code}`, type: 'checkbox' }), 'no checkbox for the consent', page);
    ok(/<details\b/.test(section) && textOf(section).includes('I agree to receive the newsletter (v1).'), 'the detailed text is not in a <details>', page);
    const id = savedId(await formCreate(w, { last_name: mark(), [`consent_${cd.code}`]: '1' }));
    const uid = num(`SELECT id FROM users WHERE login = '${await roleUser('sales')}'`);
    eq(sql(`SELECT CONCAT(granted, ':', version, ':', IFNULL(actor_user_id, '-'), ':', source) FROM consent_events WHERE contact_id = ${id}`),
      `1:1:${uid}:form`, 'consent event');
    eq(sql(`SELECT CONCAT(granted, ':', version) FROM contact_consents WHERE contact_id = ${id}`), '1:1', 'consent state');
    const view = expectStatus(await w.get(`/contacts/${id}`), 200);
    const li = elementInner(view.text, 'li', { class: `consent-${cd.code}` });
    ok(li && textOf(li).includes('granted') && textOf(elementInner(li, 'span', { class: 'version' })) === '1', 'the contact page does not show the grant with version 1', view);
    const ev = elementInner(view.text, 'tr', { class: `consent-${cd.code}` });
    ok(ev && textOf(ev).includes(await roleUser('sales')) && textOf(ev).includes('staff form'), 'consent history row without who and source', view);
  });

  T('editing the consent text makes version 2; the version-1 grant keeps showing version 1; title-only edits make no version', async () => {
    const cd = await consentDef();
    const w = await web(base, 'sales');
    const id = savedId(await formCreate(w, { last_name: mark(), [`consent_${cd.code}`]: '1' }));
    const a = await api(base, 'admin');
    const p = expectJson(await a.request('PATCH', `/api/v1/settings/consents/${cd.id}`, { json: { text: { en: 'I agree to receive the newsletter (v2).' } } }), 200);
    eq(p.version, 2, 'version after the text edit');
    eq(p.versions.length, 2, 'versions kept');
    eq(p.versions.find((v) => v.version === 1).text.en, 'I agree to receive the newsletter (v1).', 'text of version 1 kept');
    const t = expectJson(await a.request('PATCH', `/api/v1/settings/consents/${cd.id}`, { json: { title: { en: 'Newsletter (monthly)' } } }), 200);
    eq(t.version, 2, 'version after a title-only edit');
    const view = expectStatus(await w.get(`/contacts/${id}`), 200);
    const li = elementInner(view.text, 'li', { class: `consent-${cd.code}` });
    eq(textOf(elementInner(li, 'span', { class: 'version' })), '1', 'version shown for the version-1 grant', view);
    eq(textOf(elementInner(view.text, 'td', { class: 'version' })), '1', 'version in the consent history');
    // saving the form unchanged keeps the version-1 grant (no new event)
    expectRedirect(await formEdit(w, id, { first_name: 'Again' }), /saved=1/);
    eq(sql(`SELECT GROUP_CONCAT(CONCAT(granted, ':', version)) FROM consent_events WHERE contact_id = ${id}`), '1:1', 'events after an unchanged save');
    // a new grant now takes version 2
    const id2 = savedId(await formCreate(w, { last_name: mark(), [`consent_${cd.code}`]: '1' }));
    eq(sql(`SELECT version FROM contact_consents WHERE contact_id = ${id2}`), '2', 'version of a grant after the edit');
    // the settings page of the consent lists both versions
    const sp = expectStatus(await (await web(base, 'admin')).get(`/settings/consents/${cd.id}`), 200);
    ok(findTag(sp.text, 'li', { class: 'consent-version-1' }) && findTag(sp.text, 'li', { class: 'consent-version-2' }), 'versions not listed on the consent page', sp);
  });

  T('withdrawing a consent on the form is recorded; the history shows it first, with version and who', async () => {
    const cd = await consentDef();
    const w = await web(base, 'sales');
    const id = savedId(await formCreate(w, { last_name: mark(), [`consent_${cd.code}`]: '1' }));
    expectRedirect(await formEdit(w, id, { [`consent_${cd.code}`]: null }), /saved=1/);
    eq(sql(`SELECT GROUP_CONCAT(granted ORDER BY id) FROM consent_events WHERE contact_id = ${id}`), '1,0', 'events grant then withdrawal');
    eq(sql(`SELECT granted FROM contact_consents WHERE contact_id = ${id}`), '0', 'state after the withdrawal');
    const view = expectStatus(await w.get(`/contacts/${id}`), 200);
    const first = elementInner(view.text, 'tr', { class: `consent-${cd.code}` });
    ok(textOf(elementInner(first, 'td', { class: 'change' })) === 'withdrawn', 'the newest history row is not the withdrawal', view);
    ok(textOf(elementInner(view.text, 'li', { class: `consent-${cd.code}` })).includes('not granted'), 'the state is not "not granted"', view);
  });

  T('the list filters by consent: granted, and withdrawn or never (HTML consent_CODE and API)', async () => {
    const cd = await consentDef();
    const a = await api(base, 'sales');
    const prefix = `Cf${RUN}`;
    const yes = await apiCreate(a, { last_name: `${prefix}a`, consents: { [cd.code]: true } });
    const withdrawn = await apiCreate(a, { last_name: `${prefix}b`, consents: { [cd.code]: true } });
    expectJson(await patch(a, withdrawn.id, { version: withdrawn.version, consents: { [cd.code]: false } }), 200);
    const never = await apiCreate(a, { last_name: `${prefix}c` });
    const g = expectJson(await a.get(`/api/v1/contacts?q=${prefix}&consent_${cd.code}=1`), 200);
    eq(g.items.map((i) => i.id).join(','), String(yes.id), 'API granted');
    const n = expectJson(await a.get(`/api/v1/contacts?q=${prefix}&consent_${cd.code}=0`), 200);
    eq(n.items.map((i) => i.id).sort().join(','), [withdrawn.id, never.id].sort().join(','), 'API withdrawn or never');
    const w = await web(base, 'sales');
    const html = expectStatus(await w.get(`/contacts?q=${prefix}&consent_${cd.code}=1`), 200);
    eq(listRows(html.text).map((r) => r.key).join(','), `/contacts/${yes.id}`, 'HTML granted');
    ok(findTag(html.text, 'select', { name: `consent_${cd.code}` }), 'no consent filter control on the list', html);
    expectJsonError(await a.get(`/api/v1/contacts?consent_${cd.code}=maybe`), 422, 'invalid');
  });

  T('API consents in and out: only active consents, false when not granted; grants over the API have source api; an unknown code or custom key is 422', async () => {
    const cd = await consentDef();
    const off = await defineConsent(base, { code: key('off'), title: { en: 'Off' }, text: { en: 'Inactive consent' }, active: false });
    const a = await api(base, 'sales');
    const c = await apiCreate(a, { last_name: mark() });
    eq(c.consents[cd.code], false, 'a consent not granted');
    ok(!(off.code in c.consents), 'an inactive consent is listed');
    const p = expectJson(await patch(a, c.id, { version: c.version, consents: { [cd.code]: true } }), 200);
    eq(p.consents[cd.code], true, 'granted over the API');
    eq(sql(`SELECT source FROM consent_events WHERE contact_id = ${c.id}`), 'api', 'source of the API grant');
    const e = expectJsonError(await patch(a, c.id, { version: p.version, consents: { nosuchconsent: true } }), 422, 'invalid');
    ok(e.error.fields['consents.nosuchconsent'], `no error for the unknown code: ${JSON.stringify(e.error.fields)}`);
    const e2 = expectJsonError(await a.post('/api/v1/contacts', { json: { last_name: mark(), consents: { [off.code]: true } } }), 422, 'invalid');
    ok(e2.error.fields[`consents.${off.code}`], 'granting an inactive consent: no error');
    const e3 = expectJsonError(await a.post('/api/v1/contacts', { json: { last_name: mark(), consents: { [cd.code]: 'yes' } } }), 422, 'invalid');
    ok(e3.error.fields[`consents.${cd.code}`], 'a non-boolean consent value: no error');
    const e4 = expectJsonError(await a.post('/api/v1/contacts', { json: { last_name: mark(), custom: { nosuchfield: 'x' } } }), 422, 'invalid');
    ok(e4.error.fields['custom.nosuchfield'], 'an unknown custom key: no error');
  });

  T('settings consent form: create, then edit the text through the form makes version 2 (HTML)', async () => {
    const w = await web(base, 'admin');
    const code = key('html');
    const created = await w.post('/settings/consents', { form: { csrf_token: w.csrf, code, title_en: 'Profiling', title_it: 'Profilazione',
      text_en: 'Text one', text_it: 'Testo uno', active: '1' } });
    expectRedirect(created, '/settings/consents?done=created');
    const id = num(`SELECT id FROM consents WHERE code = '${code}'`);
    const edit = formValues(expectStatus(await w.get(`/settings/consents/${id}`), 200).text, { action: `/settings/consents/${id}` });
    expectRedirect(await w.post(`/settings/consents/${id}`, { form: merged(edit.fields, { active: null }) }), '/settings/consents?done=saved');
    eq(sql(`SELECT CONCAT(version, ':', active) FROM consents WHERE id = ${id}`), '1:0', 'deactivating makes no version');
    expectRedirect(await w.post(`/settings/consents/${id}`, { form: { ...edit.fields, text_it: 'Testo due' } }), '/settings/consents?done=versioned');
    eq(sql(`SELECT version FROM consents WHERE id = ${id}`), '2', 'version after the Italian text changed');
    eq(num(`SELECT COUNT(*) FROM consent_versions WHERE consent_id = ${id}`), 2, 'version rows');
    const dup = await w.post('/settings/consents', { form: { csrf_token: w.csrf, code, title_en: 'x', text_en: 'y' } });
    eq(dup.status, 422, 'a second consent with the same code');
    ok(fieldError(dup.text, 'code'), 'no error next to the code', dup);
    sql(`UPDATE consents SET active = 0 WHERE id = ${id}`);
  });

  // ------------------------------------------------------------------ escaping, permissions

  T('script payloads in field labels, option labels, consent titles and texts are shown escaped on every page', async () => {
    const f = await defineField(base, { key: key('xss'), type: 'picklist', label: { en: XSS, it: XSS2 }, contexts: ['backoffice-crm-contacts', 'list'],
      options: [{ key: 'evil', label: { en: XSS2, it: XSS } }] });
    const cd = await defineConsent(base, { code: key('xss'), title: { en: XSS, it: XSS2 }, text: { en: XSS2, it: XSS } });
    try {
      const a = await api(base, 'sales');
      const last = mark();
      const c = await apiCreate(a, { last_name: last, custom: { [f.key]: 'evil' }, consents: { [cd.code]: true } });
      const w = await web(base, 'admin');
      const pages = ['/settings/fields', `/settings/fields/${f.id}`, '/settings/fields/examples', '/settings/consents',
        `/settings/consents/${cd.id}`, '/contacts/new', `/contacts/${c.id}`, `/contacts/${c.id}/edit`, `/contacts?q=${last}`,
        `/contacts?q=${last}&cf_${f.key}=evil`];
      for (const p of pages) {
        const res = expectStatus(await w.get(p), 200);
        noRawPayload(res, `GET ${p}`);
      }
      const shown = async (p, s) => ok(decodeEntities((await w.get(p)).text).includes(s), `${p} does not show ${JSON.stringify(s)} escaped`);
      await shown('/settings/fields', XSS);
      await shown(`/contacts/${c.id}`, XSS);
      await shown(`/contacts/${c.id}`, XSS2);
      await shown('/contacts/new', XSS);
      await shown(`/contacts?q=${last}`, XSS);
      await shown('/settings/consents', XSS);
      // the Italian labels too
      const it = await login(base, await roleUser('admin'), PASSWORD);
      it.setCookie('crm_lang', 'it');
      for (const p of [`/contacts/${c.id}`, '/contacts/new', `/contacts?q=${last}`, '/settings/fields']) noRawPayload(await it.get(p), `GET ${p} (it)`);
      ok(decodeEntities((await it.get(`/contacts/${c.id}`)).text).includes(XSS2), 'the Italian label is not shown (escaped)');
    } finally {
      await patchField(base, f.id, { active: false });
      sql(`UPDATE consents SET active = 0 WHERE id = ${cd.id}`);
    }
  });

  const mine = (r) => /^\/(api\/v1\/)?settings\/(fields|consents)\b/.test(r.pattern);

  T('every additional-field and consent settings route is in the settings program\'s route table as crm_admin only (covered by routes.mjs)', () => {
    const routes = staffRoutes().filter(mine);
    const keys = routes.map((r) => `${r.method} ${r.pattern}`);
    for (const want of ['GET /settings/fields', 'POST /settings/fields', 'GET /settings/fields/new', 'GET /settings/fields/#',
      'POST /settings/fields/#', 'POST /settings/fields/#/move', 'POST /settings/fields/#/active', 'GET /settings/fields/#/delete',
      'POST /settings/fields/#/delete', 'GET /settings/fields/examples', 'POST /settings/fields/examples',
      'GET /api/v1/settings/fields', 'POST /api/v1/settings/fields', 'GET /api/v1/settings/fields/#', 'PATCH /api/v1/settings/fields/#',
      'GET /settings/consents', 'POST /settings/consents', 'GET /settings/consents/new', 'GET /settings/consents/#', 'POST /settings/consents/#',
      'GET /api/v1/settings/consents', 'POST /api/v1/settings/consents', 'GET /api/v1/settings/consents/#', 'PATCH /api/v1/settings/consents/#']) {
      ok(keys.includes(want), `route ${want} missing from settings.fcgi --routes`);
    }
    const notAdmin = routes.filter((r) => r.perm !== 'admin');
    eq(notAdmin.map((r) => `${r.method} ${r.pattern} (${r.perm})`).join(', '), '', 'routes not restricted to crm_admin');
  });

  T('crm_manager, crm_sales, crm_marketeer and a user without role get 403 on every field and consent settings page and endpoint', async () => {
    const routes = staffRoutes().filter(mine);
    const f = await defineField(base, { key: key('perm'), type: 'text', label: { en: 'Perm' } });
    const before = sql(`SELECT CONCAT(label_en, active, sort_order) FROM custom_fields WHERE id = ${f.id}`);
    const problems = [];
    for (const role of ['manager', 'sales', 'marketeer', 'norole']) {
      const w = await web(base, role);
      const a = await api(base, role);
      for (const r of routes) {
        const p = r.pattern.replace('#', String(f.id));
        let res;
        if (r.pattern.startsWith('/api/')) res = await a.request(r.method, p, r.method === 'GET' ? {} : { json: { label: { en: 'Hacked' }, active: false } });
        else res = await w.request(r.method, p, r.method === 'GET' ? {} : { form: { csrf_token: w.csrf, label_en: 'Hacked', active: '0', direction: 'up', confirm: f.key, example: 'vip' } });
        if (res.status !== 403) problems.push(`${ROLE_NAME[role]}: ${r.method} ${p} → ${res.status}`);
      }
    }
    eq(sql(`SELECT CONCAT(label_en, active, sort_order) FROM custom_fields WHERE id = ${f.id}`), before, 'the field after the refused requests');
    await patchField(base, f.id, { active: false });
    if (problems.length) fail(problems.join('\n'));
  });

  T('every state-changing field and consent settings route refuses a missing csrf token (403), also for crm_admin', async () => {
    const routes = staffRoutes().filter((r) => mine(r) && r.method !== 'GET');
    const f = await defineField(base, { key: key('csrf'), type: 'text', label: { en: 'Csrf' }, active: false });
    const w = await web(base, 'admin');
    const problems = [];
    for (const r of routes) {
      const p = r.pattern.replace('#', String(f.id));
      const res = r.pattern.startsWith('/api/') ? await w.request(r.method, p, { json: { label: { en: 'x' } } })
        : await w.request(r.method, p, { form: { label_en: 'x', active: '1', direction: 'up', confirm: f.key, example: 'vip' } });
      if (res.status !== 403) problems.push(`${r.method} ${p} without csrf → ${res.status}`);
    }
    eq(num(`SELECT COUNT(*) FROM custom_fields WHERE id = ${f.id} AND active = 0 AND label_en = 'Csrf'`), 1, 'the field after the refused requests');
    if (problems.length) fail(problems.join('\n'));
  });
}
