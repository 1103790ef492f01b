// Connections module (SPEC §2 Connections and Permissions, §1 status rule, §7 API): customers and leads (form, list,
// profile, recycle bin, API), the connect search with its two tabs, connect / disconnect / primary and what they do to
// a contact's status and history, lead conversion with the duplicate check, lead anonymization, the permission matrix
// and escaping, as a user or an attacker sees them over HTTP; stored rows checked in MariaDB with sql().
// Registered per web server: the whole set through nginx, the paths a user takes most through Apache.
import { createHash, randomInt } from 'node:crypto';
import {
  test, ok, eq, expectStatus, expectRedirect, expectJson, expectJsonError,
  Client, login, createToken, crmctl, getCsrf, parseForm, parseAttrs, findTags, findTag, elementInner, textOf, decodeEntities,
} from '../lib/harness.mjs';
import { once, dedicatedUser, PASSWORD, RUN } from './fixtures.mjs';
import { elementBy, listRows, totalOf, nextHref } from './pages.mjs';
import { sql } from './mail.mjs';
import { formValues, merged } from '../lib/harness.mjs';

const XSS = '<script>alert(1)</script>';
/** Where the connect search stops counting and says "more": 100 (a connect search asks for one more letter, not a census). */
const SEARCH_COUNT_CAP = 100;
const XSS_ESCAPED = /(&lt;|&#0*60;|&#x0*3c;)script(&gt;|&#0*62;|&#x0*3e;)alert\(1\)(&lt;|&#0*60;|&#x0*3c;)(\/|&#0*47;|&#x0*2f;)script(&gt;|&#0*62;|&#x0*3e;)/i;

// ------------------------------------------------------------------ users, clients, tokens

const ROLES = { admin: ['crm_admin'], manager: ['crm_manager'], sales: ['crm_sales'], marketeer: ['crm_marketeer'], norole: [] };

/** Login name of this run's connections-test user holding `role` (created on first use). */
function roleUser(role) { return dedicatedUser('k' + role, ROLES[role]); }

/** A logged-in staff client of `role` on `base` (shared by the tests of one server). */
function as(base, role) {
  return once(`conn-client:${base}:${role}`, async () => login(base, await roleUser(role), PASSWORD));
}

/** An API client of `role` with a Bearer token. */
async function api(base, role) {
  const token = await once(`conn-token:${role}`, async () => createToken(await roleUser(role)));
  const c = new Client(base);
  c.headers.authorization = 'Bearer ' + token;
  return c;
}

/** The csrf token of a logged-in client: from a page it can see (any status), else the session row. */
async function csrfOf(c) {
  const res = await c.get('/connections/customers');
  const t = getCsrf(res.text);
  if (t) return t;
  const hash = createHash('sha256').update(c.jar.get('crm_session') || '').digest('hex');
  const row = sql(`SELECT csrf FROM sessions WHERE id_hash = '${hash}'`);
  ok(row, 'no csrf token on /connections/customers and no session row for the client');
  return row;
}

// ------------------------------------------------------------------ names and stored rows

let seq = 0;
/** A word unique to this run and call (lower-case letters and digits: one word of the search index, prefix of no
 *  other token of the run). */
function tok() { seq += 1; return `cn${RUN}w${seq}z`; }
/** A capitalized unique word, for names. */
function Tok() { const t = tok(); return t[0].toUpperCase() + t.slice(1); }
function email(t) { return `${t.toLowerCase()}@example.com`; }
/** A mobile number unique enough for one run (12 digits after +39). */
function phone() { return `+39 3${randomInt(10, 99)} ${randomInt(1000000, 9999999)}`; }
function num(query) { return Number(sql(query)); }
const sq = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

// ------------------------------------------------------------------ API helpers

async function apiCreate(a, kind, body) {
  const res = await a.post(`/api/v1/${kind}`, { json: body });
  return expectJson(res, 201);
}
const newCustomer = (a, body) => apiCreate(a, 'customers', body);
const newLead = (a, body) => apiCreate(a, 'leads', body);
/** A complete contact (first name, last name, email): its status is draft until it is connected. */
function newContact(a, extra = {}) {
  const t = Tok();
  return apiCreate(a, 'contacts', { first_name: 'Carla', last_name: t, email: email(t), ...extra });
}
async function contactStatus(a, id) { return expectJson(await a.get(`/api/v1/contacts/${id}`), 200).status; }
async function linksOf(a, contactId) {
  const body = expectJson(await a.get(`/api/v1/connections?contact_id=${contactId}`), 200);
  ok(Array.isArray(body.items), 'GET /api/v1/connections: no items array');
  return body.items;
}
async function connect(a, contactId, target, targetId, extra = {}) {
  const res = await a.post('/api/v1/connections', { json: { contact_id: contactId, target, target_id: targetId, ...extra } });
  return expectJson(res, 201);
}
async function apiSearch(a, q, contactId) {
  const res = await a.get('/api/v1/connections/search?q=' + encodeURIComponent(q) + (contactId ? `&contact_id=${contactId}` : ''));
  const body = expectJson(res, 200);
  ok(body.leads && body.customers, 'search answer without leads/customers groups', res);
  return body;
}
function patch(a, path, body) { return a.request('PATCH', path, { json: body }); }
function del(a, path) { return a.request('DELETE', path); }
async function activity(a, contactId) {
  return expectJson(await a.get(`/api/v1/contacts/${contactId}/activity`), 200).items || [];
}

// ------------------------------------------------------------------ HTML helpers


/** Field names marked wrong on a page (`<span class="field-error" id="err-FIELD">`), sorted. */
function fieldErrors(html) {
  const out = [];
  for (const t of findTags(html, 'span')) {
    if (!(t.attrs.class || '').split(/\s+/).includes('field-error')) continue;
    const m = /^err-(.+)$/.exec(t.attrs.id || '');
    if (m) out.push(m[1]);
  }
  return out.sort();
}

/** A refused HTML save: 422 and exactly `fields` marked wrong. */
function expectRefused(res, fields) {
  expectStatus(res, 422);
  eq(fieldErrors(res.text).join(','), [...fields].sort().join(','), 'fields marked as wrong', res);
}

/** Open KIND's new form (customers / leads), fill in `changes`, press `action`; the POST response. */
async function formCreate(c, kind, changes, action = 'save') {
  const page = expectStatus(await c.get(`/connections/${kind}/new`), 200);
  const f = formValues(page.text, { action: `/connections/${kind}` });
  ok(f, `no <form action="/connections/${kind}"> on /connections/${kind}/new`, page);
  return c.post(`/connections/${kind}`, { form: merged(f.fields, { ...changes, action }) });
}

/** The id of the record a Save created (303 to /connections/KIND/ID/edit?saved=1). */
function savedId(res, kind) {
  const u = expectRedirect(res, new RegExp(`^/connections/${kind}/\\d+/edit\\?saved=1$`));
  return Number(u.pathname.split('/')[3]);
}

/** The edit form of a record: {page, form}. */
async function editForm(c, kind, id) {
  const page = expectStatus(await c.get(`/connections/${kind}/${id}/edit`), 200);
  const form = formValues(page.text, { action: `/connections/${kind}/${id}` });
  ok(form, `no <form action="/connections/${kind}/${id}"> on the edit page`, page);
  return { page, form };
}

/** Every `<form>` of a page with its parsed fields: [{action, fields, inner, index}]. */
function forms(html) {
  return findTags(html, 'form').map((t) => {
    const f = parseForm(html.slice(t.index));
    return { action: t.attrs.action, method: (t.attrs.method || 'get').toLowerCase(), fields: f ? f.fields : {}, inner: f ? f.inner : '', index: t.index };
  });
}

/** The HTML of the contact page's connections section: from h2#connections to the next h2. */
function connectionsSection(html) {
  const h = findTag(html, 'h2', { id: 'connections' });
  if (!h) return null;
  const rest = html.slice(h.end);
  const next = rest.search(/<h2\b/i);
  return next < 0 ? rest : rest.slice(0, next);
}

/** The number inside `<span class="count">` of the tab link a#ID on a search page (NaN if none). */
function tabCount(html, id) {
  const inner = elementInner(html, 'a', { id });
  if (inner === null) return null;
  const span = elementBy(inner, 'class', 'count');
  return Number(textOf(span ?? '').replace(/[^\d]/g, '') || NaN);
}

/** The connect form in a search panel for target/target_id; null if absent. */
function connectForm(panelHtml, target, targetId) {
  return forms(panelHtml).find((f) => f.action === '/connections/connect' && f.fields.target === target
    && f.fields.target_id === String(targetId)) || null;
}

/** Index of the column whose header reads `label` in `<table class="list">` (−1 if absent). */
function columnIndex(html, label) {
  const table = elementInner(html, 'table', { class: 'list' });
  const thead = table && elementInner(table, 'thead');
  if (!thead) return -1;
  const ths = [];
  const re = /<th\b[^>]*>([\s\S]*?)<\/th>/gi;
  let m;
  while ((m = re.exec(thead))) ths.push(textOf(m[1]));
  return ths.findIndex((t) => t === label);
}

/** Visible text of the cells of a table row (`<td>`s in order). */
function cells(rowHtml) {
  const out = [];
  const re = /<td\b[^>]*>([\s\S]*?)<\/td>/gi;
  let m;
  while ((m = re.exec(rowHtml))) out.push(textOf(m[1]));
  return out;
}

/** The `<li>` texts and HTML of `ol.history` on a customer or lead page. */
function historyItems(html) {
  const ol = elementInner(html, 'ol', { class: 'history' });
  if (ol === null) return null;
  const items = [];
  const re = /<li\b[^>]*>([\s\S]*?)<\/li>/gi;
  let m;
  while ((m = re.exec(ol))) items.push({ html: m[1], text: textOf(m[1]) });
  return items;
}

// ------------------------------------------------------------------ tests

export function registerConnectionTests(name, staff) {
  const T = (title, fn, opts) => test(`[${name}] connections: ${title}`, fn, opts);
  const A = (role) => as(staff, role);
  const API = (role) => api(staff, role);

  if (name !== 'nginx') {
    // through Apache: the same program behind another server; the paths a user takes most
    T('customer form Save creates the customer and its profile shows it', async () => {
      const c = await A('sales');
      const n = `Apache ${Tok()}`;
      const id = savedId(await formCreate(c, 'customers', { name: n, type: 'partner' }), 'customers');
      const page = expectStatus(await c.get(`/connections/customers/${id}`), 200);
      ok(textOf(elementInner(page.text, 'h1') || '').includes(n), `the profile heading does not name ${n}`, page);
    });
    T('connect search finds a customer and CONNECT connects it; the contact page lists it', async () => {
      const c = await A('sales');
      const a = await API('sales');
      const t = Tok();
      const cu = await newCustomer(a, { name: `Apache Works ${t}` });
      const ct = await newContact(a);
      const page = expectStatus(await c.get(`/connections/search?contact_id=${ct.id}&q=${t}&tab=customers`), 200);
      const f = connectForm(elementBy(page.text, 'id', 'panel-customers') || '', 'customer', cu.id);
      ok(f, `no CONNECT form for customer ${cu.id} in #panel-customers`, page);
      expectRedirect(await c.post('/connections/connect', { form: f.fields }), `/contacts/${ct.id}?connected=1`);
      const view = expectStatus(await c.get(`/contacts/${ct.id}`), 200);
      ok((textOf(connectionsSection(view.text)) || '').includes(`Apache Works ${t}`), 'the contact page does not list the customer', view);
      eq(await contactStatus(a, ct.id), 'contact', 'status of the connected complete contact');
    });
    T('API lead convert with customer=new answers 201 and the lead is converted', async () => {
      const a = await API('sales');
      const t = Tok();
      const lead = await newLead(a, { first_name: 'Ada', last_name: t, company: `Apache Lead Co ${t}`, email: email(t) });
      const out = expectJson(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'new' } }), 201);
      ok(out.contact_id && out.customer_id, `convert answer: ${JSON.stringify(out)}`);
      eq(expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200).status, 'converted', 'lead status');
    });
    return;
  }

  // ================================================================ customers: the form

  T('customer: new form has every field by its canonical name, csrf_token, Save and Save and exit', async () => {
    const c = await A('sales');
    const res = expectStatus(await c.get('/connections/customers/new'), 200);
    const f = formValues(res.text, { action: '/connections/customers' });
    ok(f, 'no <form action="/connections/customers">', res);
    eq(f.method, 'post', 'form method', res);
    const names = ['name', 'type', 'email', 'phone', 'website', 'vat', 'street', 'city', 'postal_code', 'province', 'country', 'notes', 'active'];
    const missing = names.filter((n) => !new RegExp(`<(input|select|textarea)\\b[^>]*\\bname="${n}"`).test(f.inner));
    eq(missing.join(','), '', 'fields without a control', res);
    ok(f.fields.csrf_token, 'no csrf_token in the form', res);
    ok(findTag(f.inner, 'button', { name: 'action', value: 'save' }), 'no Save button (name=action value=save)', res);
    ok(findTag(f.inner, 'button', { name: 'action', value: 'save_exit' }), 'no Save and exit button', res);
  });

  T('customer: Save creates it and stays on its edit form with the saved values', async () => {
    const c = await A('sales');
    const n = `Stay Srl ${Tok()}`;
    const res = await formCreate(c, 'customers', { name: n, type: 'vendor', city: 'Bergamo', website: 'https://stay.example.com/' });
    const id = savedId(res, 'customers');
    eq(sql(`SELECT CONCAT(name, '|', type, '|', city, '|', website) FROM customers WHERE id = ${id}`),
      `${n}|vendor|Bergamo|https://stay.example.com/`, 'stored row');
    const { page, form } = await editForm(c, 'customers', id);
    eq(form.fields.name, n, 'name on the edit form', page);
    eq(form.fields.type, 'vendor', 'type on the edit form', page);
    ok(form.fields.version, 'the edit form has no version', page);
  });

  T('customer: Save and exit creates it (type customer by default) and goes to its profile', async () => {
    const c = await A('sales');
    const n = `Exit Spa ${Tok()}`;
    const res = await formCreate(c, 'customers', { name: n }, 'save_exit');
    const u = expectRedirect(res, /^\/connections\/customers\/\d+$/);
    eq(sql(`SELECT type FROM customers WHERE id = ${Number(u.pathname.split('/')[3])}`), 'customer', 'type stored when the form leaves it untouched');
    const page = expectStatus(await c.get(u.pathname), 200);
    ok(textOf(elementInner(page.text, 'h1') || '').includes(n), `the profile heading does not name ${n}`, page);
  });

  T('customer: a form without a name is refused (422) with the error on name; nothing stored', async () => {
    const c = await A('sales');
    const t = Tok();
    expectRefused(await formCreate(c, 'customers', { name: '  ', city: t }), ['name']);
    eq(num(`SELECT COUNT(*) FROM customers WHERE city = ${sq(t)}`), 0, 'customers stored');
  });

  T('customer: a 201-character name is refused, 200 characters are accepted', async () => {
    const c = await A('sales');
    const t = Tok();
    const long = (t + ' ').padEnd(201, 'x');
    expectRefused(await formCreate(c, 'customers', { name: long }), ['name']);
    const id = savedId(await formCreate(c, 'customers', { name: long.slice(0, 200) }), 'customers');
    eq(sql(`SELECT CHAR_LENGTH(name) FROM customers WHERE id = ${id}`), '200', 'stored name length');
  });

  T('customer: a bad email, website and type are refused next to their fields, input kept', async () => {
    const c = await A('sales');
    const n = `Bad Values ${Tok()}`;
    const res = await formCreate(c, 'customers', { name: n, email: 'not-an-email', website: 'javascript:alert(1)', type: 'friend' });
    expectRefused(res, ['email', 'type', 'website']);
    const f = formValues(res.text, { action: '/connections/customers' });
    eq(f && f.fields.name, n, 'name kept in the form', res);
    eq(num(`SELECT COUNT(*) FROM customers WHERE name = ${sq(n)}`), 0, 'customers stored');
  });

  T('customer: a website without http(s) (ftp://) is refused', async () => {
    const c = await A('sales');
    expectRefused(await formCreate(c, 'customers', { name: `Ftp ${Tok()}`, website: 'ftp://files.example.com' }), ['website']);
  });

  T('customer: editing saves the change; a stale version gets the 409 conflict page and changes nothing', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `Edit ${Tok()}`, city: 'Roma' });
    const { form } = await editForm(c, 'customers', cu.id);
    const ok1 = await c.post(`/connections/customers/${cu.id}`, { form: merged(form.fields, { city: 'Milano', action: 'save' }) });
    expectRedirect(ok1, `/connections/customers/${cu.id}/edit?saved=1`);
    eq(sql(`SELECT city FROM customers WHERE id = ${cu.id}`), 'Milano', 'stored city');
    const stale = await c.post(`/connections/customers/${cu.id}`, { form: merged(form.fields, { city: 'Torino', action: 'save' }) });
    expectStatus(stale, 409);
    ok(stale.text.includes('Milano'), 'the conflict page does not show the value saved meanwhile (Milano)', stale);
    eq(sql(`SELECT city FROM customers WHERE id = ${cu.id}`), 'Milano', 'stored city after the stale save');
  });

  // ================================================================ customers: the list

  T('customer list: a word search shows the matching customers and "Total: N" in #total', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    for (const n of [`Alpha ${t}`, `Beta ${t}`, `Gamma ${t}`]) await newCustomer(a, { name: n });
    await newCustomer(a, { name: `Other ${Tok()}` });
    const res = expectStatus(await c.get(`/connections/customers?q=${t}`), 200);
    eq(totalOf(res.text), 3, '#total', res);
    const rows = listRows(res.text) || [];
    eq(rows.length, 3, 'rows', res);
    ok(['Alpha', 'Beta', 'Gamma'].every((w) => rows.some((r) => r.text.includes(`${w} ${t}`))), 'a customer is missing', res);
  });

  T('customer list: the type filter and sort=name (alphabetical) work together with the search', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    await newCustomer(a, { name: `Zulu ${t}`, type: 'partner' });
    await newCustomer(a, { name: `Bravo ${t}`, type: 'partner' });
    await newCustomer(a, { name: `Mike ${t}`, type: 'vendor' });
    const res = expectStatus(await c.get(`/connections/customers?q=${t}&type=partner&sort=name`), 200);
    eq(totalOf(res.text), 2, '#total', res);
    const names = (listRows(res.text) || []).map((r) => r.text.split(` ${t}`)[0].trim());
    eq(names.join(','), 'Bravo,Zulu', 'rows in name order', res);
  });

  T('customer list: keyset paging (limit=2) walks every match once through rel="next" links', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const made = ['Echo', 'Delta', 'Foxtrot', 'Golf', 'Hotel'].map((w) => `${w} ${t}`);
    for (const n of made) await newCustomer(a, { name: n });
    const seen = [];
    let href = `/connections/customers?q=${t}&sort=name&limit=2`;
    for (let i = 0; href && i < 5; i++) {
      const res = expectStatus(await c.get(href), 200);
      eq(totalOf(res.text), 5, `#total on page ${i + 1}`, res);
      const rows = listRows(res.text) || [];
      ok(rows.length <= 2, `page ${i + 1} shows ${rows.length} rows with limit=2`, res);
      seen.push(...rows.map((r) => r.text.split(` ${t}`)[0].trim()));
      const next = nextHref(res.text);
      if (next) ok(/[?&]after=\d+/.test(next), `rel=next link without after=ID: ${next}`, res);
      href = next ? decodeEntities(next) : null;
      if (href && !/[?&]limit=/.test(href)) href += '&limit=2';
    }
    eq(seen.join(','), 'Delta,Echo,Foxtrot,Golf,Hotel', 'names over all pages');
  });

  T('customer list: the words of q match in any order, each the start of a word of the name', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    await newCustomer(a, { name: `Verdi Impianti ${t}` });
    await newCustomer(a, { name: `Impianti Verdi ${t}` });
    for (const q of [`verd imp ${t}`, `imp verd ${t}`]) {
      const res = expectStatus(await c.get(`/connections/customers?q=${encodeURIComponent(q)}`), 200);
      eq(totalOf(res.text), 2, `#total for "${q}"`, res);
    }
    const none = expectStatus(await c.get(`/connections/customers?q=${encodeURIComponent(`pianti ${t}`)}`), 200);
    eq(totalOf(none.text), 0, '#total for the infix "pianti"', none);
  });

  for (const sort of ['name', 'updated']) {
    T(`customer list: paging one by one (sort=${sort}) shows each of three customers of the same name once`, async () => {
      const c = await A('sales');
      const a = await API('sales');
      const t = tok();
      const made = [];
      for (let i = 0; i < 3; i++) made.push((await newCustomer(a, { name: `Twin ${t}` })).id);
      const seen = [];
      let href = `/connections/customers?q=${t}&sort=${sort}&limit=1`;
      for (let i = 0; href && i < 6; i++) {
        const res = expectStatus(await c.get(href), 200);
        for (const r of listRows(res.text) || []) {
          const m = /\/connections\/customers\/(\d+)/.exec(r.html);
          if (m) seen.push(Number(m[1]));
        }
        const next = nextHref(res.text);
        href = next ? (/[?&]limit=/.test(next) ? next : next + '&limit=1') : null;
      }
      eq([...seen].sort((x, y) => x - y).join(','), [...made].sort((x, y) => x - y).join(','), 'customer ids over all pages');
    });
  }

  T('customer list: sort=updated shows the last changed first', async () => {
    const a = await API('sales');
    const c = await A('sales');
    const t = tok();
    const first = await newCustomer(a, { name: `Old ${t}` });
    await newCustomer(a, { name: `Young ${t}` });
    sql(`UPDATE customers SET updated_at = NOW() + INTERVAL 1 MINUTE WHERE id = ${first.id}`);
    const res = expectStatus(await c.get(`/connections/customers?q=${t}&sort=updated`), 200);
    const names = (listRows(res.text) || []).map((r) => r.text.split(` ${t}`)[0].trim());
    eq(names.join(','), 'Old,Young', 'rows, last changed first', res);
  });

  // ================================================================ customers: the API

  T('API customer: create answers 201 with the stored customer (type customer and active by default); GET returns it', async () => {
    const a = await API('sales');
    const n = `Api Srl ${Tok()}`;
    const body = await newCustomer(a, { name: n, email: 'INFO@api.example.com', phone: '+39 02 1234567', vat: 'IT01234567890', city: 'Como' });
    ok(Number.isInteger(body.id) && body.id > 0, `id: ${JSON.stringify(body.id)}`);
    eq(body.name, n, 'name');
    eq(body.type, 'customer', 'default type');
    eq(body.active, true, 'default active');
    ok(Number.isInteger(body.version), `version: ${JSON.stringify(body.version)}`);
    const got = expectJson(await a.get(`/api/v1/customers/${body.id}`), 200);
    for (const k of ['name', 'type', 'phone', 'vat', 'city', 'version']) eq(got[k], body[k], `GET ${k}`);
  });

  T('API customer: an invalid body answers 422 with error.fields for name, type and website; nothing stored', async () => {
    const a = await API('sales');
    const t = Tok();
    const res = await a.post('/api/v1/customers', { json: { name: '', type: 'friend', website: 'www.example.com', city: t } });
    const body = expectJsonError(res, 422, 'invalid');
    const fields = Object.keys(body.error.fields || {}).sort().join(',');
    eq(fields, 'name,type,website', 'error.fields', res);
    eq(num(`SELECT COUNT(*) FROM customers WHERE city = ${sq(t)}`), 0, 'customers stored');
  });

  T('API customer: PATCH with the version saves; the same version again answers 409 conflict; invalid answers 422', async () => {
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `Patch ${Tok()}` });
    const v2 = expectJson(await patch(a, `/api/v1/customers/${cu.id}`, { version: cu.version, city: 'Lecco' }), 200);
    eq(v2.city, 'Lecco', 'patched city');
    eq(v2.version, cu.version + 1, 'version after the PATCH');
    expectJsonError(await patch(a, `/api/v1/customers/${cu.id}`, { version: cu.version, city: 'Monza' }), 409, 'conflict');
    const bad = expectJsonError(await patch(a, `/api/v1/customers/${cu.id}`, { version: v2.version, email: 'x@' }), 422, 'invalid');
    ok(bad.error.fields && bad.error.fields.email, 'no error.fields.email');
    eq(sql(`SELECT city FROM customers WHERE id = ${cu.id}`), 'Lecco', 'stored city');
  });

  T('API customer: PATCH without a version is refused', async () => {
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `NoVersion ${Tok()}` });
    const res = await patch(a, `/api/v1/customers/${cu.id}`, { city: 'Pavia' });
    ok(res.status === 409 || res.status === 422, `PATCH without version: status ${res.status}`, res);
    eq(sql(`SELECT IFNULL(city, '') FROM customers WHERE id = ${cu.id}`), '', 'stored city');
  });

  T('API customer: list pages with next (an id string) and after=; total and total_capped', async () => {
    const a = await API('sales');
    const t = tok();
    for (const w of ['India', 'Juliet', 'Kilo']) await newCustomer(a, { name: `${w} ${t}` });
    const p1 = expectJson(await a.get(`/api/v1/customers?q=${t}&limit=2`), 200);
    eq(p1.total, 3, 'total');
    eq(p1.total_capped, false, 'total_capped');
    eq(p1.items.length, 2, 'items on page 1');
    ok(typeof p1.next === 'string' && /^\d+$/.test(p1.next), `next: ${JSON.stringify(p1.next)}`);
    const p2 = expectJson(await a.get(`/api/v1/customers?q=${t}&limit=2&after=${p1.next}`), 200);
    eq(p2.items.length, 1, 'items on page 2');
    eq(p2.next, null, 'next on the last page');
    eq([...p1.items, ...p2.items].map((i) => i.name.split(' ')[0]).join(','), 'India,Juliet,Kilo', 'names over both pages');
  });

  T('API customer: an unknown id answers 404 not_found', async () => {
    const a = await API('sales');
    expectJsonError(await a.get('/api/v1/customers/999999999'), 404, 'not_found');
  });

  // ================================================================ leads

  T('lead: a lead without first name, last name and company is refused (422, field last_name), HTML and API', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const e = email(Tok());
    const res = await formCreate(c, 'leads', { first_name: '', last_name: '', company: '', email: e });
    expectStatus(res, 422);
    ok(fieldErrors(res.text).includes('last_name'), `fields marked: ${fieldErrors(res.text).join(',')}`, res);
    const body = expectJsonError(await a.post('/api/v1/leads', { json: { email: e } }), 422, 'invalid');
    ok(body.error.fields && body.error.fields.last_name, `error.fields: ${JSON.stringify(body.error.fields)}`);
    eq(num(`SELECT COUNT(*) FROM leads WHERE email = ${sq(e)}`), 0, 'leads stored');
  });

  T('lead: a company alone is enough; the lead list finds it by a word of the company', async () => {
    const c = await A('sales');
    const t = Tok();
    const id = savedId(await formCreate(c, 'leads', { company: `Solo Company ${t}` }), 'leads');
    const res = expectStatus(await c.get(`/connections/leads?q=${t}`), 200);
    eq(totalOf(res.text), 1, '#total', res);
    ok((listRows(res.text) || []).some((r) => r.html.includes(`/connections/leads/${id}`)), `no row links /connections/leads/${id}`, res);
  });

  T('lead: status "converted" cannot be set by the form or the API (422 field status)', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = Tok();
    const res = await formCreate(c, 'leads', { last_name: t, status: 'converted' });
    expectStatus(res, 422);
    ok(fieldErrors(res.text).includes('status'), `fields marked: ${fieldErrors(res.text).join(',')}`, res);
    const b = expectJsonError(await a.post('/api/v1/leads', { json: { last_name: t, status: 'converted' } }), 422, 'invalid');
    ok(b.error.fields && b.error.fields.status, 'no error.fields.status');
    const lead = await newLead(a, { last_name: t });
    const p = expectJsonError(await patch(a, `/api/v1/leads/${lead.id}`, { version: lead.version, status: 'converted' }), 422, 'invalid');
    ok(p.error.fields && p.error.fields.status, 'PATCH: no error.fields.status');
    eq(sql(`SELECT status FROM leads WHERE id = ${lead.id}`), 'new', 'stored status');
  });

  T('lead: an unknown source and a language that is not 2 letters are refused (API 422)', async () => {
    const a = await API('sales');
    const b = expectJsonError(await a.post('/api/v1/leads', { json: { last_name: Tok(), source: 'carrier_pigeon', language: 'ita' } }), 422, 'invalid');
    eq(Object.keys(b.error.fields || {}).sort().join(','), 'language,source', 'error.fields');
  });

  T('lead: every field is stored and comes back from the API; status defaults to new', async () => {
    const a = await API('sales');
    const t = Tok();
    const values = { first_name: 'Lia', last_name: t, company: `Lia Co ${t}`, email: email(t), phone: '+39 02 7654321',
      language: 'it', source: 'referral', notes: 'Met at the fair' };
    const lead = await newLead(a, values);
    const got = expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200);
    const wrong = Object.entries(values).filter(([k, v]) => got[k] !== v).map(([k, v]) => `${k}: sent ${v}, got ${JSON.stringify(got[k])}`);
    eq(wrong.join('; '), '', 'fields not stored as sent');
    eq(got.status, 'new', 'default status');
  });

  T('lead: API PATCH with a stale version answers 409 conflict', async () => {
    const a = await API('sales');
    const lead = await newLead(a, { last_name: Tok() });
    expectJson(await patch(a, `/api/v1/leads/${lead.id}`, { version: lead.version, status: 'contacted' }), 200);
    expectJsonError(await patch(a, `/api/v1/leads/${lead.id}`, { version: lead.version, status: 'lost' }), 409, 'conflict');
    eq(sql(`SELECT status FROM leads WHERE id = ${lead.id}`), 'contacted', 'stored status');
  });

  T('lead list: the status filter shows only leads in that status', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const q1 = await newLead(a, { last_name: `Quinn ${t}`, status: 'qualified' });
    await newLead(a, { last_name: `Newman ${t}` });
    const res = expectStatus(await c.get(`/connections/leads?q=${t}&status=qualified`), 200);
    eq(totalOf(res.text), 1, '#total', res);
    const rows = listRows(res.text) || [];
    ok(rows.length === 1 && rows[0].html.includes(`/connections/leads/${q1.id}`), 'the qualified lead is not the only row', res);
  });

  T('lead list: paging one by one walks leads with equal last names and a company-only lead, each once', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const made = [
      await newLead(a, { first_name: 'Bea', last_name: `Same ${t}` }),
      await newLead(a, { first_name: 'Ada', last_name: `Same ${t}` }),
      await newLead(a, { first_name: 'Ada', last_name: `Same ${t}` }),
      await newLead(a, { company: `Firm ${t}` }),
      await newLead(a, { first_name: `Only ${t}` }),
    ].map((l) => l.id);
    const first = expectStatus(await c.get(`/connections/leads?q=${t}`), 200);
    eq(totalOf(first.text), 5, '#total', first);
    const seen = [];
    let href = `/connections/leads?q=${t}&sort=name&limit=1`;
    for (let i = 0; href && i < 10; i++) {
      const res = expectStatus(await c.get(href), 200);
      for (const r of listRows(res.text) || []) {
        const m = /\/connections\/leads\/(\d+)/.exec(r.html);
        if (m) seen.push(Number(m[1]));
      }
      const next = nextHref(res.text);
      href = next ? (/[?&]limit=/.test(next) ? next : next + '&limit=1') : null;
    }
    eq([...seen].sort((x, y) => x - y).join(','), [...made].sort((x, y) => x - y).join(','), 'lead ids over all pages');
  });

  T('API lead: list with the status filter, next and after=', async () => {
    const a = await API('sales');
    const t = tok();
    for (const w of ['Lima', 'Mike', 'Nova']) await newLead(a, { last_name: `${w} ${t}`, status: 'contacted' });
    await newLead(a, { last_name: `Oscar ${t}` });
    const p1 = expectJson(await a.get(`/api/v1/leads?q=${t}&status=contacted&limit=2`), 200);
    eq(p1.total, 3, 'total');
    eq(p1.items.length, 2, 'items on page 1');
    ok(typeof p1.next === 'string', `next: ${JSON.stringify(p1.next)}`);
    const p2 = expectJson(await a.get(`/api/v1/leads?q=${t}&status=contacted&limit=2&after=${p1.next}`), 200);
    eq([...p1.items, ...p2.items].map((i) => i.last_name.split(' ')[0]).join(','), 'Lima,Mike,Nova', 'last names over both pages');
    eq(p2.next, null, 'next on the last page');
  });

  T('lead recycle bin: a manager deletes a lead (API 204, then 404); the admin restores it from the bin', async () => {
    const adm = await A('admin');
    const a = await API('sales');
    const lead = await newLead(a, { last_name: `Bin ${Tok()}` });
    expectStatus(await del(await API('manager'), `/api/v1/leads/${lead.id}`), 204);
    expectJsonError(await a.get(`/api/v1/leads/${lead.id}`), 404, 'not_found');
    const bin = expectStatus(await adm.get('/connections/bin'), 200);
    const f = forms(bin.text).find((x) => x.action === `/connections/leads/${lead.id}/restore`);
    ok(f && f.fields.csrf_token, 'the recycle bin has no restore form with csrf_token for the lead', bin);
    expectRedirect(await adm.post(f.action, { form: f.fields }), `/connections/leads/${lead.id}`);
    expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200);
  });

  T('purge: the admin deletes a customer in the recycle bin for good, after a confirmation page; its contact becomes a draft', async () => {
    const adm = await A('admin');
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `Purge ${Tok()}` });
    const ct = await newContact(a);
    await connect(a, ct.id, 'customer', cu.id);
    eq(await contactStatus(a, ct.id), 'contact', 'status once connected');
    // not from outside the recycle bin
    expectStatus(await adm.get(`/connections/customers/${cu.id}/purge`), 404);
    expectStatus(await del(await API('manager'), `/api/v1/customers/${cu.id}`), 204);
    const confirm = expectStatus(await adm.get(`/connections/customers/${cu.id}/purge`), 200);
    const f = forms(confirm.text).find((x) => x.action === `/connections/customers/${cu.id}/purge`);
    ok(f && f.fields.csrf_token, 'the confirmation page has no purge form with csrf_token', confirm);
    // crm_manager may delete but not purge
    expectStatus(await (await A('manager')).post(f.action, { form: { csrf_token: await csrfOf(await A('manager')) } }), 403);
    expectRedirect(await adm.post(f.action, { form: f.fields }), '/connections/bin');
    eq(num(`SELECT COUNT(*) FROM customers WHERE id = ${cu.id}`), 0, 'customer rows left');
    eq(num(`SELECT COUNT(*) FROM connections WHERE customer_id = ${cu.id}`), 0, 'links left');
    eq(num(`SELECT COUNT(*) FROM history WHERE entity = 'customer' AND entity_id = ${cu.id}`), 0, 'history rows left');
    eq(num(`SELECT COUNT(*) FROM search_words WHERE kind = 1 AND target_id = ${cu.id}`), 0, 'search words left');
    eq(await contactStatus(a, ct.id), 'draft', 'status of the contact whose only connection it was');
    expectStatus(await adm.post(f.action, { form: f.fields }), 404);
  });

  T('customer history: a change shows on the History tab with the old and the new value', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `Changes ${Tok()}`, city: 'Ancona' });
    expectJson(await patch(a, `/api/v1/customers/${cu.id}`, { version: cu.version, city: 'Brescia' }), 200);
    const page = expectStatus(await c.get(`/connections/customers/${cu.id}?tab=history`), 200);
    const items = historyItems(page.text) || [];
    ok(items.some((i) => i.text.includes('Ancona') && i.text.includes('Brescia')), `no history entry Ancona → Brescia: ${items.map((i) => i.text).join(' | ')}`, page);
  });

  // ================================================================ the connect search

  T('search: "mul" finds "Müller", whatever the case and accents', async () => {
    const a = await API('sales');
    const t = tok();
    const cu = await newCustomer(a, { name: `Müller Logistik ${t}` });
    for (const q of [`mul ${t}`, `MÜL ${t}`, `müller ${t}`, `Logi ${t}`]) {
      const r = await apiSearch(a, q);
      eq(r.customers.count, 1, `customers count for "${q}"`);
      ok(r.customers.items.some((i) => i.id === cu.id), `"${q}" does not find Müller Logistik`);
    }
  });

  T('search: "costr" finds "Rossi Costruzioni" (prefix of any word); an infix "struz" finds nothing', async () => {
    const a = await API('sales');
    const t = tok();
    const cu = await newCustomer(a, { name: `Rossi Costruzioni ${t}` });
    const hit = await apiSearch(a, `costr ${t}`);
    ok(hit.customers.items.some((i) => i.id === cu.id), '"costr" does not find Rossi Costruzioni');
    eq((await apiSearch(a, `struz ${t}`)).customers.count, 0, 'count for the infix "struz"');
  });

  T('search: every word must match a word of the name', async () => {
    const a = await API('sales');
    const t = tok();
    await newCustomer(a, { name: `Bianchi Trasporti ${t}` });
    eq((await apiSearch(a, `bian tras ${t}`)).customers.count, 1, 'both words match');
    eq((await apiSearch(a, `bian verdi ${t}`)).customers.count, 0, 'one word matches nothing');
  });

  T('search: a word that matches nothing finds nothing, also as the fifth or sixth word of q', async () => {
    const a = await API('sales');
    const t = tok();
    await newCustomer(a, { name: `Alfa Bravo Charlie Delta Echo ${t}` });
    eq((await apiSearch(a, `alf bra cha del ech ${t}`)).customers.count, 1, 'six matching words');
    eq((await apiSearch(a, `alf bra cha del ${t} zulu`)).customers.count, 0, 'five matching words and "zulu"');
    eq((await apiSearch(a, `zulu alf bra cha del ${t}`)).customers.count, 0, '"zulu" and five matching words');
  });

  T('search: the order of the words does not matter ("ross costr" finds "Rossi Costruzioni" and "Costruzioni Rossi")', async () => {
    const a = await API('sales');
    const t = tok();
    const c1 = await newCustomer(a, { name: `Rossi Costruzioni ${t}` });
    const c2 = await newCustomer(a, { name: `Costruzioni Rossi ${t}` });
    for (const q of [`ross costr ${t}`, `costr ross ${t}`, `${t} ross`]) {
      const r = await apiSearch(a, q);
      const ids = r.customers.items.map((i) => i.id);
      ok(ids.includes(c1.id) && ids.includes(c2.id), `"${q}" finds ${JSON.stringify(r.customers.items.map((i) => i.name))}, not both customers`);
      eq(r.customers.count, 2, `customers count for "${q}"`);
    }
  });

  T('search: leads are found by first name, last name and company; customers and leads are counted apart', async () => {
    const a = await API('sales');
    const t = tok();
    const lead = await newLead(a, { first_name: 'Ottavio', last_name: 'Quaranta', company: `Pixel Forge ${t}` });
    await newCustomer(a, { name: `Pixel Forge ${t}` });
    for (const q of [`otta ${t}`, `quar ${t}`, `forge ${t}`]) {
      const r = await apiSearch(a, q);
      eq(r.leads.count, 1, `leads count for "${q}"`);
      ok(r.leads.items.some((i) => i.id === lead.id), `"${q}" does not find the lead`);
    }
    const both = await apiSearch(a, `pixel ${t}`);
    eq(both.leads.count, 1, 'leads for "pixel"');
    eq(both.customers.count, 1, 'customers for "pixel"');
  });

  T('search: counts are distinct entities (two words of one name matching the prefix count once)', async () => {
    const a = await API('sales');
    const t = tok();
    await newCustomer(a, { name: `${t}ab ${t}cd` });
    await newLead(a, { first_name: `${t}ef`, last_name: `${t}gh`, company: `${t}ij` });
    const r = await apiSearch(a, t);
    eq(r.customers.count, 1, 'customers count');
    eq(r.customers.items.length, 1, 'customers items');
    eq(r.leads.count, 1, 'leads count');
    eq(r.leads.items.length, 1, 'leads items');
  });

  T('search: counts stop at 100 with "more": true (API) and "100+" on the tab (HTML)', async () => {
    const a = await API('sales');
    const c = await A('sales');
    const t = tok();
    // 1001 customers "Cap T N", written directly (creating them one by one would take minutes), then indexed by
    // "crmctl reindex", the documented way for rows loaded by SQL around the application
    sql(`INSERT INTO customers (name) SELECT CONCAT('Cap ${t} ', seq) FROM seq_1_to_1001`);
    await crmctl(['reindex']);
    const r = await apiSearch(a, t);
    eq(r.customers.count, SEARCH_COUNT_CAP, 'customers count');
    eq(r.customers.more, true, 'customers more');
    ok(r.customers.items.length > 0 && r.customers.items.length <= SEARCH_COUNT_CAP, `items: ${r.customers.items.length}`);
    eq(r.leads.more, false, 'leads more');
    const narrow = await apiSearch(a, `${t} 1000`);
    eq(narrow.customers.count, 1, 'count for a narrow search');
    eq(narrow.customers.more, false, 'more for a narrow search');
    const ct = await newContact(a);
    const res = expectStatus(await c.get(`/connections/search?contact_id=${ct.id}&q=${t}`), 200);
    eq(tabCount(res.text, 'tab-customers'), SEARCH_COUNT_CAP, 'number on a#tab-customers', res);
    ok(/\+/.test(textOf(elementInner(res.text, 'a', { id: 'tab-customers' }) || '')), 'a#tab-customers does not show that there are more (100+)', res);
  });

  T('search page: two tabs with counts that match the API, panels with CONNECT forms for the contact', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const cu1 = await newCustomer(a, { name: `Tabby One ${t}` });
    await newCustomer(a, { name: `Tabby Two ${t}` });
    const lead = await newLead(a, { last_name: `Tabby ${t}` });
    const ct = await newContact(a);
    const res = expectStatus(await c.get(`/connections/search?contact_id=${ct.id}&q=${encodeURIComponent(`tabby ${t}`)}`), 200);
    const r = await apiSearch(a, `tabby ${t}`, ct.id);
    eq(tabCount(res.text, 'tab-customers'), r.customers.count, 'count on a#tab-customers (API count)', res);
    eq(tabCount(res.text, 'tab-leads'), r.leads.count, 'count on a#tab-leads (API count)', res);
    eq(r.customers.count, 2, 'API customers count');
    eq(r.leads.count, 1, 'API leads count');
    const pc = elementBy(res.text, 'id', 'panel-customers');
    const pl = elementBy(res.text, 'id', 'panel-leads');
    ok(pc !== null && pl !== null, 'no #panel-customers or #panel-leads', res);
    const f = connectForm(pc, 'customer', cu1.id);
    ok(f, `no CONNECT form for customer ${cu1.id} in #panel-customers`, res);
    eq(f.method, 'post', 'connect form method', res);
    eq(f.fields.contact_id, String(ct.id), 'contact_id of the connect form', res);
    ok(f.fields.csrf_token, 'the connect form has no csrf_token', res);
    ok(connectForm(pl, 'lead', lead.id), `no CONNECT form for lead ${lead.id} in #panel-leads`, res);
  });

  T('search page: tab=leads opens the leads panel, tab=customers the customers panel', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    await newCustomer(a, { name: `Panel ${t}` });
    await newLead(a, { last_name: `Panel ${t}` });
    const ct = await newContact(a);
    for (const [tab, other] of [['leads', 'customers'], ['customers', 'leads']]) {
      const res = expectStatus(await c.get(`/connections/search?contact_id=${ct.id}&q=${t}&tab=${tab}`), 200);
      const open = findTag(res.text, 'section', { id: `panel-${tab}` }) || findTag(res.text, 'div', { id: `panel-${tab}` });
      const shut = findTag(res.text, 'section', { id: `panel-${other}` }) || findTag(res.text, 'div', { id: `panel-${other}` });
      ok(open && !('hidden' in open.attrs), `#panel-${tab} is hidden with tab=${tab}`, res);
      ok(shut && 'hidden' in shut.attrs, `#panel-${other} is not hidden with tab=${tab}`, res);
      const link = findTag(res.text, 'a', { id: `tab-${tab}` });
      ok(link && (link.attrs['aria-selected'] === 'true' || link.attrs['aria-current']), `a#tab-${tab} is not marked selected`, res);
    }
  });

  T('search: a customer in the recycle bin and an anonymized lead are not found', async () => {
    const a = await API('sales');
    const mgr = await API('manager');
    const t = tok();
    const cu = await newCustomer(a, { name: `Binned ${t}` });
    const lead = await newLead(a, { last_name: `Erased ${t}` });
    expectStatus(await del(mgr, `/api/v1/customers/${cu.id}`), 204);
    expectJson(await mgr.post(`/api/v1/leads/${lead.id}/anonymize`), 200);
    const r = await apiSearch(a, t);
    eq(r.customers.count, 0, 'customers count');
    eq(r.leads.count, 0, 'leads count');
  });

  T('search: a customer and a lead in the recycle bin leave the counts and come back on restore, also after crmctl reindex', async () => {
    const a = await API('sales');
    const mgr = await API('manager');
    const adm = await A('admin');
    const t = tok();
    const cu = await newCustomer(a, { name: `Bin Round ${t}` });
    const lead = await newLead(a, { last_name: `Bin Round ${t}` });
    await newCustomer(a, { name: `Bin Stays ${t}` });
    let r = await apiSearch(a, `bin ${t}`);
    eq(`${r.customers.count}/${r.leads.count}`, '2/1', 'customers/leads before the bin');
    expectStatus(await del(mgr, `/api/v1/customers/${cu.id}`), 204);
    expectStatus(await del(mgr, `/api/v1/leads/${lead.id}`), 204);
    await crmctl(['reindex']);
    for (const q of [`bin ${t}`, `${t} round`]) {
      r = await apiSearch(a, q);
      eq(`${r.customers.count}/${r.leads.count}`, q.includes('round') ? '0/0' : '1/0', `customers/leads for "${q}" with both in the bin`);
      ok(!r.customers.items.some((i) => i.id === cu.id), `"${q}" lists the customer in the bin`);
    }
    const csrf = await csrfOf(adm);
    expectRedirect(await adm.post(`/connections/customers/${cu.id}/restore`, { form: { csrf_token: csrf } }), /^\/connections\/customers\/\d+/);
    expectRedirect(await adm.post(`/connections/leads/${lead.id}/restore`, { form: { csrf_token: csrf } }), /^\/connections\/leads\/\d+/);
    r = await apiSearch(a, `${t} round`);
    eq(`${r.customers.count}/${r.leads.count}`, '1/1', 'customers/leads after the restore');
    ok(r.customers.items.some((i) => i.id === cu.id) && r.leads.items.some((i) => i.id === lead.id), 'the restored pair is not listed');
  });

  T('search page: a customer the contact is connected to shows "connected" instead of CONNECT; the others keep CONNECT', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const mine = await newCustomer(a, { name: `Linked Co ${t}` });
    const other = await newCustomer(a, { name: `Linked Other ${t}` });
    const lead = await newLead(a, { last_name: `Linked ${t}` });
    const ct = await newContact(a);
    await connect(a, ct.id, 'customer', mine.id);
    await connect(a, ct.id, 'lead', lead.id);
    const res = expectStatus(await c.get(`/connections/search?contact_id=${ct.id}&q=${encodeURIComponent(`linked ${t}`)}`), 200);
    const pc = elementBy(res.text, 'id', 'panel-customers') || '';
    const pl = elementBy(res.text, 'id', 'panel-leads') || '';
    ok(!connectForm(pc, 'customer', mine.id), 'a CONNECT form for the customer already connected', res);
    ok(connectForm(pc, 'customer', other.id), 'no CONNECT form for the other customer', res);
    ok(!connectForm(pl, 'lead', lead.id), 'a CONNECT form for the lead already connected', res);
    eq((pc.match(/class="connected"/g) || []).length, 1, 'results marked connected in the customers panel', res);
    eq((pl.match(/class="connected"/g) || []).length, 1, 'results marked connected in the leads panel', res);
  });

  T('search page: an unknown contact_id answers 404', async () => {
    const c = await A('sales');
    expectStatus(await c.get('/connections/search?contact_id=999999999&q=abc'), 404);
  });

  // ================================================================ connect, disconnect, primary

  T('connect: CONNECT on the search page connects, returns to the contact page, which lists the customer', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const cu = await newCustomer(a, { name: `Connect Me ${t}` });
    const ct = await newContact(a);
    const page = expectStatus(await c.get(`/connections/search?contact_id=${ct.id}&q=${t}&tab=customers`), 200);
    const f = connectForm(elementBy(page.text, 'id', 'panel-customers') || '', 'customer', cu.id);
    ok(f, 'no CONNECT form', page);
    const res = await c.post('/connections/connect', { form: f.fields });
    expectRedirect(res, `/contacts/${ct.id}?connected=1`);
    const view = expectStatus(await c.get(`/contacts/${ct.id}`), 200);
    const sec = connectionsSection(view.text);
    ok(sec !== null, 'no h2#connections on the contact page', view);
    ok(textOf(sec).includes(`Connect Me ${t}`), 'the connections section does not list the customer', view);
    ok(findTag(sec, 'a', { href: `/connections/customers/${cu.id}` }), 'no link to the customer in the connections section', view);
    const links = await linksOf(a, ct.id);
    eq(links.length, 1, 'links in the API');
    eq(links[0].target, 'customer', 'target');
    eq(links[0].target_id, cu.id, 'target_id');
    eq(links[0].is_primary, true, 'is_primary of the first link');
  });

  T('connect: the contact page has a GET search form to /connections/search with the hidden contact_id', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const ct = await newContact(a);
    const view = expectStatus(await c.get(`/contacts/${ct.id}`), 200);
    const f = forms(view.text).find((x) => x.action === '/connections/search');
    ok(f, 'no form action="/connections/search" on the contact page', view);
    eq(f.method, 'get', 'search form method', view);
    eq(f.fields.contact_id, String(ct.id), 'hidden contact_id', view);
    ok(findTag(f.inner, 'input', { name: 'q' }), 'no q input', view);
  });

  T('connect: a complete contact turns from draft to contact on its first connection and back to draft on the last disconnect', async () => {
    const a = await API('sales');
    const ct = await newContact(a);
    eq(ct.status, 'draft', 'status before connecting');
    const cu = await newCustomer(a, { name: `Status ${Tok()}` });
    const link = await connect(a, ct.id, 'customer', cu.id);
    eq(await contactStatus(a, ct.id), 'contact', 'status after connecting');
    expectStatus(await del(a, `/api/v1/connections/${link.id}`), 204);
    eq(await contactStatus(a, ct.id), 'draft', 'status after the last disconnect');
  });

  T('connect: a connection to a lead also makes a complete contact a contact', async () => {
    const a = await API('sales');
    const ct = await newContact(a);
    const lead = await newLead(a, { last_name: Tok() });
    await connect(a, ct.id, 'lead', lead.id);
    eq(await contactStatus(a, ct.id), 'contact', 'status after connecting to a lead');
  });

  T('connect: an incomplete contact (no email or phone) stays draft when connected', async () => {
    const a = await API('sales');
    const ct = await apiCreate(a, 'contacts', { first_name: 'Ivo', last_name: Tok() });
    const cu = await newCustomer(a, { name: `Incomplete ${Tok()}` });
    await connect(a, ct.id, 'customer', cu.id);
    eq(await contactStatus(a, ct.id), 'draft', 'status of the connected incomplete contact');
  });

  T('connect: a contact with a work phone instead of an email counts as complete', async () => {
    const a = await API('sales');
    const ct = await apiCreate(a, 'contacts', { first_name: 'Pia', last_name: Tok(), work_phone: phone() });
    const cu = await newCustomer(a, { name: `Phone ${Tok()}` });
    await connect(a, ct.id, 'customer', cu.id);
    eq(await contactStatus(a, ct.id), 'contact', 'status');
  });

  T('connect: the first connection is primary, the second is not; disconnecting the primary promotes the other', async () => {
    const a = await API('sales');
    const ct = await newContact(a);
    const c1 = await newCustomer(a, { name: `First ${Tok()}` });
    const c2 = await newCustomer(a, { name: `Second ${Tok()}` });
    const l1 = await connect(a, ct.id, 'customer', c1.id);
    const l2 = await connect(a, ct.id, 'customer', c2.id);
    eq(l1.is_primary, true, 'first link primary');
    eq(l2.is_primary, false, 'second link primary');
    expectStatus(await del(a, `/api/v1/connections/${l1.id}`), 204);
    const links = await linksOf(a, ct.id);
    eq(links.length, 1, 'links left');
    eq(links[0].id, l2.id, 'the link left');
    eq(links[0].is_primary, true, 'the remaining link is primary');
    eq(await contactStatus(a, ct.id), 'contact', 'status with one link left');
  });

  T('connect: "primary": true on a second connection moves the primary to it', async () => {
    const a = await API('sales');
    const ct = await newContact(a);
    const c1 = await newCustomer(a, { name: `One ${Tok()}` });
    const c2 = await newCustomer(a, { name: `Two ${Tok()}` });
    const l1 = await connect(a, ct.id, 'customer', c1.id);
    const l2 = await connect(a, ct.id, 'customer', c2.id, { primary: true });
    eq(l2.is_primary, true, 'new link primary');
    const links = await linksOf(a, ct.id);
    eq(links.filter((l) => l.is_primary).map((l) => l.id).join(','), String(l2.id), 'primary links');
    ok(links.some((l) => l.id === l1.id && l.is_primary === false), 'the first link is still primary');
  });

  T('connect: five connects of one contact at the same time all succeed and exactly one link is primary', async () => {
    const a = await API('sales');
    const ct = await newContact(a);
    const targets = [];
    for (let i = 0; i < 5; i++) targets.push((await newCustomer(a, { name: `Race ${i} ${Tok()}` })).id);
    const answers = await Promise.all(targets.map((id) => a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'customer', target_id: id } })));
    eq(answers.map((r) => r.status).join(','), '201,201,201,201,201', 'statuses');
    const links = await linksOf(a, ct.id);
    eq(links.length, 5, 'links');
    eq(links.filter((l) => l.is_primary).length, 1, 'primary links');
    eq(await contactStatus(a, ct.id), 'contact', 'status');
  });

  T('connect: Make primary (HTML form and API PATCH) moves the primary; exactly one stays primary', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const ct = await newContact(a);
    const l1 = await connect(a, ct.id, 'customer', (await newCustomer(a, { name: `P1 ${Tok()}` })).id);
    const l2 = await connect(a, ct.id, 'customer', (await newCustomer(a, { name: `P2 ${Tok()}` })).id);
    const view = expectStatus(await c.get(`/contacts/${ct.id}`), 200);
    const f = forms(connectionsSection(view.text) || '').find((x) => x.action === `/connections/${l2.id}/primary`);
    ok(f, `no Make primary form (action /connections/${l2.id}/primary) on the contact page`, view);
    expectRedirect(await c.post(f.action, { form: f.fields }), new RegExp(`^/contacts/${ct.id}\\b`));
    let links = await linksOf(a, ct.id);
    eq(links.filter((l) => l.is_primary).map((l) => l.id).join(','), String(l2.id), 'primary after the form');
    const back = expectJson(await patch(a, `/api/v1/connections/${l1.id}`, { is_primary: true }), 200);
    eq(back.is_primary, true, 'PATCH answer is_primary');
    links = await linksOf(a, ct.id);
    eq(links.filter((l) => l.is_primary).map((l) => l.id).join(','), String(l1.id), 'primary after the PATCH');
  });

  T('API connect: unknown contact or target answers 404; the same pair twice 409 already_connected; a bad target 422', async () => {
    const a = await API('sales');
    const ct = await newContact(a);
    const cu = await newCustomer(a, { name: `Twice ${Tok()}` });
    expectJsonError(await a.post('/api/v1/connections', { json: { contact_id: 999999999, target: 'customer', target_id: cu.id } }), 404, 'not_found');
    expectJsonError(await a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'customer', target_id: 999999999 } }), 404, 'not_found');
    expectJsonError(await a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'lead', target_id: cu.id + 1000000000 } }), 404, 'not_found');
    await connect(a, ct.id, 'customer', cu.id);
    expectJsonError(await a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'customer', target_id: cu.id } }), 409, 'already_connected');
    const bad = expectJsonError(await a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'supplier', target_id: cu.id } }), 422, 'invalid');
    ok(bad.error.fields && bad.error.fields.target, 'no error.fields.target');
    eq((await linksOf(a, ct.id)).length, 1, 'links');
  });

  T('API connect: a customer in the recycle bin cannot be connected (404)', async () => {
    const a = await API('sales');
    const ct = await newContact(a);
    const cu = await newCustomer(a, { name: `Deleted Target ${Tok()}` });
    expectStatus(await del(await API('manager'), `/api/v1/customers/${cu.id}`), 204);
    expectJsonError(await a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'customer', target_id: cu.id } }), 404, 'not_found');
    eq((await linksOf(a, ct.id)).length, 0, 'links');
  });

  T('API disconnect: DELETE answers 204, the link is gone, a second DELETE answers 404', async () => {
    const a = await API('sales');
    const ct = await newContact(a);
    const link = await connect(a, ct.id, 'customer', (await newCustomer(a, { name: `Gone ${Tok()}` })).id);
    expectStatus(await del(a, `/api/v1/connections/${link.id}`), 204);
    eq((await linksOf(a, ct.id)).length, 0, 'links after DELETE');
    expectJsonError(await del(a, `/api/v1/connections/${link.id}`), 404, 'not_found');
  });

  T('disconnect: the Disconnect form on the contact page removes the link and returns to the contact', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const ct = await newContact(a);
    const t = Tok();
    const link = await connect(a, ct.id, 'customer', (await newCustomer(a, { name: `Leave ${t}` })).id);
    const view = expectStatus(await c.get(`/contacts/${ct.id}`), 200);
    const f = forms(connectionsSection(view.text) || '').find((x) => x.action === `/connections/${link.id}/delete`);
    ok(f, `no Disconnect form (action /connections/${link.id}/delete) on the contact page`, view);
    eq(f.method, 'post', 'Disconnect form method', view);
    expectRedirect(await c.post(f.action, { form: f.fields }), new RegExp(`^/contacts/${ct.id}\\b`));
    eq((await linksOf(a, ct.id)).length, 0, 'links after Disconnect');
    const again = expectStatus(await c.get(`/contacts/${ct.id}`), 200);
    ok(!textOf(connectionsSection(again.text) || '').includes(`Leave ${t}`), 'the contact page still lists the customer', again);
    eq(await contactStatus(a, ct.id), 'draft', 'status after Disconnect');
  });

  T('connect: the HTML connect and disconnect need the csrf_token (403, nothing changes)', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const ct = await newContact(a);
    const cu = await newCustomer(a, { name: `Csrf ${Tok()}` });
    const form = { contact_id: String(ct.id), target: 'customer', target_id: String(cu.id) };
    expectStatus(await c.post('/connections/connect', { form }), 403);
    expectStatus(await c.post('/connections/connect', { form: { ...form, csrf_token: 'f'.repeat(64) } }), 403);
    eq((await linksOf(a, ct.id)).length, 0, 'links after connects without a valid token');
    const link = await connect(a, ct.id, 'customer', cu.id);
    expectStatus(await c.post(`/connections/${link.id}/delete`, { form: {} }), 403);
    eq((await linksOf(a, ct.id)).length, 1, 'links after a disconnect without a token');
  });

  T('API connect with the browser session needs X-CSRF-Token (403 without, 201 with)', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const ct = await newContact(a);
    const cu = await newCustomer(a, { name: `Header ${Tok()}` });
    const body = { contact_id: ct.id, target: 'customer', target_id: cu.id };
    expectJsonError(await c.post('/api/v1/connections', { json: body }), 403, 'csrf');
    eq((await linksOf(a, ct.id)).length, 0, 'links after the POST without header');
    const res = await c.post('/api/v1/connections', { json: body, headers: { 'x-csrf-token': await csrfOf(c) } });
    expectJson(res, 201);
  });

  // ================================================================ the customer's contact persons

  T('customer profile: the Contact persons tab counts and lists the connected contacts; its Disconnect works', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `People ${Tok()}` });
    const p1 = await newContact(a);
    const p2 = await newContact(a);
    await connect(a, p1.id, 'customer', cu.id);
    const l2 = await connect(a, p2.id, 'customer', cu.id);
    const res = expectStatus(await c.get(`/connections/customers/${cu.id}?tab=contacts`), 200);
    const tab = elementInner(res.text, 'a', { id: 'tab-contacts' });
    ok(tab !== null, 'no a#tab-contacts', res);
    ok(/\(\s*2\s*\)/.test(textOf(tab)), `a#tab-contacts reads "${textOf(tab)}", not (2)`, res);
    const table = elementInner(res.text, 'table', { class: 'contact-persons' });
    ok(table !== null, 'no table.contact-persons', res);
    for (const p of [p1, p2]) ok(findTag(table, 'a', { href: `/contacts/${p.id}` }), `contact ${p.id} is not listed`, res);
    const f = forms(table).find((x) => x.action === `/connections/${l2.id}/delete`);
    ok(f, `no Disconnect form for link ${l2.id} in table.contact-persons`, res);
    const out = await c.post(f.action, { form: f.fields });
    expectStatus(out, 303);
    eq((await linksOf(a, p2.id)).length, 0, 'links of the disconnected contact');
    const after = expectStatus(await c.get(`/connections/customers/${cu.id}?tab=contacts`), 200);
    ok(/\(\s*1\s*\)/.test(textOf(elementInner(after.text, 'a', { id: 'tab-contacts' }) || '')), 'a#tab-contacts does not read (1) after Disconnect', after);
  });

  T('API customer contacts: lists the connected contacts with connection_id, status and is_primary', async () => {
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `Api People ${Tok()}` });
    const other = await newCustomer(a, { name: `Other Primary ${Tok()}` });
    const p1 = await newContact(a);
    const p2 = await newContact(a);
    const l1 = await connect(a, p1.id, 'customer', cu.id);
    await connect(a, p2.id, 'customer', other.id);
    const l2 = await connect(a, p2.id, 'customer', cu.id);
    const body = expectJson(await a.get(`/api/v1/customers/${cu.id}/contacts`), 200);
    eq(body.total, 2, 'total');
    const byId = Object.fromEntries((body.items || []).map((i) => [i.id, i]));
    ok(byId[p1.id] && byId[p2.id], `items: ${JSON.stringify(body.items)}`);
    eq(byId[p1.id].connection_id, l1.id, 'connection_id of p1');
    eq(byId[p1.id].is_primary, true, 'is_primary of p1');
    eq(byId[p2.id].connection_id, l2.id, 'connection_id of p2');
    eq(byId[p2.id].is_primary, false, 'is_primary of p2');
    eq(byId[p1.id].status, 'contact', 'status of p1');
    eq(byId[p1.id].last_name, p1.last_name, 'last_name of p1');
    eq(byId[p1.id].active, true, 'active of p1');
  });

  T('new contact from a customer: /contacts/new?customer_id= names the customer and Save creates it connected', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const n = `Parent ${Tok()}`;
    const cu = await newCustomer(a, { name: n });
    const page = expectStatus(await c.get(`/contacts/new?customer_id=${cu.id}`), 200);
    const f = formValues(page.text, { action: '/contacts' });
    ok(f, 'no <form action="/contacts">', page);
    eq(f.fields.customer_id, String(cu.id), 'hidden customer_id', page);
    ok(textOf(f.inner).includes(n), `the form does not name the customer ${n}`, page);
    const t = Tok();
    const res = await c.post('/contacts', { form: merged(f.fields, { first_name: 'Nina', last_name: t, email: email(t), action: 'save' }) });
    const u = expectRedirect(res, /^\/contacts\/\d+\/edit\?saved=1$/);
    const id = Number(u.pathname.split('/')[2]);
    const links = await linksOf(a, id);
    eq(links.map((l) => `${l.target}:${l.target_id}:${l.is_primary}`).join(','), `customer:${cu.id}:true`, 'links of the new contact');
    eq(await contactStatus(a, id), 'contact', 'status of the new complete contact');
  });

  T('new contact from a customer: an unknown customer_id is refused and creates no contact', async () => {
    const c = await A('sales');
    const page = expectStatus(await c.get('/contacts/new'), 200);
    const f = formValues(page.text, { action: '/contacts' });
    const t = Tok();
    const res = await c.post('/contacts', { form: merged(f.fields, { last_name: t, customer_id: '999999999', action: 'save' }) });
    ok(res.status === 422 || res.status === 404, `POST /contacts with an unknown customer_id: status ${res.status}`, res);
    eq(num(`SELECT COUNT(*) FROM contacts WHERE last_name = ${sq(t)}`), 0, 'contacts stored');
  });

  // ================================================================ the contacts list shows the customer

  T('contacts list: a search by any word of the connected customer\'s or lead\'s name finds the contact', async () => {
    const a = await API('sales');
    const w1 = Tok();
    const w2 = Tok();
    const cu = await newCustomer(a, { name: `Officine ${w1} S.r.l.` });
    const ld = await newLead(a, { first_name: 'Lea', last_name: 'Dee', company: `Studio ${w2}` });
    const c1 = await newContact(a);
    const c2 = await newContact(a);
    await connect(a, c1.id, 'customer', cu.id);
    await connect(a, c2.id, 'lead', ld.id);
    const byCustomer = expectJson(await a.get(`/api/v1/contacts?q=${w1.toLowerCase()}`), 200);
    eq(byCustomer.items.map((i) => i.id).join(','), String(c1.id), 'contacts found by the middle word of the customer name');
    const byLead = expectJson(await a.get(`/api/v1/contacts?q=${w2.toLowerCase()}`), 200);
    eq(byLead.items.map((i) => i.id).join(','), String(c2.id), 'contacts found by a word of the lead company');
  });

  T('contacts list: the Customer column shows the primary customer; customer_id filters (HTML and API)', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = Tok();
    const main = await newCustomer(a, { name: `Main Co ${t}` });
    const side = await newCustomer(a, { name: `Side Co ${t}` });
    const ct = await newContact(a);
    const other = await newContact(a);
    await connect(a, ct.id, 'customer', main.id);
    const sideLink = await connect(a, ct.id, 'customer', side.id);
    await connect(a, other.id, 'customer', side.id);
    const res = expectStatus(await c.get(`/contacts?q=${encodeURIComponent(ct.last_name)}&active=all`), 200);
    const col = columnIndex(res.text, 'Customer');
    ok(col >= 0, 'no Customer column in table.list', res);
    const row = (listRows(res.text) || []).find((r) => r.key === `/contacts/${ct.id}`);
    ok(row, `no row for contact ${ct.id}`, res);
    eq(cells(row.html)[col], `Main Co ${t}`, 'Customer cell', res);
    const items = expectJson(await a.get(`/api/v1/contacts?q=${encodeURIComponent(ct.last_name)}&active=all`), 200).items;
    eq((items.find((i) => i.id === ct.id) || {}).customer_name, `Main Co ${t}`, 'API customer_name');
    expectJson(await patch(a, `/api/v1/connections/${sideLink.id}`, { is_primary: true }), 200);
    const items2 = expectJson(await a.get(`/api/v1/contacts?q=${encodeURIComponent(ct.last_name)}&active=all`), 200).items;
    eq((items2.find((i) => i.id === ct.id) || {}).customer_name, `Side Co ${t}`, 'API customer_name after Make primary');
    const byMain = expectJson(await a.get(`/api/v1/contacts?customer_id=${main.id}&active=all`), 200);
    eq(byMain.items.map((i) => i.id).join(','), String(ct.id), 'API customer_id filter (main)');
    const bySide = expectJson(await a.get(`/api/v1/contacts?customer_id=${side.id}&active=all`), 200);
    eq(bySide.items.map((i) => i.id).sort().join(','), [ct.id, other.id].sort().join(','), 'API customer_id filter (side)');
    const html = expectStatus(await c.get(`/contacts?customer_id=${main.id}&active=all`), 200);
    eq((listRows(html.text) || []).map((r) => r.key).join(','), `/contacts/${ct.id}`, 'HTML customer_id filter', html);
  });

  T('contacts list: a contact whose primary is a lead shows it in the Customer column; lead_id filters (HTML and API)', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = Tok();
    const ld = await newLead(a, { first_name: 'Lia', last_name: `Filtro${t}`, company: `Lead Co ${t}` });
    const cu = await newCustomer(a, { name: `Cust Co ${t}` });
    const ct = await newContact(a);
    const other = await newContact(a);
    await connect(a, ct.id, 'lead', ld.id);
    await connect(a, other.id, 'customer', cu.id);
    const res = expectStatus(await c.get(`/contacts?q=${encodeURIComponent(ct.last_name)}&active=all`), 200);
    const col = columnIndex(res.text, 'Customer');
    const row = (listRows(res.text) || []).find((r) => r.key === `/contacts/${ct.id}`);
    ok(row, `no row for contact ${ct.id}`, res);
    eq(cells(row.html)[col], `Lead Co ${t}`, 'Customer cell of a lead-only contact', res);
    ok(findTag(row.html, 'a', { href: `/contacts?lead_id=${ld.id}&active=all` }), 'the lead in the Customer column does not filter by it', res);
    const html = expectStatus(await c.get(`/contacts?lead_id=${ld.id}&active=all`), 200);
    eq((listRows(html.text) || []).map((r) => r.key).join(','), `/contacts/${ct.id}`, 'HTML lead_id filter', html);
    ok(html.text.includes(`Lia Filtro${t} (Lead Co ${t})`), 'the lead filter chip names the lead', html);
    const api = expectJson(await a.get(`/api/v1/contacts?lead_id=${ld.id}&active=all`), 200);
    eq(api.items.map((i) => i.id).join(','), String(ct.id), 'API lead_id filter');
    eq(api.total, 1, 'API lead_id filter total');
    const byCust = expectJson(await a.get(`/api/v1/contacts?customer_id=${cu.id}&active=all`), 200);
    eq(byCust.items.map((i) => i.id).join(','), String(other.id), 'API customer_id filter next to a lead filter');
    const both = await a.get(`/api/v1/contacts?lead_id=${ld.id}&customer_id=${cu.id}`);
    const err = expectJsonError(both, 422, 'invalid');
    ok(err.error.fields && err.error.fields.lead_id, `both filters: the 422 names lead_id: ${JSON.stringify(err)}`);
    // with an additional filter shape (search + status) the lead filter still holds
    const mixed = expectJson(await a.get(`/api/v1/contacts?lead_id=${ld.id}&q=${encodeURIComponent(ct.last_name)}&status=${api.items[0].status}&active=all`), 200);
    eq(mixed.items.map((i) => i.id).join(','), String(ct.id), 'lead_id with search and status');
  });

  // ================================================================ history on both sides

  T('history: connect and disconnect appear in the contact activity and on the customer\'s History tab', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `Hist ${Tok()}` });
    const ct = await newContact(a);
    const link = await connect(a, ct.id, 'customer', cu.id);
    expectStatus(await del(a, `/api/v1/connections/${link.id}`), 204);
    const acts = (await activity(a, ct.id)).filter((i) => i.type === 'history').map((i) => i.action);
    ok(acts.includes('connect'), `contact activity actions: ${acts.join(',')}`);
    ok(acts.includes('disconnect'), `contact activity actions: ${acts.join(',')}`);
    const page = expectStatus(await c.get(`/connections/customers/${cu.id}?tab=history`), 200);
    const items = historyItems(page.text);
    ok(items, 'no ol.history on the History tab', page);
    const conn = items.find((i) => /\bconnected\b/i.test(i.text) && !/disconnected/i.test(i.text));
    const disc = items.find((i) => /\bdisconnected\b/i.test(i.text));
    ok(conn, 'no "connected" entry', page);
    ok(disc, 'no "disconnected" entry', page);
    ok(findTag(conn.html, 'a', { href: `/contacts/${ct.id}` }), `the "connected" entry does not link /contacts/${ct.id}`, page);
    ok(findTag(disc.html, 'a', { href: `/contacts/${ct.id}` }), `the "disconnected" entry does not link /contacts/${ct.id}`, page);
  });

  // ================================================================ recycle bin of customers

  T('recycle bin: deleting a customer turns its only-connected contacts to draft; restore turns them back', async () => {
    const mgr = await A('manager');
    const adm = await A('admin');
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `Binny ${Tok()}` });
    const keep = await newCustomer(a, { name: `Keeper ${Tok()}` });
    const only = await newContact(a);
    const both = await newContact(a);
    await connect(a, only.id, 'customer', cu.id);
    await connect(a, both.id, 'customer', cu.id);
    await connect(a, both.id, 'customer', keep.id);
    const confirm = expectStatus(await mgr.get(`/connections/customers/${cu.id}/delete`), 200);
    const f = forms(confirm.text).find((x) => x.action === `/connections/customers/${cu.id}/delete`);
    ok(f && f.fields.csrf_token, 'no confirmation form with csrf_token', confirm);
    expectRedirect(await mgr.post(f.action, { form: f.fields }), /^\/connections\/customers(\?|$)/);
    eq(await contactStatus(a, only.id), 'draft', 'status of the contact connected only to the deleted customer');
    eq(await contactStatus(a, both.id), 'contact', 'status of the contact with another customer');
    const l = (await linksOf(a, only.id)).find((x) => x.target_id === cu.id);
    ok(l && l.target_in_recycle_bin === true, `link of the deleted customer: ${JSON.stringify(l)}`);
    const bin = expectStatus(await adm.get('/connections/bin'), 200);
    ok(bin.text.includes(`/connections/customers/${cu.id}/restore`), 'the recycle bin has no restore form for the customer', bin);
    expectRedirect(await adm.post(`/connections/customers/${cu.id}/restore`, { form: { csrf_token: await csrfOf(adm) } }), /^\/connections\/customers\/\d+/);
    eq(await contactStatus(a, only.id), 'contact', 'status after restore');
    expectJson(await a.get(`/api/v1/customers/${cu.id}`), 200);
  });

  T('recycle bin: a deleted customer is gone from the list and the API (404) until restored', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const cu = await newCustomer(a, { name: `Vanish ${t}` });
    expectStatus(await del(await API('manager'), `/api/v1/customers/${cu.id}`), 204);
    expectJsonError(await a.get(`/api/v1/customers/${cu.id}`), 404, 'not_found');
    const res = expectStatus(await c.get(`/connections/customers?q=${t}`), 200);
    eq(totalOf(res.text), 0, '#total', res);
    eq(num(`SELECT COUNT(*) FROM customers WHERE id = ${cu.id} AND deleted_at IS NOT NULL`), 1, 'row kept in the recycle bin');
  });

  // ================================================================ lead conversion

  T('convert (API, customer=new): maps the fields, creates the customer from the company, connects both, converts the lead', async () => {
    const a = await API('sales');
    const t = Tok();
    const ph = phone();
    const lead = await newLead(a, { first_name: 'Marta', last_name: t, company: `Marta Works ${t}`, email: email(t), phone: ph,
      language: 'it', source: 'event', notes: `Notes ${t}` });
    const res = await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'new' } });
    const out = expectJson(res, 201);
    ok(Number.isInteger(out.contact_id) && Number.isInteger(out.customer_id), `answer: ${JSON.stringify(out)}`, res);
    ok(out.contact && out.contact.id === out.contact_id, 'answer.contact is not the new contact', res);
    const ct = expectJson(await a.get(`/api/v1/contacts/${out.contact_id}`), 200);
    const want = { first_name: 'Marta', last_name: t, email: email(t), work_phone: ph, language: 'it', notes: `Notes ${t}`, source: 'lead_conversion', status: 'contact' };
    const wrong = Object.entries(want).filter(([k, v]) => ct[k] !== v).map(([k, v]) => `${k}: want ${v}, got ${JSON.stringify(ct[k])}`);
    eq(wrong.join('; '), '', 'contact fields');
    const cu = expectJson(await a.get(`/api/v1/customers/${out.customer_id}`), 200);
    eq(cu.name, `Marta Works ${t}`, 'new customer name');
    const links = await linksOf(a, out.contact_id);
    const toCustomer = links.find((l) => l.target === 'customer' && l.target_id === out.customer_id);
    const toLead = links.find((l) => l.target === 'lead' && l.target_id === lead.id);
    ok(toCustomer && toCustomer.is_primary === true, `link to the customer (primary): ${JSON.stringify(links)}`);
    ok(toLead, `no link to the lead: ${JSON.stringify(links)}`);
    const l2 = expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200);
    eq(l2.status, 'converted', 'lead status');
    eq(l2.converted_contact_id, out.contact_id, 'converted_contact_id');
    eq(l2.converted_customer_id, out.customer_id, 'converted_customer_id');
  });

  T('convert (API, customer=existing): uses the given customer and creates none', async () => {
    const a = await API('sales');
    const t = Tok();
    const cu = await newCustomer(a, { name: `Existing Co ${t}` });
    const lead = await newLead(a, { first_name: 'Enzo', last_name: t, company: `Existing Co ${t}`, email: email(t) });
    const out = expectJson(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'existing', customer_id: cu.id } }), 201);
    eq(out.customer_id, cu.id, 'customer_id');
    eq(num(`SELECT COUNT(*) FROM customers WHERE name = ${sq(`Existing Co ${t}`)}`), 1, 'customers with the company name');
    const links = await linksOf(a, out.contact_id);
    ok(links.some((l) => l.target === 'customer' && l.target_id === cu.id && l.is_primary), `links: ${JSON.stringify(links)}`);
  });

  T('convert (API, customer=none): the contact is connected to the lead only', async () => {
    const a = await API('sales');
    const t = Tok();
    const lead = await newLead(a, { first_name: 'Nora', last_name: t, company: `Nobody Co ${t}`, email: email(t) });
    const out = expectJson(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'none' } }), 201);
    ok(!out.customer_id, `customer_id: ${JSON.stringify(out.customer_id)}`);
    eq(num(`SELECT COUNT(*) FROM customers WHERE name = ${sq(`Nobody Co ${t}`)}`), 0, 'customers created');
    const links = await linksOf(a, out.contact_id);
    eq(links.map((l) => `${l.target}:${l.target_id}`).join(','), `lead:${lead.id}`, 'links');
    eq(links[0].is_primary, true, 'the lead link is primary');
  });

  T('convert (API, customer=existing) with an unknown customer_id answers 422 or 404 and creates nothing', async () => {
    const a = await API('sales');
    const t = Tok();
    const lead = await newLead(a, { first_name: 'Ugo', last_name: t, email: email(t) });
    const res = await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'existing', customer_id: 999999999 } });
    ok(res.status === 422 || res.status === 404, `status ${res.status}`, res);
    eq(num(`SELECT COUNT(*) FROM contacts WHERE last_name = ${sq(t)}`), 0, 'contacts created');
    eq(sql(`SELECT status FROM leads WHERE id = ${lead.id}`), 'new', 'lead status');
  });

  for (const [kind, dupe, fromLead] of [
    ['the same email', (t, ph) => ({ first_name: 'Other', last_name: `X${t}`, email: email(t) }), (t, ph) => ({ email: email(t) })],
    ['the same phone', (t, ph) => ({ first_name: 'Other', last_name: `X${t}`, mobile_phone: ph }), (t, ph) => ({ phone: ph.replace(/ /g, '') })],
    ['the same first and last name', (t, ph) => ({ first_name: 'Dario', last_name: t, email: `other.${email(t)}` }), (t, ph) => ({})],
  ]) {
    T(`convert: an existing contact with ${kind} stops the conversion (409 duplicate with candidates); nothing created`, async () => {
      const a = await API('sales');
      const t = Tok();
      const ph = phone();
      const existing = await apiCreate(a, 'contacts', dupe(t, ph));
      const lead = await newLead(a, { first_name: 'Dario', last_name: t, company: `Dup Co ${t}`, ...fromLead(t, ph) });
      const contactsBefore = num('SELECT COUNT(*) FROM contacts');
      const customersBefore = num(`SELECT COUNT(*) FROM customers WHERE name = ${sq(`Dup Co ${t}`)}`);
      const res = await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'new' } });
      const body = expectJsonError(res, 409, 'duplicate');
      ok(Array.isArray(body.error.candidates), 'no error.candidates array', res);
      const cand = body.error.candidates.find((x) => x.id === existing.id);
      ok(cand, `the existing contact ${existing.id} is not among the candidates`, res);
      for (const k of ['first_name', 'last_name', 'email']) ok(k in cand, `candidate without ${k}`, res);
      eq(num('SELECT COUNT(*) FROM contacts'), contactsBefore, 'contacts after the refused conversion');
      eq(num(`SELECT COUNT(*) FROM customers WHERE name = ${sq(`Dup Co ${t}`)}`), customersBefore, 'customers after the refused conversion');
      const l = expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200);
      ok(l.status !== 'converted' && !l.converted_contact_id, `lead after the refused conversion: status ${l.status}, converted_contact_id ${l.converted_contact_id}`);
    });
  }

  T('convert: create_anyway=true creates the contact despite a likely duplicate', async () => {
    const a = await API('sales');
    const t = Tok();
    const existing = await apiCreate(a, 'contacts', { first_name: 'Elsa', last_name: t, email: email(t) });
    const lead = await newLead(a, { first_name: 'Elsa', last_name: t, email: email(t) });
    expectJsonError(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'none' } }), 409, 'duplicate');
    const out = expectJson(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'none', create_anyway: true } }), 201);
    ok(out.contact_id && out.contact_id !== existing.id, `contact_id ${out.contact_id} (existing ${existing.id})`);
    eq(num(`SELECT COUNT(*) FROM contacts WHERE last_name = ${sq(t)} AND deleted_at IS NULL`), 2, 'contacts with the name');
  });

  T('convert: contact_id=EXISTING converts into that contact (no new contact; connected to the lead and customer)', async () => {
    const a = await API('sales');
    const t = Tok();
    const existing = await apiCreate(a, 'contacts', { first_name: 'Fabio', last_name: t, email: email(t) });
    const lead = await newLead(a, { first_name: 'Fabio', last_name: t, email: email(t), company: `Into Co ${t}` });
    const before = num('SELECT COUNT(*) FROM contacts');
    const out = expectJson(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'new', contact_id: existing.id } }), 201);
    eq(out.contact_id, existing.id, 'contact_id');
    eq(num('SELECT COUNT(*) FROM contacts'), before, 'contacts after converting into an existing one');
    const links = await linksOf(a, existing.id);
    ok(links.some((l) => l.target === 'lead' && l.target_id === lead.id), `no link to the lead: ${JSON.stringify(links)}`);
    ok(links.some((l) => l.target === 'customer' && l.target_id === out.customer_id), `no link to the customer: ${JSON.stringify(links)}`);
    eq(expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200).converted_contact_id, existing.id, 'converted_contact_id');
    eq(await contactStatus(a, existing.id), 'contact', 'status of the existing contact');
  });

  T('convert: converting a lead twice answers 409 already_converted and creates nothing', async () => {
    const a = await API('sales');
    const t = Tok();
    const lead = await newLead(a, { first_name: 'Gino', last_name: t, email: email(t) });
    expectJson(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'none' } }), 201);
    const before = num('SELECT COUNT(*) FROM contacts');
    expectJsonError(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'none', create_anyway: true } }), 409, 'already_converted');
    eq(num('SELECT COUNT(*) FROM contacts'), before, 'contacts after the second conversion');
  });

  T('convert (HTML): the form converts and goes to /contacts/NEW?converted=1', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = Tok();
    const lead = await newLead(a, { first_name: 'Hana', last_name: t, company: `Hana Co ${t}`, email: email(t) });
    const page = expectStatus(await c.get(`/connections/leads/${lead.id}/convert`), 200);
    const f = forms(page.text).find((x) => x.action === `/connections/leads/${lead.id}/convert`);
    ok(f && f.fields.csrf_token, 'no convert form with csrf_token', page);
    const res = await c.post(f.action, { form: { ...f.fields, customer: 'new' } });
    const u = expectRedirect(res, /^\/contacts\/\d+\?converted=1$/);
    const id = Number(u.pathname.split('/')[2]);
    const ct = expectJson(await a.get(`/api/v1/contacts/${id}`), 200);
    eq(ct.last_name, t, 'last_name of the new contact');
    eq(expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200).converted_contact_id, id, 'converted_contact_id');
  });

  T('convert (HTML): a likely duplicate gets the 409 page listing it; "use this contact" converts into it', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = Tok();
    const existing = await apiCreate(a, 'contacts', { first_name: 'Irma', last_name: t, email: email(t) });
    const lead = await newLead(a, { first_name: 'Irma', last_name: t, email: email(t) });
    const page = expectStatus(await c.get(`/connections/leads/${lead.id}/convert`), 200);
    const f = forms(page.text).find((x) => x.action === `/connections/leads/${lead.id}/convert`);
    ok(f, 'no convert form', page);
    const before = num('SELECT COUNT(*) FROM contacts');
    const res = await c.post(f.action, { form: { ...f.fields, customer: 'none' } });
    expectStatus(res, 409);
    const dup = elementInner(res.text, 'fieldset', { id: 'duplicates' });
    ok(dup !== null, 'no fieldset#duplicates on the 409 page', res);
    ok(findTag(dup, 'a', { href: `/contacts/${existing.id}` }), `fieldset#duplicates does not link /contacts/${existing.id}`, res);
    const use = findTag(dup, 'button', { name: 'contact_id', value: String(existing.id) });
    ok(use, `no "use this contact" button (name=contact_id value=${existing.id})`, res);
    eq(num('SELECT COUNT(*) FROM contacts'), before, 'contacts after the refused conversion');
    const f2 = forms(res.text).find((x) => x.action === `/connections/leads/${lead.id}/convert`);
    ok(f2, 'the 409 page has no convert form', res);
    const done = await c.post(f2.action, { form: { ...f2.fields, contact_id: String(existing.id) } });
    expectRedirect(done, `/contacts/${existing.id}?converted=1`);
    eq(num('SELECT COUNT(*) FROM contacts'), before, 'contacts after "use this contact"');
    eq(expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200).converted_contact_id, existing.id, 'converted_contact_id');
  });

  // ================================================================ lead anonymization

  T('anonymize (API): answers 200 with anonymized_at; names, email, phone, company and notes are gone, also from history', async () => {
    const a = await API('sales');
    const mgr = await API('manager');
    const t = Tok();
    const secrets = { first_name: `Sec${t}a`, last_name: `Sec${t}b`, company: `Sec${t}c Srl`, email: email(`sec${t}d`), phone: phone(), notes: `Sec${t}e notes` };
    const lead = await newLead(a, secrets);
    const changed = { email: email(`sec${t}f`), notes: `Sec${t}g notes`, version: lead.version };
    expectJson(await patch(a, `/api/v1/leads/${lead.id}`, changed), 200);
    const res = await mgr.post(`/api/v1/leads/${lead.id}/anonymize`);
    const body = expectJson(res, 200);
    ok(typeof body.anonymized_at === 'string' && body.anonymized_at, `anonymized_at: ${JSON.stringify(body.anonymized_at)}`, res);
    const left = ['first_name', 'last_name', 'company', 'email', 'phone', 'notes'].filter((k) => body[k] !== null && body[k] !== '' && body[k] !== undefined);
    eq(left.join(','), '', 'personal fields still in the answer', res);
    const row = sql(`SELECT CONCAT_WS('|', first_name, last_name, company, email, phone, notes) FROM leads WHERE id = ${lead.id}`);
    ok(!row.includes(`Sec${t}`) && !row.toLowerCase().includes(`sec${t.toLowerCase()}`), `stored row still holds personal data: ${row}`);
    const hist = sql(`SELECT COUNT(*) FROM history WHERE entity = 'lead' AND entity_id = ${lead.id} `
      + `AND (old_value LIKE '%${t}%' OR new_value LIKE '%${t}%' OR old_value LIKE '%${secrets.phone.slice(-7)}%' OR new_value LIKE '%${secrets.phone.slice(-7)}%')`);
    eq(Number(hist), 0, 'history rows of the lead holding old personal values');
    const again = expectJson(await a.get(`/api/v1/leads/${lead.id}`), 200);
    ok(again.anonymized_at, 'GET after anonymize has no anonymized_at');
  });

  T('anonymize (HTML): the confirmation page and its form anonymize the lead (manager)', async () => {
    const mgr = await A('manager');
    const a = await API('sales');
    const t = Tok();
    const lead = await newLead(a, { first_name: 'Rita', last_name: t, email: email(t) });
    const page = expectStatus(await mgr.get(`/connections/leads/${lead.id}/anonymize`), 200);
    const f = forms(page.text).find((x) => x.action === `/connections/leads/${lead.id}/anonymize`);
    ok(f && f.fields.csrf_token, 'no anonymize form with csrf_token', page);
    expectStatus(await mgr.post(f.action, { form: f.fields }), 303);
    eq(sql(`SELECT CONCAT(anonymized_at IS NOT NULL, '|', last_name) FROM leads WHERE id = ${lead.id}`), '1|', 'anonymized_at set, last_name erased');
  });

  T('anonymize: a converted contact keeps its data when its lead is anonymized', async () => {
    const a = await API('sales');
    const t = Tok();
    const lead = await newLead(a, { first_name: 'Sara', last_name: t, email: email(t) });
    const out = expectJson(await a.post(`/api/v1/leads/${lead.id}/convert`, { json: { customer: 'none' } }), 201);
    expectJson(await (await API('manager')).post(`/api/v1/leads/${lead.id}/anonymize`), 200);
    eq(expectJson(await a.get(`/api/v1/contacts/${out.contact_id}`), 200).last_name, t, 'last_name of the converted contact');
  });

  // ================================================================ permissions

  T('permissions: crm_marketeer views, creates and connects (HTML and API)', async () => {
    const c = await A('marketeer');
    const a = await API('marketeer');
    for (const p of ['/connections', '/connections/customers', '/connections/leads', '/connections/customers/new', '/connections/leads/new']) {
      expectStatus(await c.get(p), 200);
    }
    const id = savedId(await formCreate(c, 'customers', { name: `Mkt ${Tok()}` }), 'customers');
    expectStatus(await c.get(`/connections/customers/${id}`), 200);
    const lead = await newLead(a, { last_name: Tok() });
    const ct = await newContact(a);
    await connect(a, ct.id, 'customer', id);
    await connect(a, ct.id, 'lead', lead.id);
    expectStatus(await c.get(`/connections/search?contact_id=${ct.id}&q=mkt`), 200);
  });

  for (const role of ['marketeer', 'sales']) {
    T(`permissions: crm_${role} gets 403 on delete and anonymize (HTML and API); nothing changes`, async () => {
      const c = await A(role);
      const a = await API(role);
      const cu = await newCustomer(a, { name: `Keep ${Tok()}` });
      const lead = await newLead(a, { last_name: Tok() });
      const csrf = await csrfOf(c);
      expectStatus(await c.get(`/connections/customers/${cu.id}/delete`), 403);
      expectStatus(await c.post(`/connections/customers/${cu.id}/delete`, { form: { csrf_token: csrf } }), 403);
      expectJsonError(await del(a, `/api/v1/customers/${cu.id}`), 403, 'forbidden');
      expectStatus(await c.get(`/connections/leads/${lead.id}/delete`), 403);
      expectStatus(await c.post(`/connections/leads/${lead.id}/delete`, { form: { csrf_token: csrf } }), 403);
      expectJsonError(await del(a, `/api/v1/leads/${lead.id}`), 403, 'forbidden');
      expectStatus(await c.get(`/connections/leads/${lead.id}/anonymize`), 403);
      expectStatus(await c.post(`/connections/leads/${lead.id}/anonymize`, { form: { csrf_token: csrf } }), 403);
      expectJsonError(await a.post(`/api/v1/leads/${lead.id}/anonymize`), 403, 'forbidden');
      eq(sql(`SELECT deleted_at IS NULL FROM customers WHERE id = ${cu.id}`), '1', 'customer not deleted');
      eq(sql(`SELECT CONCAT(deleted_at IS NULL, anonymized_at IS NULL) FROM leads WHERE id = ${lead.id}`), '11', 'lead not deleted or anonymized');
    });
  }

  T('permissions: crm_marketeer gets no Delete link on the customer profile', async () => {
    const c = await A('marketeer');
    const cu = await newCustomer(await API('marketeer'), { name: `NoLink ${Tok()}` });
    const page = expectStatus(await c.get(`/connections/customers/${cu.id}`), 200);
    ok(!findTag(page.text, 'a', { href: `/connections/customers/${cu.id}/delete` }), 'the profile links the delete page', page);
  });

  T('permissions: crm_manager deletes but cannot restore or open the recycle bin (admin only)', async () => {
    const mgr = await A('manager');
    const a = await API('sales');
    const cu = await newCustomer(a, { name: `MgrDel ${Tok()}` });
    expectStatus(await del(await API('manager'), `/api/v1/customers/${cu.id}`), 204);
    expectStatus(await mgr.get('/connections/bin'), 403);
    expectStatus(await mgr.post(`/connections/customers/${cu.id}/restore`, { form: { csrf_token: await csrfOf(mgr) } }), 403);
    eq(sql(`SELECT deleted_at IS NOT NULL FROM customers WHERE id = ${cu.id}`), '1', 'still in the recycle bin');
    expectStatus(await (await A('admin')).get('/connections/bin'), 200);
  });

  T('permissions: a user without roles gets 403 on every page and API route of the module', async () => {
    const c = await A('norole');
    const a = await API('norole');
    const s = await API('sales');
    const cu = await newCustomer(s, { name: `Closed ${Tok()}` });
    const lead = await newLead(s, { last_name: Tok() });
    const ct = await newContact(s);
    const pages = ['/connections', '/connections/customers', `/connections/customers/${cu.id}`, '/connections/customers/new',
      `/connections/customers/${cu.id}/edit`, '/connections/leads', `/connections/leads/${lead.id}`, `/connections/leads/${lead.id}/convert`,
      `/connections/search?contact_id=${ct.id}&q=closed`, '/connections/bin'];
    const wrong = [];
    for (const p of pages) { const r = await c.get(p); if (r.status !== 403) wrong.push(`GET ${p}: ${r.status}`); }
    const csrf = await csrfOf(c);
    const posts = [['/connections/customers', { name: 'X' }], ['/connections/connect', { contact_id: ct.id, target: 'customer', target_id: cu.id }],
      [`/connections/leads/${lead.id}/convert`, { customer: 'none' }]];
    for (const [p, f] of posts) { const r = await c.post(p, { form: { ...f, csrf_token: csrf } }); if (r.status !== 403) wrong.push(`POST ${p}: ${r.status}`); }
    const apis = [['GET', '/api/v1/customers'], ['GET', `/api/v1/customers/${cu.id}`], ['GET', `/api/v1/customers/${cu.id}/contacts`],
      ['GET', '/api/v1/leads'], ['GET', `/api/v1/leads/${lead.id}`], ['GET', `/api/v1/connections/search?q=closed`],
      ['GET', `/api/v1/connections?contact_id=${ct.id}`], ['POST', '/api/v1/customers', { name: 'X' }],
      ['POST', '/api/v1/connections', { contact_id: ct.id, target: 'customer', target_id: cu.id }],
      ['POST', `/api/v1/leads/${lead.id}/convert`, { customer: 'none' }]];
    for (const [m, p, body] of apis) {
      const r = await a.request(m, p, body ? { json: body } : {});
      if (r.status !== 403) wrong.push(`${m} ${p}: ${r.status}`);
      else expectJsonError(r, 403, 'forbidden');
    }
    eq(wrong.join('; '), '', 'routes not refused with 403');
    eq((await linksOf(s, ct.id)).length, 0, 'links of the contact');
    eq(sql(`SELECT status FROM leads WHERE id = ${lead.id}`), 'new', 'lead status');
  });

  // ================================================================ escaping

  T(`XSS: a customer named ${XSS} is escaped on the list, profile, search results, contact page and contacts list`, async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const cu = await newCustomer(a, { name: `${XSS} ${t}` });
    const ct = await newContact(a);
    await connect(a, ct.id, 'customer', cu.id);
    const pages = [`/connections/customers?q=${t}`, `/connections/customers/${cu.id}`, `/connections/customers/${cu.id}/edit`,
      `/connections/search?contact_id=${ct.id}&q=${t}&tab=customers`, `/contacts/${ct.id}`,
      `/contacts?q=${encodeURIComponent(ct.last_name)}&active=all`];
    const wrong = [];
    for (const p of pages) {
      const res = expectStatus(await c.get(p), 200);
      if (res.text.includes(XSS)) wrong.push(`${p}: raw ${XSS}`);
      else if (!XSS_ESCAPED.test(res.text)) wrong.push(`${p}: the escaped name is not shown`);
    }
    eq(wrong.join('; '), '', 'pages');
  });

  T('XSS: a lead with <img onerror> in its company is escaped on the lead list, page and search results', async () => {
    const c = await A('sales');
    const a = await API('sales');
    const t = tok();
    const bad = '<img src=x onerror=alert(2)>';
    const lead = await newLead(a, { last_name: `Img ${t}`, company: `${bad} ${t}` });
    const ct = await newContact(a);
    const wrong = [];
    for (const p of [`/connections/leads?q=${t}`, `/connections/leads/${lead.id}`, `/connections/search?contact_id=${ct.id}&q=${t}&tab=leads`]) {
      const res = expectStatus(await c.get(p), 200);
      if (/<img src=x onerror/i.test(res.text)) wrong.push(`${p}: raw <img onerror>`);
    }
    eq(wrong.join('; '), '', 'pages');
  });
}
