// Contacts module (issue 3): the contact record through the staff HTML form, the contact page, the recycle bin and
// the JSON API, as a user or an attacker sees it; stored values checked in MariaDB with sql().
// Registered per web server: the whole set through nginx, a cheap subset through Apache.
import { createHash } from 'node:crypto';
import {
  test, ok, eq, expectStatus, expectRedirect, expectJson, expectJsonError,
  Client, login, createToken, getCsrf, parseForm, parseAttrs, findTags, findTag, elementInner, textOf, decodeEntities,
} from '../lib/harness.mjs';
import { once, dedicatedUser, PASSWORD, RUN } from './fixtures.mjs';
import { elementBy, listRows, totalOf } from './pages.mjs';
import { sql } from './mail.mjs';
import { formValues, merged } from '../lib/harness.mjs';

const XSS = '<script>alert(1)</script>';
const XSS_ESCAPED = /(&lt;|&#0*60;|&#x0*3c;)script(&gt;|&#0*62;|&#x0*3e;)alert\(1\)(&lt;|&#0*60;|&#x0*3c;)(\/|&#0*47;|&#x0*2f;)script(&gt;|&#0*62;|&#x0*3e;)/i;

// ------------------------------------------------------------------ users, clients, tokens

const ROLES = { admin: ['crm_admin'], manager: ['crm_manager'], sales: ['crm_sales'], marketeer: ['crm_marketeer'], norole: [] };
const ROLE_NAME = { admin: 'crm_admin', manager: 'crm_manager', sales: 'crm_sales', marketeer: 'crm_marketeer', norole: 'no role' };

/** Login name of this run's contacts-test user holding `role` (created on first use). */
function roleUser(role) { return dedicatedUser('c' + role, ROLES[role]); }

/** A logged-in staff client of `role` on `base` (shared by the tests of one server). */
function as(base, role) {
  return once(`contacts-client:${base}:${role}`, async () => login(base, await roleUser(role), PASSWORD));
}

/** A fresh logged-in client (for tests that must not share a session). */
async function fresh(base, role) { return login(base, await roleUser(role), PASSWORD); }

/** An API client of `role` with a Bearer token. */
async function api(base, role) {
  const token = await once(`contacts-token:${role}`, async () => createToken(await roleUser(role)));
  const c = new Client(base);
  c.headers.authorization = 'Bearer ' + token;
  return c;
}

function userId(loginName) { return Number(sql(`SELECT id FROM users WHERE login = '${loginName}'`)); }

/** The csrf token of a logged-in client: from a page it can see (any status), else the session row. */
async function csrfOf(c) {
  const res = await c.get('/contacts');
  const t = getCsrf(res.text);
  if (t) return t;
  const hash = createHash('sha256').update(c.jar.get('crm_session') || '').digest('hex');
  const row = sql(`SELECT csrf FROM sessions WHERE id_hash = '${hash}'`);
  ok(row, 'no csrf token on /contacts and no session row for the client');
  return row;
}

// ------------------------------------------------------------------ names, stored rows

let seq = 0;
/** A last name unique to this run and test (letters and digits). */
function mark() { seq += 1; return `Ct${RUN}n${seq}`; }

function count(where) { return Number(sql(`SELECT COUNT(*) FROM contacts WHERE ${where}`)); }
function countByLast(last) { return count(`last_name = '${last}'`); }

/** One stored column of a contact (as the mariadb client prints it: NULL for null). */
function col(id, column) { return sql(`SELECT ${column} FROM contacts WHERE id = ${Number(id)}`); }

/** History rows of a contact: [{id, action, field, old, new, actor}] in insertion order. */
export function historyRows(id, sinceId = 0) {
  const out = sql(`SELECT id, action, IFNULL(field, ''), IFNULL(old_value, '<null>'), IFNULL(new_value, '<null>'), actor `
    + `FROM history WHERE entity = 'contact' AND entity_id = ${Number(id)} AND id > ${Number(sinceId)} ORDER BY id`);
  if (!out) return [];
  return out.split('\n').map((l) => {
    const [hid, action, field, oldV, newV, actor] = l.split('\t');
    return { id: Number(hid), action, field, old: oldV, new: newV, actor };
  });
}
function lastHistoryId() { return Number(sql('SELECT IFNULL(MAX(id), 0) FROM history')); }

function addCustomerConnection(contactId, name) {
  sql(`INSERT INTO customers (name) VALUES ('${name}')`);
  const cid = sql(`SELECT MAX(id) FROM customers WHERE name = '${name}'`);
  sql(`INSERT INTO connections (contact_id, customer_id) VALUES (${Number(contactId)}, ${cid})`);
  return Number(cid);
}

// ------------------------------------------------------------------ HTML forms as a browser submits them


/** Open /contacts/new, fill in `changes`, press the button `action` (save / save_exit); the POST response. */
async function formCreate(c, changes, action = 'save') {
  const page = expectStatus(await c.get('/contacts/new'), 200);
  const f = formValues(page.text, { action: '/contacts' });
  ok(f, 'no <form action="/contacts"> on /contacts/new', page);
  // setup data reuses names and phones on purpose: the duplicate warning has its own tests (data.mjs)
  return c.post('/contacts', { form: merged(f.fields, { create_anyway: '1', ...changes, action }) });
}

/** The id of the contact a Save created (303 to /contacts/ID/edit?saved=1). */
function savedId(res) {
  const u = expectRedirect(res, /^\/contacts\/\d+\/edit\?saved=1$/);
  return Number(u.pathname.split('/')[2]);
}

/** Create through the form and return the id. */
async function createContact(c, changes) { return savedId(await formCreate(c, changes)); }

/** The edit form of a contact: {page, form}. */
async function editForm(c, id) {
  const page = expectStatus(await c.get(`/contacts/${id}/edit`), 200);
  const form = formValues(page.text, { action: `/contacts/${id}` });
  ok(form, `no <form action="/contacts/${id}"> on the edit page`, page);
  return { page, form };
}

/** Open the edit form, change fields, press `action`; the POST response. */
async function formEdit(c, id, changes, action = 'save') {
  const { form } = await editForm(c, id);
  return c.post(`/contacts/${id}`, { form: merged(form.fields, { ...changes, action }) });
}

/** The value a form shows for a field (input value, selected option, textarea text); undefined if no control. */
function shownValue(html, name) {
  const f = formValues(html, { action: /^\/contacts(\/\d+)?$/ });
  if (!f) return undefined;
  const input = findTag(f.inner, 'input', { name });
  if (input && /^(checkbox|radio)$/i.test(input.attrs.type || '')) return 'checked' in input.attrs ? input.attrs.value : '';
  return f.fields[name];
}

/** Ids of the field errors on a page (`<span class="field-error" id="err-FIELD">`) → {field: text}. */
function fieldErrors(html) {
  const out = {};
  for (const t of findTags(html, 'span')) {
    if (!(t.attrs.class || '').split(/\s+/).includes('field-error')) continue;
    const m = /^err-(.+)$/.exec(t.attrs.id || '');
    if (m) out[m[1]] = textOf(elementInner(html.slice(t.index), 'span')) || '';
  }
  return out;
}

/** Assert the error of `field` is shown next to its control: after it, before the next field's control. */
function expectErrorNextTo(res, field) {
  const html = res.text;
  const err = findTags(html, 'span').find((t) => t.attrs.id === `err-${field}`
    && (t.attrs.class || '').split(/\s+/).includes('field-error'));
  ok(err, `no <span class="field-error" id="err-${field}">`, res);
  ok(textOf(elementInner(html.slice(err.index), 'span')), `the error of ${field} is empty`, res);
  const controls = ['input', 'select', 'textarea'].flatMap((t) => findTags(html, t))
    .filter((t) => t.attrs.name && !/^(hidden|submit|button)$/i.test(t.attrs.type || ''))
    .sort((a, b) => a.index - b.index);
  const own = controls.filter((t) => t.attrs.name === field);
  ok(own.length, `the page has no control named ${field}`, res);
  const before = controls.filter((t) => t.index < err.index);
  ok(before.length && before[before.length - 1].attrs.name === field,
    `the error of ${field} follows the control of ${before.length ? before[before.length - 1].attrs.name : 'nothing'}, not ${field}`, res);
}

/** A refused HTML save: 422, the error next to every field in `fields` and on no other field. */
function expectRefused(res, fields) {
  expectStatus(res, 422);
  for (const f of fields) expectErrorNextTo(res, f);
  const shown = Object.keys(fieldErrors(res.text)).sort();
  eq(shown.join(','), [...fields].sort().join(','), 'fields marked as wrong', res);
}

/** Start tags (any element) whose class holds every one of `classes`. */
function withClasses(html, classes) {
  const out = [];
  const re = /<([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let m;
  while ((m = re.exec(html))) {
    const cls = (parseAttrs(m[2]).class || '').split(/\s+/);
    if (classes.every((k) => cls.includes(k))) out.push({ tag: m[1], index: m.index });
  }
  return out;
}

/** Visible text of the contact page section (`section-master`, `section-channels`, …). */
function sectionText(html, sec) { return textOf(elementBy(html, 'class', `section-${sec}`)); }

/** The `<li>` entries of the contact page's `ol.history` that are history rows (not comments). */
function activityItems(html) {
  const ol = elementInner(html, 'ol', { class: 'history' });
  if (ol === null) return null;
  const items = [];
  const re = /<li\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/li>/gi;
  let m;
  while ((m = re.exec(ol))) {
    const cls = (parseAttrs(m[1]).class || '').split(/\s+/);
    if (cls.includes('comment')) continue;
    const time = /<time\b[^>]*>([\s\S]*?)<\/time>/i.exec(m[2]);
    items.push({ html: m[2], text: textOf(m[2]), time: time ? textOf(time[1]) : null });
  }
  return items;
}

/** Rows of the contact list for a search: {rows, total}. */
async function search(c, q, extra = '') {
  const res = expectStatus(await c.get('/contacts?q=' + encodeURIComponent(q) + extra), 200);
  return { res, rows: listRows(res.text) || [], total: totalOf(res.text) };
}

function binCount(res) {
  const inner = elementBy(res.text, 'id', 'bin-count');
  ok(inner !== null, 'no id="bin-count" on the recycle bin', res);
  return Number(textOf(inner).replace(/[^\d]/g, ''));
}

// ------------------------------------------------------------------ API helpers

async function apiCreate(a, body) {
  const res = await a.post('/api/v1/contacts', { json: { create_anyway: true, ...body } });
  return expectJson(res, 201);
}
async function apiGet(a, id) { return expectJson(await a.get(`/api/v1/contacts/${id}`), 200); }
function patch(a, id, body, headers) { return a.request('PATCH', `/api/v1/contacts/${id}`, { json: body, headers }); }

// every editable field of SPEC §1, by section of the form / contact page
const SECTIONS = {
  master: ['first_name', 'middle_name', 'last_name', 'birthday', 'contact_type', 'reports_to_id'],
  channels: ['mobile_phone', 'mobile_phone_2', 'work_phone', 'email', 'email_2', 'other_contacts'],
  working: ['job_title', 'certificate', 'timezone', 'language'],
  prefs: ['contact_preference', 'do_not_call', 'do_not_email', 'block_auto_emails', 'receives_newsletter'],
  portal: ['portal_user', 'support_start_date', 'support_end_date'],
  user: ['is_user', 'user_id'],
  other: ['source', 'notes', 'active'],
};
const FLAGS = ['do_not_call', 'do_not_email', 'block_auto_emails', 'receives_newsletter', 'portal_user', 'is_user', 'active'];

function isoDay(offsetDays) { return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10); }

// ------------------------------------------------------------------ tests

export function registerContactTests(name, staff) {
  const T = (title, fn, opts) => test(`[${name}] contact: ${title}`, fn, opts);
  const A = (role) => as(staff, role);

  if (name !== 'nginx') {
    // through Apache: the same programs behind another server; the paths a user takes most
    T('Save creates the contact and its page shows it', async () => {
      const c = await A('sales');
      const m = mark();
      const id = await createContact(c, { first_name: 'Apache', last_name: m, email: `${m}@example.com`.toLowerCase() });
      const page = expectStatus(await c.get(`/contacts/${id}`), 200);
      ok(textOf(elementInner(page.text, 'h1') || '').includes(m), `the page heading does not name ${m}`, page);
    });
    T('an invalid email gets 422 with the error next to the field', async () => {
      const c = await A('sales');
      const m = mark();
      expectRefused(await formCreate(c, { last_name: m, email: 'not-an-email' }), ['email']);
      eq(countByLast(m), 0, 'contacts stored');
    });
    T('API create, then a PATCH with a stale version answers 409 conflict', async () => {
      const a = await api(staff, 'sales');
      const body = await apiCreate(a, { last_name: mark() });
      expectJson(await patch(a, body.id, { version: body.version, job_title: 'First' }), 200);
      expectJsonError(await patch(a, body.id, { version: body.version, job_title: 'Second' }), 409, 'conflict');
      eq(col(body.id, 'job_title'), 'First', 'stored job_title');
    });
    return;
  }

  // ---------------------------------------------------------------- the form

  T('new contact form has every SPEC §1 field by its canonical name, csrf_token, Save and Save and exit', async () => {
    const c = await A('sales');
    const res = expectStatus(await c.get('/contacts/new'), 200);
    const f = parseForm(res.text, { action: '/contacts' });
    ok(f, 'no <form action="/contacts">', res);
    eq(f.method, 'post', 'form method', res);
    const missing = Object.values(SECTIONS).flat().filter((n) => !new RegExp(`<(input|select|textarea)\\b[^>]*\\bname="${n}"`).test(f.inner));
    eq(missing.join(','), '', 'fields without a control', res);
    for (const flag of FLAGS) {
      const t = findTag(f.inner, 'input', { name: flag });
      ok(t && (t.attrs.type || '').toLowerCase() === 'checkbox' && t.attrs.value === '1', `${flag} is not a checkbox with value "1"`, res);
    }
    const csrf = findTag(f.inner, 'input', { name: 'csrf_token' });
    ok(csrf && (csrf.attrs.type || '').toLowerCase() === 'hidden' && csrf.attrs.value, 'no hidden csrf_token', res);
    ok(!/name="status"/.test(f.inner), 'the form lets the user set the derived status', res);
    ok(findTag(f.inner, 'button', { name: 'action', value: 'save' }), 'no Save button (name=action value=save)', res);
    ok(findTag(f.inner, 'button', { name: 'action', value: 'save_exit' }), 'no Save and exit button (name=action value=save_exit)', res);
  });

  T('the form groups the fields in the sections of SPEC §2', async () => {
    const c = await A('sales');
    const res = expectStatus(await c.get('/contacts/new'), 200);
    for (const [sec, fields] of Object.entries(SECTIONS)) {
      const inner = elementBy(res.text, 'class', `section-${sec}`);
      ok(inner !== null, `no section-${sec} in the form`, res);
      const outside = fields.filter((n) => !new RegExp(`\\bname="${n}"`).test(inner));
      eq(outside.join(','), '', `fields missing from section-${sec}`, res);
    }
  });

  T('every form field has a label tied to it (label for= the control id)', async () => {
    const c = await A('sales');
    const res = expectStatus(await c.get('/contacts/new'), 200);
    const f = parseForm(res.text, { action: '/contacts' });
    const fors = new Set(findTags(f.inner, 'label').map((l) => l.attrs.for).filter(Boolean));
    const unlabelled = [];
    for (const n of Object.values(SECTIONS).flat()) {
      const ctl = ['input', 'select', 'textarea'].map((t) => findTag(f.inner, t, { name: n })).find(Boolean);
      if (!ctl || !ctl.attrs.id || !fors.has(ctl.attrs.id)) unlabelled.push(n);
    }
    eq(unlabelled.join(','), '', 'fields without a <label for>', res);
  });

  T('Save creates the contact and stays on its edit form with the saved values', async () => {
    const c = await A('sales');
    const m = mark();
    const res = await formCreate(c, { first_name: 'Stay', last_name: m, job_title: 'Buyer' }, 'save');
    const id = savedId(res);
    eq(countByLast(m), 1, 'contacts stored');
    const page = expectStatus(await c.get(res.location), 200);
    eq(shownValue(page.text, 'last_name'), m, 'last_name on the edit form', page);
    eq(shownValue(page.text, 'job_title'), 'Buyer', 'job_title on the edit form', page);
    ok(findTag(page.text, 'form', { action: `/contacts/${id}` }), 'the page after Save is not the edit form of the new contact', page);
    ok(findTag(page.text, 'input', { name: 'version' }), 'the edit form has no version', page);
  });

  T('Save and exit creates the contact and goes to the list, which finds it', async () => {
    const c = await A('sales');
    const m = mark();
    const res = await formCreate(c, { first_name: 'Exit', last_name: m }, 'save_exit');
    expectRedirect(res, '/contacts');
    eq(countByLast(m), 1, 'contacts stored');
    const { rows, res: list } = await search(c, m);
    ok(rows.some((r) => r.text.includes(m)), `the list searched for ${m} has no row for it`, list);
  });

  T('every field entered in the form is stored and comes back from the API with its type', async () => {
    const c = await A('admin');
    const m = mark();
    const boss = await createContact(c, { first_name: 'Boss', last_name: mark() });
    const uid = userId(await roleUser('sales'));
    const email = `${m}@example.com`.toLowerCase();
    const values = {
      first_name: 'Giulia', middle_name: 'Maria', last_name: m, birthday: '1985-04-12', contact_type: 'partner_contact',
      reports_to_id: boss, job_title: 'Buyer', certificate: 'PMP', timezone: 'Europe/Rome', language: 'it',
      mobile_phone: '+39 333 123 4567', mobile_phone_2: '0039 (02) 555-1234', work_phone: '+39 02/1234.567',
      email, email_2: `alt.${email}`, other_contacts: 'Skype: giulia.m', contact_preference: 'email',
      do_not_call: '1', do_not_email: '1', block_auto_emails: '1', portal_user: '1',
      support_start_date: '2024-01-01', support_end_date: '2030-12-31', is_user: '1', user_id: uid,
      source: 'business_card', notes: 'Met at the fair.\nLikes tea.', active: '1',
    };
    const id = await createContact(c, values);
    const got = await apiGet(await api(staff, 'admin'), id);
    const wrong = [];
    for (const [k, v] of Object.entries(values)) {
      let want = v;
      if (FLAGS.includes(k)) want = v === '1';
      else if (k === 'reports_to_id' || k === 'user_id') want = Number(v);
      if (got[k] !== want) wrong.push(`${k}: sent ${JSON.stringify(v)}, API has ${JSON.stringify(got[k])}`);
    }
    eq(wrong.join('; '), '', 'fields not stored as entered');
  });

  T('the contact page shows every field in its section', async () => {
    const c = await A('admin');
    const m = mark();
    const values = {
      first_name: 'Paola', middle_name: 'Rita', last_name: m, birthday: '1979-11-03', job_title: `Chief${m}`,
      certificate: `Cert${m}`, timezone: 'Europe/Rome', mobile_phone: '+39 347 000 1111', work_phone: '02 1234 5678',
      email: `${m}@example.com`.toLowerCase(), email_2: `b.${m}@example.com`.toLowerCase(), other_contacts: `Other${m}`,
      support_start_date: '2024-02-01', support_end_date: '2029-02-01', notes: `Notes${m}`,
    };
    const id = await createContact(c, values);
    const page = expectStatus(await c.get(`/contacts/${id}`), 200);
    const misplaced = [];
    for (const [sec, fields] of Object.entries(SECTIONS)) {
      const text = sectionText(page.text, sec);
      ok(text !== null, `no section-${sec} on the contact page`, page);
      for (const f of fields) if (values[f] !== undefined && !text.includes(values[f].replace(/\s+/g, ' '))) misplaced.push(`${f} (${sec})`);
    }
    eq(misplaced.join(', '), '', 'values not shown in their section', page);
  });

  // ---------------------------------------------------------------- at least one value

  T('the untouched new-contact form is refused with 422 and a clear error; nothing stored', async () => {
    const c = await A('sales');
    const before = count('1');
    const res = await formCreate(c, {});
    expectStatus(res, 422);
    ok(Object.keys(fieldErrors(res.text)).length > 0 || /class="error"/.test(res.text), 'no error message on the page', res);
    eq(count('1'), before, 'number of contacts');
  });

  T('a form with only blanks in the text fields is refused (422); nothing stored', async () => {
    const c = await A('sales');
    const before = count('1');
    const res = await formCreate(c, { first_name: '   ', last_name: ' ', notes: '\n  \n', contact_preference: '' });
    expectStatus(res, 422);
    eq(count('1'), before, 'number of contacts');
  });

  T('one field (an email) is enough to save a contact', async () => {
    const c = await A('sales');
    const email = `${mark()}@example.com`.toLowerCase();
    const id = await createContact(c, { email });
    eq(col(id, 'email'), email, 'stored email');
  });

  // ---------------------------------------------------------------- validation, one rule per test

  T('a birthday in the future is refused next to the field, input kept, nothing stored', async () => {
    const c = await A('sales');
    const m = mark();
    const res = await formCreate(c, { first_name: 'Keep', last_name: m, birthday: isoDay(2) });
    expectRefused(res, ['birthday']);
    eq(shownValue(res.text, 'birthday'), isoDay(2), 'birthday kept in the form', res);
    eq(shownValue(res.text, 'last_name'), m, 'last_name kept in the form', res);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('a birthday today is accepted', async () => {
    const c = await A('sales');
    // the server's today may be the client's yesterday around midnight UTC: take the database's date
    const today = sql('SELECT CURDATE()');
    const id = await createContact(c, { last_name: mark(), birthday: today });
    eq(col(id, 'birthday'), today, 'stored birthday');
  });

  for (const bad of ['2023-02-30', '31/12/1990', '1990-13-01', '1990-1-5']) {
    T(`a date that is not a real YYYY-MM-DD (${bad}) is refused next to the field`, async () => {
      const c = await A('sales');
      const m = mark();
      const res = await formCreate(c, { last_name: m, birthday: bad });
      expectRefused(res, ['birthday']);
      eq(shownValue(res.text, 'birthday'), bad, 'birthday kept in the form', res);
      eq(countByLast(m), 0, 'contacts stored');
    });
  }

  T('support dates must be real dates too', async () => {
    const c = await A('sales');
    const m = mark();
    expectRefused(await formCreate(c, { last_name: m, support_start_date: '2024-02-30', support_end_date: 'soon' }),
      ['support_start_date', 'support_end_date']);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('a leap day (2024-02-29) is a real date and is accepted', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), birthday: '2024-02-29' });
    eq(col(id, 'birthday'), '2024-02-29', 'stored birthday');
  });

  for (const bad of ['ann.example.com', 'ann@', '@example.com', 'ann@exa mple.com', 'ann@@example.com']) {
    T(`an invalid email (${bad}) is refused next to the field, input kept, nothing stored`, async () => {
      const c = await A('sales');
      const m = mark();
      const res = await formCreate(c, { first_name: 'Keep', last_name: m, email: bad });
      expectRefused(res, ['email']);
      eq(shownValue(res.text, 'email'), bad, 'email kept in the form', res);
      eq(countByLast(m), 0, 'contacts stored');
    });
  }

  T('email_2 is validated like email', async () => {
    const c = await A('sales');
    const m = mark();
    expectRefused(await formCreate(c, { last_name: m, email_2: 'second-at-example.com' }), ['email_2']);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('a phone with letters is refused on each phone field', async () => {
    const c = await A('sales');
    const m = mark();
    const res = await formCreate(c, { last_name: m, mobile_phone: '+39 333 CALL ME', mobile_phone_2: '0039-abc-12345', work_phone: '02 1234 x56' });
    expectRefused(res, ['mobile_phone', 'mobile_phone_2', 'work_phone']);
    eq(shownValue(res.text, 'mobile_phone'), '+39 333 CALL ME', 'mobile_phone kept in the form', res);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('a phone with fewer than 5 digits is refused', async () => {
    const c = await A('sales');
    const m = mark();
    expectRefused(await formCreate(c, { last_name: m, mobile_phone: '12-34' }), ['mobile_phone']);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('a phone with more than 17 digits is refused', async () => {
    const c = await A('sales');
    const m = mark();
    expectRefused(await formCreate(c, { last_name: m, work_phone: '+123 456 789 012 345 678' }), ['work_phone']);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('phones of 5 and 17 digits with + - ( ) / . and spaces are accepted, stored as typed and as digits', async () => {
    const c = await A('sales');
    const typed = { mobile_phone: '+39 (02) 1234-567/8.9', mobile_phone_2: '12345', work_phone: '+12 345 678 901 234 567' };
    const id = await createContact(c, { last_name: mark(), ...typed });
    const row = sql(`SELECT mobile_phone, mobile_phone_norm, mobile_phone_2, mobile_phone_2_norm, work_phone, work_phone_norm FROM contacts WHERE id = ${id}`).split('\t');
    eq(row[0], typed.mobile_phone, 'mobile_phone as typed');
    eq(row[1].replace(/^\+/, ''), '3902123456789', 'mobile_phone normalized (digits)');
    eq(row[2], typed.mobile_phone_2, 'mobile_phone_2 as typed');
    eq(row[3].replace(/^\+/, ''), '12345', 'mobile_phone_2 normalized');
    eq(row[4], typed.work_phone, 'work_phone as typed');
    eq(row[5].replace(/^\+/, ''), '12345678901234567', 'work_phone normalized');
  });

  for (const [field, bad] of [['contact_type', 'supplier'], ['contact_preference', 'fax'], ['source', 'rumour']]) {
    T(`${field}=${bad} (not one of the listed values) is refused next to the field`, async () => {
      const c = await A('sales');
      const m = mark();
      expectRefused(await formCreate(c, { last_name: m, [field]: bad }), [field]);
      eq(countByLast(m), 0, 'contacts stored');
    });
  }

  T('every listed contact_type, contact_preference and source value is accepted', async () => {
    const a = await api(staff, 'sales');
    const lists = {
      contact_type: ['customer_contact', 'partner_contact', 'vendor_contact', 'private_customer', 'other'],
      contact_preference: ['any', 'work_phone', 'mobile_phone', 'email'],
      source: ['email', 'business_card', 'database', 'internet', 'lead_conversion', 'import', 'portal', 'api', 'other'],
    };
    for (const [field, values] of Object.entries(lists)) {
      for (const v of values) {
        const res = await a.post('/api/v1/contacts', { json: { last_name: mark(), [field]: v } });
        const body = expectJson(res, 201);
        eq(body[field], v, `stored ${field}`, res);
      }
    }
  });

  T('timezone Mars/Olympus is refused, Europe/Rome is accepted', async () => {
    const c = await A('sales');
    const m = mark();
    const res = await formCreate(c, { last_name: m, timezone: 'Mars/Olympus' });
    expectRefused(res, ['timezone']);
    eq(shownValue(res.text, 'timezone'), 'Mars/Olympus', 'timezone kept in the form', res);
    eq(countByLast(m), 0, 'contacts stored');
    const id = await createContact(c, { last_name: mark(), timezone: 'Europe/Rome' });
    eq(col(id, 'timezone'), 'Europe/Rome', 'stored timezone');
  });

  T('language must be an ISO 639-1 code: xx, eng and e1 are refused, it is accepted', async () => {
    const c = await A('sales');
    for (const bad of ['xx', 'eng', 'e1']) {
      const m = mark();
      expectRefused(await formCreate(c, { last_name: m, language: bad }), ['language']);
      eq(countByLast(m), 0, `contacts stored with language ${bad}`);
    }
    const id = await createContact(c, { last_name: mark(), language: 'it' });
    eq(col(id, 'language'), 'it', 'stored language');
  });

  T('support_end_date before support_start_date is refused next to the end date; the same day is accepted', async () => {
    const c = await A('sales');
    const m = mark();
    const res = await formCreate(c, { last_name: m, support_start_date: '2025-06-10', support_end_date: '2025-06-09' });
    expectRefused(res, ['support_end_date']);
    eq(shownValue(res.text, 'support_start_date'), '2025-06-10', 'support_start_date kept', res);
    eq(countByLast(m), 0, 'contacts stored');
    const id = await createContact(c, { last_name: mark(), support_start_date: '2025-06-10', support_end_date: '2025-06-10' });
    eq(col(id, 'support_end_date'), '2025-06-10', 'stored support_end_date');
  });

  T('is_user without user_id is refused next to user_id', async () => {
    const c = await A('admin');
    const m = mark();
    expectRefused(await formCreate(c, { last_name: m, is_user: '1', user_id: '' }), ['user_id']);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('is_user with a user_id that is no staff user is refused next to user_id', async () => {
    const c = await A('admin');
    const m = mark();
    const res = await formCreate(c, { last_name: m, is_user: '1', user_id: '987654321' });
    expectRefused(res, ['user_id']);
    eq(shownValue(res.text, 'user_id'), '987654321', 'user_id kept in the form', res);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('is_user with an existing staff user links it and the page names the user', async () => {
    const c = await A('admin');
    const who = await roleUser('marketeer');
    const id = await createContact(c, { last_name: mark(), is_user: '1', user_id: userId(who) });
    eq(col(id, 'user_id'), String(userId(who)), 'stored user_id');
    const page = expectStatus(await c.get(`/contacts/${id}`), 200);
    ok(sectionText(page.text, 'user').includes(who), `section-user does not name ${who}`, page);
  });

  T('user_id is dropped when is_user is off', async () => {
    const c = await A('admin');
    const id = await createContact(c, { last_name: mark(), is_user: null, user_id: userId(await roleUser('sales')) });
    eq(col(id, 'user_id'), 'NULL', 'stored user_id');
    const a = await api(staff, 'admin');
    const body = await apiCreate(a, { last_name: mark(), is_user: false, user_id: userId(await roleUser('sales')) });
    eq(body.user_id, null, 'API user_id with is_user false');
  });

  T('unticking is_user on the edit form unlinks the staff user', async () => {
    const c = await A('admin');
    const id = await createContact(c, { last_name: mark(), is_user: '1', user_id: userId(await roleUser('manager')) });
    eq(col(id, 'user_id'), String(userId(await roleUser('manager'))), 'user_id after create');
    expectStatus(await formEdit(c, id, { is_user: null }), 303);
    eq(sql(`SELECT is_user, IFNULL(user_id, 'NULL') FROM contacts WHERE id = ${id}`), '0\tNULL', 'is_user and user_id after unticking');
  });

  T('reports_to_id of a contact that does not exist is refused next to the field', async () => {
    const c = await A('sales');
    const m = mark();
    const res = await formCreate(c, { last_name: m, reports_to_id: '987654321' });
    expectRefused(res, ['reports_to_id']);
    eq(shownValue(res.text, 'reports_to_id'), '987654321', 'reports_to_id kept', res);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('a contact cannot report to itself', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark() });
    expectRefused(await formEdit(c, id, { reports_to_id: id }), ['reports_to_id']);
    eq(col(id, 'reports_to_id'), 'NULL', 'stored reports_to_id');
  });

  T('A reports to B, then B reports to A is refused (cycle)', async () => {
    const c = await A('sales');
    const b = await createContact(c, { last_name: mark() });
    const a = await createContact(c, { last_name: mark(), reports_to_id: b });
    expectRefused(await formEdit(c, b, { reports_to_id: a }), ['reports_to_id']);
    eq(col(b, 'reports_to_id'), 'NULL', 'stored reports_to_id of B');
  });

  T('a longer cycle (A→B→C, then C reports to A) is refused', async () => {
    const c = await A('sales');
    const cc = await createContact(c, { last_name: mark() });
    const b = await createContact(c, { last_name: mark(), reports_to_id: cc });
    const a = await createContact(c, { last_name: mark(), reports_to_id: b });
    expectRefused(await formEdit(c, cc, { reports_to_id: a }), ['reports_to_id']);
    eq(col(cc, 'reports_to_id'), 'NULL', 'stored reports_to_id of C');
  });

  T('the manager\'s page lists direct reports and the report\'s page links to the manager', async () => {
    const c = await A('sales');
    const bossLast = mark();
    const boss = await createContact(c, { first_name: 'Big', last_name: bossLast });
    const r1 = await createContact(c, { first_name: 'Rep', last_name: mark(), reports_to_id: boss });
    const r2 = await createContact(c, { first_name: 'Rep', last_name: mark(), reports_to_id: boss });
    const other = await createContact(c, { first_name: 'Not', last_name: mark() });
    const page = expectStatus(await c.get(`/contacts/${boss}`), 200);
    const links = findTags(elementBy(page.text, 'class', 'related') || page.text, 'a').map((t) => t.attrs.href);
    ok(links.includes(`/contacts/${r1}`) && links.includes(`/contacts/${r2}`), 'direct reports not linked on the manager\'s page', page);
    ok(!links.includes(`/contacts/${other}`), 'a contact that does not report to the manager is listed', page);
    const rp = expectStatus(await c.get(`/contacts/${r1}`), 200);
    const master = elementBy(rp.text, 'class', 'section-master') || '';
    ok(findTags(master, 'a').some((t) => t.attrs.href === `/contacts/${boss}`), 'the report\'s page does not link to the manager', rp);
    ok(textOf(master).includes(bossLast), 'the report\'s page does not name the manager', rp);
  });

  T('several invalid fields: an error next to each, all input kept, nothing stored', async () => {
    const c = await A('sales');
    const m = mark();
    const typed = { first_name: 'Kept', last_name: m, job_title: 'Still here', email: 'nope', timezone: 'Nowhere/Land', mobile_phone: 'abc', birthday: '2999-01-01', notes: 'line one\nline two' };
    const res = await formCreate(c, typed);
    expectRefused(res, ['email', 'timezone', 'mobile_phone', 'birthday']);
    for (const [k, v] of Object.entries(typed)) eq(shownValue(res.text, k), v, `${k} kept in the form`, res);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('a refused edit keeps the input, shows the error and changes nothing', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), email: 'ok@example.com', job_title: 'Before' });
    const v0 = col(id, 'version');
    const res = await formEdit(c, id, { job_title: 'After', email: 'broken@' });
    expectRefused(res, ['email']);
    eq(shownValue(res.text, 'job_title'), 'After', 'job_title kept in the form', res);
    eq(shownValue(res.text, 'email'), 'broken@', 'email kept in the form', res);
    ok(findTag(res.text, 'input', { name: 'version' }), 'the refused edit form lost its version', res);
    eq(col(id, 'job_title'), 'Before', 'stored job_title');
    eq(col(id, 'version'), v0, 'stored version');
  });

  // ---------------------------------------------------------------- receives_newsletter, do_not_call

  T('receives_newsletter is set at creation for a valid email without do_not_email, even when unticked', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), email: `${mark()}@example.com`.toLowerCase(), receives_newsletter: null });
    eq(col(id, 'receives_newsletter'), '1', 'stored receives_newsletter');
    const body = await apiCreate(await api(staff, 'sales'), { last_name: mark(), email: `${mark()}@example.com`.toLowerCase(), receives_newsletter: false });
    eq(body.receives_newsletter, true, 'API receives_newsletter');
  });

  T('receives_newsletter is off at creation without an email, even when ticked', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), receives_newsletter: '1' });
    eq(col(id, 'receives_newsletter'), '0', 'stored receives_newsletter');
    const body = await apiCreate(await api(staff, 'sales'), { last_name: mark(), receives_newsletter: true });
    eq(body.receives_newsletter, false, 'API receives_newsletter');
  });

  T('receives_newsletter is off at creation with do_not_email, even when ticked', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), email: `${mark()}@example.com`.toLowerCase(), do_not_email: '1', receives_newsletter: '1' });
    eq(col(id, 'receives_newsletter'), '0', 'stored receives_newsletter');
  });

  T('after creation receives_newsletter is an ordinary editable flag', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), email: `${mark()}@example.com`.toLowerCase() });
    eq(col(id, 'receives_newsletter'), '1', 'at creation');
    expectStatus(await formEdit(c, id, { receives_newsletter: null }), 303);
    eq(col(id, 'receives_newsletter'), '0', 'after unticking it');
    const none = await createContact(c, { last_name: mark() });
    expectStatus(await formEdit(c, none, { receives_newsletter: '1' }), 303);
    eq(col(none, 'receives_newsletter'), '1', 'ticked on a contact without an email');
  });

  T('do_not_call shows a banner on the contact page and blocks nothing', async () => {
    const c = await A('sales');
    const phone = '+39 333 765 4321';
    const id = await createContact(c, { last_name: mark(), mobile_phone: phone, do_not_call: '1' });
    const page = expectStatus(await c.get(`/contacts/${id}`), 200);
    ok(withClasses(page.text, ['flag', 'dnc', 'banner']).length === 1, 'no (single) element with class="flag dnc banner"', page);
    ok(sectionText(page.text, 'channels').includes(phone), 'the phone number is hidden', page);
    expectStatus(await formEdit(c, id, { job_title: 'Still editable' }), 303);
    eq(col(id, 'job_title'), 'Still editable', 'stored job_title');
  });

  T('no do_not_call banner when the flag is off', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), mobile_phone: '+39 333 111 2222' });
    const page = expectStatus(await c.get(`/contacts/${id}`), 200);
    eq(withClasses(page.text, ['dnc']).length, 0, 'elements with class dnc on a contact without the flag', page);
  });

  // ---------------------------------------------------------------- status

  T('a complete contact without a connection is still a draft', async () => {
    const c = await A('sales');
    const id = await createContact(c, { first_name: 'Ada', last_name: mark(), email: `${mark()}@example.com`.toLowerCase() });
    eq(col(id, 'status'), 'draft', 'stored status');
    const page = expectStatus(await c.get(`/contacts/${id}`), 200);
    ok(findTag(page.text, 'span', { class: 'status-draft' }), 'no status-draft badge', page);
  });

  T('complete and connected to a customer: the next save makes it a contact (badge and API)', async () => {
    const c = await A('sales');
    const m = mark();
    const id = await createContact(c, { first_name: 'Ada', last_name: m, work_phone: '+39 02 5555 1234' });
    addCustomerConnection(id, `Cust ${m}`);
    expectStatus(await formEdit(c, id, { job_title: 'Buyer' }), 303);
    eq(col(id, 'status'), 'contact', 'stored status');
    const page = expectStatus(await c.get(`/contacts/${id}`), 200);
    ok(findTag(page.text, 'span', { class: 'status-contact' }), 'no status-contact badge', page);
    eq((await apiGet(await api(staff, 'sales'), id)).status, 'contact', 'API status');
  });

  T('connected but without email or phone stays a draft', async () => {
    const c = await A('sales');
    const m = mark();
    const id = await createContact(c, { first_name: 'Ada', last_name: m, email_2: `${m}@example.com`.toLowerCase(), mobile_phone_2: '+39 333 000 0000' });
    addCustomerConnection(id, `Cust ${m}`);
    expectStatus(await formEdit(c, id, { job_title: 'Buyer' }), 303);
    eq(col(id, 'status'), 'draft', 'stored status');
  });

  T('connected but without a first name stays a draft', async () => {
    const c = await A('sales');
    const m = mark();
    const id = await createContact(c, { last_name: m, email: `${m}@example.com`.toLowerCase() });
    addCustomerConnection(id, `Cust ${m}`);
    expectStatus(await formEdit(c, id, { job_title: 'Buyer' }), 303);
    eq(col(id, 'status'), 'draft', 'stored status');
  });

  T('status is recomputed on every save: removing the email of a contact makes it a draft again', async () => {
    const c = await A('sales');
    const m = mark();
    const id = await createContact(c, { first_name: 'Ada', last_name: m, email: `${m}@example.com`.toLowerCase() });
    addCustomerConnection(id, `Cust ${m}`);
    expectStatus(await formEdit(c, id, { job_title: 'Buyer' }), 303);
    eq(col(id, 'status'), 'contact', 'status when complete');
    expectStatus(await formEdit(c, id, { email: '' }), 303);
    eq(col(id, 'status'), 'draft', 'status after removing the email');
  });

  T('a client cannot set status (form or API)', async () => {
    const c = await A('sales');
    const m = mark();
    const res = await formCreate(c, { first_name: 'Ada', last_name: m, email: `${m}@example.com`.toLowerCase(), status: 'contact' });
    ok(res.status === 303 || res.status === 422, `POST /contacts with status=contact answered ${res.status}`, res);
    ok(count(`last_name = '${m}' AND status = 'contact'`) === 0, 'the form set status=contact');
    const a = await api(staff, 'sales');
    const r2 = await a.post('/api/v1/contacts', { json: { first_name: 'Ada', last_name: mark(), email: `${mark()}@example.com`.toLowerCase(), status: 'contact' } });
    if (r2.status === 201) eq(r2.json().status, 'draft', 'API status after POST with status contact', r2);
    else expectStatus(r2, 422);
    const body = await apiCreate(a, { first_name: 'Ada', last_name: mark(), email: `${mark()}@example.com`.toLowerCase() });
    const r3 = await patch(a, body.id, { version: body.version, status: 'contact' });
    ok(r3.status === 200 || r3.status === 422, `PATCH status answered ${r3.status}`, r3);
    eq(col(body.id, 'status'), 'draft', 'stored status after PATCH status=contact');
  });

  // ---------------------------------------------------------------- optimistic locking (HTML)

  T('each save raises the version in the edit form by one', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark() });
    const v1 = Number((await editForm(c, id)).form.fields.version);
    expectStatus(await formEdit(c, id, { job_title: 'One' }), 303);
    const v2 = Number((await editForm(c, id)).form.fields.version);
    eq(v2, v1 + 1, 'version after a save');
  });

  T('stale version gets the conflict view with both values', async () => {
    const mine = await A('sales');
    const theirs = await A('marketeer');
    const m = mark();
    const id = await createContact(mine, { last_name: m, job_title: 'Original' });
    const { form } = await editForm(mine, id);                 // I open the form …
    expectStatus(await formEdit(theirs, id, { job_title: `Theirs${m}` }), 303); // … someone else saves first
    const res = await mine.post(`/contacts/${id}`, { form: merged(form.fields, { job_title: `Mine${m}`, action: 'save' }) });
    expectStatus(res, 409);
    const table = elementInner(res.text, 'table', { class: 'conflict-table' });
    ok(table !== null, 'no <table class="conflict-table">', res);
    const rows = (table.match(/<tr\b[\s\S]*?(?=<tr\b|<\/tbody>|$)/gi) || [])
      .map((tr) => (tr.match(/<td\b[^>]*>[\s\S]*?<\/td>/gi) || []).map(textOf)).filter((cells) => cells.length >= 2);
    ok(rows.some((r) => r.includes(`Theirs${m}`) && r.includes(`Mine${m}`)), 'no row with the stored and my job title side by side', res);
    const same = rows.filter((r) => r[0] === r[1]);
    eq(same.length, 0, `rows whose stored and submitted values are equal (${same.map((r) => r[0]).join(', ')})`, res);
    eq(col(id, 'job_title'), `Theirs${m}`, 'stored job_title (nothing overwritten)');
  });

  T('the conflict view saves mine with the new version', async () => {
    const mine = await A('sales');
    const theirs = await A('marketeer');
    const m = mark();
    const id = await createContact(mine, { last_name: m, job_title: 'Original' });
    const { form } = await editForm(mine, id);
    expectStatus(await formEdit(theirs, id, { job_title: `Theirs${m}` }), 303);
    const conflict = await mine.post(`/contacts/${id}`, { form: merged(form.fields, { job_title: `Mine${m}`, action: 'save' }) });
    expectStatus(conflict, 409);
    const again = formValues(conflict.text, { action: `/contacts/${id}` });
    ok(again, `no <form action="/contacts/${id}"> on the conflict view`, conflict);
    eq(Number(again.fields.version), Number(col(id, 'version')), 'version in the conflict form', conflict);
    const save = findTags(again.inner, 'button').find((b) => b.attrs.name === 'action') || { attrs: {} };
    const res = await mine.post(`/contacts/${id}`, { form: merged(again.fields, save.attrs.name ? { [save.attrs.name]: save.attrs.value } : {}) });
    expectStatus(res, 303);
    eq(col(id, 'job_title'), `Mine${m}`, 'stored job_title after saving mine');
    eq(col(id, 'last_name'), m, 'stored last_name after saving mine');
  });

  T('the conflict view shows a submitted <script> escaped', async () => {
    const mine = await A('sales');
    const theirs = await A('marketeer');
    const id = await createContact(mine, { last_name: mark(), notes: 'old' });
    const { form } = await editForm(mine, id);
    expectStatus(await formEdit(theirs, id, { notes: 'theirs' }), 303);
    const res = await mine.post(`/contacts/${id}`, { form: merged(form.fields, { notes: XSS, action: 'save' }) });
    expectStatus(res, 409);
    ok(!res.text.includes('<script>alert(1)'), 'the conflict view contains the raw <script>', res);
    ok(XSS_ESCAPED.test(res.text), 'the conflict view does not show the escaped value', res);
  });

  T('an edit without version is refused and changes nothing', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), job_title: 'Before' });
    const { form } = await editForm(c, id);
    const fields = merged(form.fields, { job_title: 'After', action: 'save' });
    delete fields.version;
    const res = await c.post(`/contacts/${id}`, { form: fields });
    ok(res.status >= 400 && res.status < 500, `POST /contacts/${id} without version answered ${res.status}`, res);
    eq(col(id, 'job_title'), 'Before', 'stored job_title');
  });

  // ---------------------------------------------------------------- history

  T('create writes a history row per entered field, with the login as actor', async () => {
    const c = await A('sales');
    const who = await roleUser('sales');
    const m = mark();
    const id = await createContact(c, { first_name: 'Hist', last_name: m, job_title: 'Buyer' });
    const rows = historyRows(id);
    ok(rows.length > 0, 'no history rows after create');
    ok(rows.every((r) => r.actor === who), `actor is not ${who}: ${rows.map((r) => r.actor).join(',')}`);
    ok(rows.every((r) => r.action === 'create'), `actions: ${rows.map((r) => r.action).join(',')}`);
    for (const [f, v] of [['first_name', 'Hist'], ['last_name', m], ['job_title', 'Buyer']]) {
      ok(rows.some((r) => r.field === f && r.new === v), `no history row for ${f} = ${v}`);
    }
    ok(!rows.some((r) => r.field === 'middle_name' || r.field === 'email'), 'history rows for fields left empty');
  });

  T('an edit writes one history row per changed field with old and new value, none for the rest', async () => {
    const c = await A('sales');
    const who = await roleUser('sales');
    const id = await createContact(c, { first_name: 'Hist', last_name: mark(), job_title: 'Buyer', email: 'old@example.com' });
    const since = lastHistoryId();
    expectStatus(await formEdit(c, id, { job_title: 'Head buyer', email: 'new@example.com' }), 303);
    const rows = historyRows(id, since);
    eq(rows.map((r) => r.field).sort().join(','), 'email,job_title', 'fields in the new history rows');
    const jt = rows.find((r) => r.field === 'job_title');
    eq(`${jt.old} → ${jt.new}`, 'Buyer → Head buyer', 'job_title old → new');
    const em = rows.find((r) => r.field === 'email');
    eq(`${em.old} → ${em.new}`, 'old@example.com → new@example.com', 'email old → new');
    ok(rows.every((r) => r.actor === who && r.action === 'update'), `actor/action: ${rows.map((r) => `${r.actor}/${r.action}`).join(',')}`);
  });

  T('a refused or stale save writes no history', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), job_title: 'Buyer' });
    const { form } = await editForm(c, id);
    const since = lastHistoryId();
    expectStatus(await c.post(`/contacts/${id}`, { form: merged(form.fields, { job_title: 'X', email: 'bad@', action: 'save' }) }), 422);
    eq(historyRows(id, since).length, 0, 'history rows after a refused save');
    expectStatus(await formEdit(c, id, { job_title: 'Y' }), 303);
    const since2 = lastHistoryId();
    expectStatus(await c.post(`/contacts/${id}`, { form: merged(form.fields, { job_title: 'Z', action: 'save' }) }), 409);
    eq(historyRows(id, since2).length, 0, 'history rows after a stale save');
  });

  T('the activity list shows one entry per history row, newest first', async () => {
    const c = await A('sales');
    const id = await createContact(c, { first_name: 'Act', last_name: mark() });
    expectStatus(await formEdit(c, id, { job_title: 'First title' }), 303);
    expectStatus(await formEdit(c, id, { job_title: 'Second title' }), 303);
    const page = expectStatus(await c.get(`/contacts/${id}`), 200);
    const items = activityItems(page.text);
    ok(items !== null, 'no <ol class="history">', page);
    eq(items.length, historyRows(id).length, 'activity entries vs history rows', page);
    ok(items[0].text.includes('First title') && items[0].text.includes('Second title'), `newest entry is not the last change: ${items[0].text}`, page);
    const times = items.map((i) => i.time);
    ok(times.every((t) => t), 'an activity entry without a <time>', page);
    ok(times.every((t, i) => i === 0 || t <= times[i - 1]), `activity not newest first: ${times.join(' | ')}`, page);
  });

  T('delete and restore are written to the history and shown in the activity list', async () => {
    const c = await A('admin');
    const id = await createContact(c, { last_name: mark() });
    const since = lastHistoryId();
    expectRedirect(await c.post(`/contacts/${id}/delete`, { form: { csrf_token: await csrfOf(c) } }), '/contacts?deleted=1');
    expectStatus(await c.post(`/contacts/${id}/restore`, { form: { csrf_token: await csrfOf(c) } }), 303);
    const rows = historyRows(id, since);
    eq(rows.map((r) => r.action).join(','), 'delete,restore', 'history actions');
    const who = await roleUser('admin');
    ok(rows.every((r) => r.actor === who), `actors: ${rows.map((r) => r.actor).join(',')}`);
    const items = activityItems(expectStatus(await c.get(`/contacts/${id}`), 200).text);
    eq(items.length, historyRows(id).length, 'activity entries vs history rows');
  });

  // ---------------------------------------------------------------- delete, recycle bin, restore (HTML)

  T('delete asks for confirmation naming the contact', async () => {
    const c = await A('manager');
    const m = mark();
    const id = await createContact(c, { first_name: 'Doomed', last_name: m });
    const page = expectStatus(await c.get(`/contacts/${id}/delete`), 200);
    const main = textOf(elementInner(page.text, 'main') || page.text);
    ok(main.includes('Doomed') && main.includes(m), 'the confirmation does not name the contact', page);
    const f = parseForm(page.text, { action: `/contacts/${id}/delete` });
    ok(f && f.method === 'post', `no POST form to /contacts/${id}/delete`, page);
    eq(countByLast(m), 1, 'the GET alone deleted nothing');
    eq(col(id, 'deleted_at'), 'NULL', 'deleted_at after the confirmation page');
  });

  T('delete moves the contact to the recycle bin: 404 page, gone from the list and the API', async () => {
    const c = await A('manager');
    const m = mark();
    const id = await createContact(c, { first_name: 'Gone', last_name: m });
    const page = expectStatus(await c.get(`/contacts/${id}/delete`), 200);
    const f = parseForm(page.text, { action: `/contacts/${id}/delete` });
    expectRedirect(await c.post(`/contacts/${id}/delete`, { form: f.fields }), '/contacts?deleted=1');
    expectStatus(await c.get(`/contacts/${id}`), 404);
    const { rows, res } = await search(c, m);
    ok(!rows.some((r) => r.text.includes(m)), 'the deleted contact is still in the list', res);
    const all = await search(c, m, '&active=all');
    ok(!all.rows.some((r) => r.text.includes(m)), 'the deleted contact is in the list with active=all', all.res);
    expectJsonError(await (await api(staff, 'manager')).get(`/api/v1/contacts/${id}`), 404, 'not_found');
    ok(col(id, 'deleted_at') !== 'NULL', 'deleted_at not set (the row must stay for the bin)');
  });

  T('the recycle bin lists the deleted contact and counts it', async () => {
    const c = await A('admin');
    const m = mark();
    const before = binCount(expectStatus(await c.get('/contacts/bin'), 200));
    const id = await createContact(c, { first_name: 'Binned', last_name: m });
    expectStatus(await c.post(`/contacts/${id}/delete`, { form: { csrf_token: await csrfOf(c) } }), 303);
    const bin = expectStatus(await c.get('/contacts/bin'), 200);
    eq(binCount(bin), before + 1, 'bin-count after a delete', bin);
    ok(textOf(bin.text).includes(m), 'the bin does not show the deleted contact', bin);
    ok(findTag(bin.text, 'form', { action: `/contacts/${id}/restore` }), 'no restore form for the deleted contact', bin);
  });

  T('restore brings the contact back from the bin', async () => {
    const c = await A('admin');
    const m = mark();
    const id = await createContact(c, { first_name: 'Back', last_name: m });
    expectStatus(await c.post(`/contacts/${id}/delete`, { form: { csrf_token: await csrfOf(c) } }), 303);
    const bin = expectStatus(await c.get('/contacts/bin'), 200);
    const n = binCount(bin);
    const f = parseForm(bin.text, { action: `/contacts/${id}/restore` });
    ok(f, 'no restore form in the bin', bin);
    expectStatus(await c.post(`/contacts/${id}/restore`, { form: f.fields }), 303);
    expectStatus(await c.get(`/contacts/${id}`), 200);
    const { rows, res } = await search(c, m);
    ok(rows.some((r) => r.text.includes(m)), 'the restored contact is not in the list', res);
    const after = expectStatus(await c.get('/contacts/bin'), 200);
    eq(binCount(after), n - 1, 'bin-count after restore', after);
    eq(col(id, 'deleted_at'), 'NULL', 'deleted_at after restore');
  });

  // ---------------------------------------------------------------- permissions (SPEC §2), row by row

  for (const role of ['admin', 'manager', 'sales', 'marketeer']) {
    T(`permissions: ${ROLE_NAME[role]} may view, create and edit contacts (form and API)`, async () => {
      const c = await A(role);
      const m = mark();
      const id = await createContact(c, { first_name: 'Perm', last_name: m });
      expectStatus(await c.get(`/contacts/${id}`), 200);
      expectStatus(await formEdit(c, id, { job_title: `By ${role}` }), 303);
      eq(col(id, 'job_title'), `By ${role}`, 'stored job_title');
      const { rows, res } = await search(c, m);
      ok(rows.some((r) => r.text.includes(m)), 'search does not find the contact', res);
      const a = await api(staff, role);
      const body = await apiCreate(a, { last_name: mark() });
      expectJson(await patch(a, body.id, { version: body.version, job_title: 'Via API' }), 200);
      eq((await apiGet(a, body.id)).job_title, 'Via API', 'API job_title');
    });
  }

  for (const role of ['admin', 'manager']) {
    T(`permissions: ${ROLE_NAME[role]} may delete (form and API)`, async () => {
      const c = await A(role);
      const id = await createContact(c, { last_name: mark() });
      expectStatus(await c.get(`/contacts/${id}/delete`), 200);
      expectRedirect(await c.post(`/contacts/${id}/delete`, { form: { csrf_token: await csrfOf(c) } }), '/contacts?deleted=1');
      ok(col(id, 'deleted_at') !== 'NULL', 'not in the bin after the HTML delete');
      const a = await api(staff, role);
      const body = await apiCreate(a, { last_name: mark() });
      const res = await a.request('DELETE', `/api/v1/contacts/${body.id}`);
      expectStatus(res, 204);
      expectJsonError(await a.get(`/api/v1/contacts/${body.id}`), 404, 'not_found');
    });
  }

  for (const role of ['sales', 'marketeer']) {
    T(`permissions: ${ROLE_NAME[role]} may not delete (403 on the confirmation, the POST and the API; the contact stays)`, async () => {
      const c = await A(role);
      const id = await createContact(c, { last_name: mark() });
      expectStatus(await c.get(`/contacts/${id}/delete`), 403);
      expectStatus(await c.post(`/contacts/${id}/delete`, { form: { csrf_token: await csrfOf(c) } }), 403);
      const a = await api(staff, role);
      expectJsonError(await a.request('DELETE', `/api/v1/contacts/${id}`), 403, 'forbidden');
      eq(col(id, 'deleted_at'), 'NULL', 'deleted_at');
      expectStatus(await c.get(`/contacts/${id}`), 200);
    });
  }

  T('permissions: the contact page offers Delete only to crm_admin and crm_manager', async () => {
    const id = await createContact(await A('sales'), { last_name: mark() });
    for (const role of ['admin', 'manager', 'sales', 'marketeer']) {
      const page = expectStatus(await (await A(role)).get(`/contacts/${id}`), 200);
      const has = findTags(page.text, 'a').some((t) => t.attrs.href === `/contacts/${id}/delete`);
      eq(has, role === 'admin' || role === 'manager', `Delete link for ${ROLE_NAME[role]}`, page);
    }
  });

  T('permissions: only crm_admin sees the recycle bin', async () => {
    expectStatus(await (await A('admin')).get('/contacts/bin'), 200);
    for (const role of ['manager', 'sales', 'marketeer']) {
      const res = await (await A(role)).get('/contacts/bin');
      eq(res.status, 403, `GET /contacts/bin as ${ROLE_NAME[role]}`, res);
    }
  });

  T('permissions: only crm_admin restores (form and API); others get 403 and it stays in the bin', async () => {
    const admin = await A('admin');
    const id = await createContact(admin, { last_name: mark() });
    expectStatus(await admin.post(`/contacts/${id}/delete`, { form: { csrf_token: await csrfOf(admin) } }), 303);
    for (const role of ['manager', 'sales', 'marketeer']) {
      const c = await A(role);
      const res = await c.post(`/contacts/${id}/restore`, { form: { csrf_token: await csrfOf(c) } });
      eq(res.status, 403, `POST /contacts/${id}/restore as ${ROLE_NAME[role]}`, res);
      expectJsonError(await (await api(staff, role)).post(`/api/v1/contacts/${id}/restore`, { json: {} }), 403, 'forbidden');
      ok(col(id, 'deleted_at') !== 'NULL', `restored by ${ROLE_NAME[role]}`);
    }
    const body = expectJson(await (await api(staff, 'admin')).post(`/api/v1/contacts/${id}/restore`, { json: {} }), 200);
    eq(body.id, id, 'id of the restored contact');
    eq(col(id, 'deleted_at'), 'NULL', 'deleted_at after the admin restore');
  });

  T('permissions: a user with no role gets 403 on every contact page and action', async () => {
    const admin = await A('admin');
    const id = await createContact(admin, { first_name: 'Secret', last_name: mark() });
    const binned = await createContact(admin, { last_name: mark() });
    expectStatus(await admin.post(`/contacts/${binned}/delete`, { form: { csrf_token: await csrfOf(admin) } }), 303);
    const c = await A('norole');
    const csrf = await csrfOf(c);
    const before = count('1');
    const checks = [
      ['GET', '/contacts/new'], ['GET', `/contacts/${id}`], ['GET', `/contacts/${id}/edit`], ['GET', `/contacts/${id}/delete`],
      ['GET', '/contacts/bin'],
      ['POST', '/contacts', { csrf_token: csrf, last_name: mark(), action: 'save' }],
      ['POST', `/contacts/${id}`, { csrf_token: csrf, version: col(id, 'version'), last_name: 'Changed', action: 'save' }],
      ['POST', `/contacts/${id}/delete`, { csrf_token: csrf }],
      ['POST', `/contacts/${binned}/restore`, { csrf_token: csrf }],
    ];
    for (const [method, path, form] of checks) {
      const res = await c.request(method, path, form ? { form } : {});
      eq(res.status, 403, `${method} ${path}`, res);
      ok(!res.text.includes('Secret'), `${method} ${path} shows the contact`, res);
    }
    eq(count('1'), before, 'contacts after the no-role POSTs');
    eq(col(id, 'deleted_at'), 'NULL', 'deleted by a user without roles');
    ok(col(binned, 'deleted_at') !== 'NULL', 'restored by a user without roles');
    ok(col(id, 'last_name') !== 'Changed', 'edited by a user without roles');
  });

  T('permissions: a user with no role gets 403 forbidden from every contact API call', async () => {
    const admin = await api(staff, 'admin');
    const body = await apiCreate(admin, { first_name: 'Secret', last_name: mark() });
    const a = await api(staff, 'norole');
    const calls = [
      ['GET', `/api/v1/contacts/${body.id}`],
      ['POST', '/api/v1/contacts', { last_name: mark() }],
      ['PATCH', `/api/v1/contacts/${body.id}`, { version: body.version, last_name: 'Changed' }],
      ['DELETE', `/api/v1/contacts/${body.id}`],
      ['POST', `/api/v1/contacts/${body.id}/restore`, {}],
    ];
    for (const [method, path, json] of calls) {
      const res = await a.request(method, path, json ? { json } : {});
      expectJsonError(res, 403, 'forbidden');
      ok(!res.text.includes('Secret'), `${method} ${path} shows the contact`, res);
    }
    const now = await apiGet(admin, body.id);
    eq(now.last_name, body.last_name, 'last_name after the no-role PATCH');
    eq(now.version, body.version, 'version after the no-role calls');
  });

  // ---------------------------------------------------------------- CSRF

  T('POST /contacts without or with a wrong csrf_token is refused (403); nothing stored', async () => {
    const c = await A('sales');
    const page = expectStatus(await c.get('/contacts/new'), 200);
    const f = formValues(page.text, { action: '/contacts' });
    const m = mark();
    const none = merged(f.fields, { last_name: m, action: 'save' });
    delete none.csrf_token;
    expectStatus(await c.post('/contacts', { form: none }), 403);
    expectStatus(await c.post('/contacts', { form: { ...none, csrf_token: 'f'.repeat(64) } }), 403);
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('POST /contacts/ID (edit) without csrf_token is refused (403); nothing changed', async () => {
    const c = await A('sales');
    const id = await createContact(c, { last_name: mark(), job_title: 'Before' });
    const { form } = await editForm(c, id);
    const fields = merged(form.fields, { job_title: 'After', action: 'save' });
    delete fields.csrf_token;
    expectStatus(await c.post(`/contacts/${id}`, { form: fields }), 403);
    eq(col(id, 'job_title'), 'Before', 'stored job_title');
  });

  T('POST /contacts/ID/delete without csrf_token is refused (403); the contact stays', async () => {
    const c = await A('admin');
    const id = await createContact(c, { last_name: mark() });
    expectStatus(await c.post(`/contacts/${id}/delete`, { form: {} }), 403);
    eq(col(id, 'deleted_at'), 'NULL', 'deleted_at');
  });

  T('API PATCH with a session cookie and no X-CSRF-Token is refused with 403 csrf; with the header it works', async () => {
    const c = await fresh(staff, 'sales');
    const id = await createContact(c, { last_name: mark(), job_title: 'Before' });
    const version = Number(col(id, 'version'));
    expectJsonError(await patch(c, id, { version, job_title: 'Forged' }), 403, 'csrf');
    expectJsonError(await patch(c, id, { version, job_title: 'Forged' }, { 'x-csrf-token': 'e'.repeat(64) }), 403, 'csrf');
    eq(col(id, 'job_title'), 'Before', 'stored job_title after the forged PATCHes');
    const ok200 = await patch(c, id, { version, job_title: 'Mine' }, { 'x-csrf-token': await csrfOf(c) });
    eq(expectJson(ok200, 200).job_title, 'Mine', 'job_title with a valid X-CSRF-Token', ok200);
  });

  T('API DELETE with a session cookie and no X-CSRF-Token is refused with 403 csrf', async () => {
    const c = await fresh(staff, 'admin');
    const id = await createContact(c, { last_name: mark() });
    expectJsonError(await c.request('DELETE', `/api/v1/contacts/${id}`), 403, 'csrf');
    eq(col(id, 'deleted_at'), 'NULL', 'deleted_at');
  });

  // ---------------------------------------------------------------- escaping

  async function xssContact() {
    return once('contacts-xss:' + staff, async () => {
      const c = await A('sales');
      const m = mark();
      const id = await createContact(c, { first_name: XSS, last_name: m, notes: `Note ${XSS}`, job_title: XSS });
      return { id, m };
    });
  }

  T('a <script> in first_name is shown escaped on the list', async () => {
    const { m } = await xssContact();
    const { res, rows } = await search(await A('sales'), m);
    ok(rows.length > 0, 'the list does not show the contact', res);
    ok(!res.text.includes('<script>alert(1)'), 'the list contains the raw <script>', res);
    ok(XSS_ESCAPED.test(res.text), 'the list does not show the escaped first name', res);
  });

  T('a <script> in first_name and notes is shown escaped on the contact page', async () => {
    const { id } = await xssContact();
    const res = expectStatus(await (await A('sales')).get(`/contacts/${id}`), 200);
    ok(!res.text.includes('<script>alert(1)'), 'the page contains the raw <script>', res);
    ok(XSS_ESCAPED.test(elementBy(res.text, 'class', 'section-master') || ''), 'first name not shown escaped in section-master', res);
    ok(XSS_ESCAPED.test(elementBy(res.text, 'class', 'section-other') || ''), 'notes not shown escaped in section-other', res);
  });

  T('a <script> in first_name and notes is shown escaped in the edit form and round-trips unchanged', async () => {
    const { id } = await xssContact();
    const c = await A('sales');
    const { page } = await editForm(c, id);
    ok(!page.text.includes('<script>alert(1)'), 'the edit form contains the raw <script>', page);
    eq(shownValue(page.text, 'first_name'), XSS, 'first_name in the form', page);
    eq(shownValue(page.text, 'notes'), `Note ${XSS}`, 'notes in the form', page);
    expectStatus(await formEdit(c, id, {}), 303);
    eq(col(id, 'first_name'), XSS, 'stored first_name after saving the form unchanged');
  });

  // ---------------------------------------------------------------- JSON API

  T('API create answers 201 with the stored contact and a Location that serves it', async () => {
    const a = await api(staff, 'sales');
    const m = mark();
    const res = await a.post('/api/v1/contacts', { json: { first_name: 'Api', last_name: m, job_title: 'Buyer' } });
    const body = expectJson(res, 201);
    ok(Number.isInteger(body.id) && body.id > 0, `id is ${JSON.stringify(body.id)}`, res);
    eq(body.last_name, m, 'last_name in the answer', res);
    eq(body.version, 1, 'version of a new contact', res);
    const loc = res.headers.get('location');
    ok(loc, 'no Location header', res);
    eq(new URL(loc, res.url).pathname, `/api/v1/contacts/${body.id}`, 'Location', res);
    const got = expectJson(await a.get(new URL(loc, res.url).toString()), 200);
    eq(JSON.stringify(got), JSON.stringify(body), 'GET Location vs the 201 body');
    eq(countByLast(m), 1, 'contacts stored');
  });

  T('API create sets source "api" when not given and keeps a given source', async () => {
    const a = await api(staff, 'sales');
    eq((await apiCreate(a, { last_name: mark() })).source, 'api', 'source when not given');
    eq((await apiCreate(a, { last_name: mark(), source: 'business_card' })).source, 'business_card', 'given source');
  });

  T('API create {} answers 422 invalid with error.fields; nothing stored', async () => {
    const a = await api(staff, 'sales');
    const before = count('1');
    const body = expectJsonError(await a.post('/api/v1/contacts', { json: {} }), 422, 'invalid');
    ok(body.error.fields && Object.keys(body.error.fields).length > 0, 'no error.fields');
    eq(count('1'), before, 'number of contacts');
  });

  T('API create with invalid fields answers 422 with a message for each; nothing stored', async () => {
    const a = await api(staff, 'sales');
    const m = mark();
    const bad = { email: 'nope', birthday: '2023-02-30', timezone: 'Mars/Olympus', language: 'xx', mobile_phone: '1234', contact_type: 'boss', support_start_date: '2025-02-02', support_end_date: '2025-02-01' };
    const body = expectJsonError(await a.post('/api/v1/contacts', { json: { last_name: m, ...bad } }), 422, 'invalid');
    const fields = body.error.fields || {};
    const missing = Object.keys(bad).filter((k) => k !== 'support_start_date' && !(typeof fields[k] === 'string' && fields[k]));
    eq(missing.join(','), '', 'fields without an error message');
    ok(!('last_name' in fields), 'a valid field is reported as invalid');
    eq(countByLast(m), 0, 'contacts stored');
  });

  T('API GET gives flags as booleans, ids as integers, empty values as null, custom values null and consents false', async () => {
    const a = await api(staff, 'sales');
    const boss = await apiCreate(a, { last_name: mark() });
    const created = await apiCreate(a, { first_name: 'Types', last_name: mark(), reports_to_id: boss.id, do_not_call: true });
    const c = await apiGet(a, created.id);
    const notBool = FLAGS.filter((f) => typeof c[f] !== 'boolean');
    eq(notBool.join(','), '', 'flags that are not JSON booleans');
    eq(c.do_not_call, true, 'do_not_call');
    eq(c.portal_user, false, 'portal_user');
    ok(Number.isInteger(c.id) && Number.isInteger(c.version) && c.reports_to_id === boss.id, `id ${c.id}, version ${c.version}, reports_to_id ${JSON.stringify(c.reports_to_id)}`);
    for (const f of ['middle_name', 'birthday', 'email', 'mobile_phone', 'timezone', 'notes', 'user_id', 'support_end_date']) {
      eq(c[f], null, `empty ${f}`);
    }
    // every active additional field is a key (null: no value; a checkbox false) and every active consent (false: not granted)
    ok(c.custom && typeof c.custom === 'object' && !Array.isArray(c.custom), `custom is not an object: ${JSON.stringify(c.custom)}`);
    eq(Object.entries(c.custom).filter(([, v]) => v !== null && v !== false).map(([k]) => k).join(','), '', 'custom keys with a value');
    ok(c.consents && typeof c.consents === 'object' && !Array.isArray(c.consents), `consents is not an object: ${JSON.stringify(c.consents)}`);
    eq(Object.entries(c.consents).filter(([, v]) => v !== false).map(([k]) => k).join(','), '', 'consents not false');
    eq(c.status, 'draft', 'status');
  });

  T('API GET, PATCH and DELETE of an unknown id answer 404 not_found', async () => {
    const a = await api(staff, 'admin');
    expectJsonError(await a.get('/api/v1/contacts/987654321'), 404, 'not_found');
    expectJsonError(await patch(a, 987654321, { version: 1, job_title: 'x' }), 404, 'not_found');
    expectJsonError(await a.request('DELETE', '/api/v1/contacts/987654321'), 404, 'not_found');
  });

  T('a contact in the recycle bin cannot be edited (edit page and POST 404, API PATCH 404)', async () => {
    const c = await A('admin');
    const id = await createContact(c, { last_name: mark(), job_title: 'Binned' });
    const { form } = await editForm(c, id);
    const version = Number(col(id, 'version'));
    expectStatus(await c.post(`/contacts/${id}/delete`, { form: { csrf_token: await csrfOf(c) } }), 303);
    expectStatus(await c.get(`/contacts/${id}/edit`), 404);
    expectStatus(await c.post(`/contacts/${id}`, { form: merged(form.fields, { job_title: 'Edited in the bin', action: 'save' }) }), 404);
    expectJsonError(await patch(await api(staff, 'admin'), id, { version, job_title: 'Edited in the bin' }), 404, 'not_found');
    eq(col(id, 'job_title'), 'Binned', 'stored job_title');
  });

  T('API PATCH changes only the keys present and raises the version', async () => {
    const a = await api(staff, 'sales');
    const m = mark();
    const c = await apiCreate(a, { first_name: 'Keep', last_name: m, job_title: 'Buyer', email: 'keep@example.com', do_not_call: true });
    const res = await patch(a, c.id, { version: c.version, job_title: 'Head buyer' });
    const body = expectJson(res, 200);
    eq(body.job_title, 'Head buyer', 'patched job_title', res);
    eq(body.version, c.version + 1, 'version after PATCH', res);
    for (const k of ['first_name', 'last_name', 'email', 'do_not_call', 'receives_newsletter', 'source']) {
      eq(JSON.stringify(body[k]), JSON.stringify(c[k]), `${k} after a PATCH without it`, res);
    }
  });

  T('API PATCH with null clears the field', async () => {
    const a = await api(staff, 'sales');
    const c = await apiCreate(a, { last_name: mark(), job_title: 'Buyer' });
    const body = expectJson(await patch(a, c.id, { version: c.version, job_title: null }), 200);
    eq(body.job_title, null, 'job_title after PATCH null');
    eq(col(c.id, 'job_title'), 'NULL', 'stored job_title');
  });

  T('API PATCH with a stale version answers 409 conflict and changes nothing', async () => {
    const a = await api(staff, 'sales');
    const c = await apiCreate(a, { last_name: mark(), job_title: 'Original' });
    expectJson(await patch(a, c.id, { version: c.version, job_title: 'First' }), 200);
    expectJsonError(await patch(a, c.id, { version: c.version, job_title: 'Second' }), 409, 'conflict');
    const now = await apiGet(a, c.id);
    eq(now.job_title, 'First', 'job_title after the stale PATCH');
    eq(now.version, c.version + 1, 'version after the stale PATCH');
  });

  T('API PATCH without version answers 422 with error.fields.version and changes nothing', async () => {
    const a = await api(staff, 'sales');
    const c = await apiCreate(a, { last_name: mark(), job_title: 'Original' });
    const body = expectJsonError(await patch(a, c.id, { job_title: 'Changed' }), 422, 'invalid');
    ok(body.error.fields && typeof body.error.fields.version === 'string' && body.error.fields.version, 'no error.fields.version');
    eq(col(c.id, 'job_title'), 'Original', 'stored job_title');
  });

  T('API PATCH with an invalid value answers 422 with the field and changes nothing', async () => {
    const a = await api(staff, 'sales');
    const c = await apiCreate(a, { last_name: mark(), email: 'fine@example.com', job_title: 'Original' });
    const body = expectJsonError(await patch(a, c.id, { version: c.version, job_title: 'Changed', email: 'broken@' }), 422, 'invalid');
    ok(body.error.fields && body.error.fields.email, 'no error.fields.email');
    const now = await apiGet(a, c.id);
    eq(now.job_title, 'Original', 'job_title after the refused PATCH');
    eq(now.email, 'fine@example.com', 'email after the refused PATCH');
    eq(now.version, c.version, 'version after the refused PATCH');
  });

  T('API PATCH is validated like the form: a cycle in reports_to_id is refused', async () => {
    const a = await api(staff, 'sales');
    const b = await apiCreate(a, { last_name: mark() });
    const x = await apiCreate(a, { last_name: mark(), reports_to_id: b.id });
    const body = expectJsonError(await patch(a, b.id, { version: b.version, reports_to_id: x.id }), 422, 'invalid');
    ok(body.error.fields && body.error.fields.reports_to_id, 'no error.fields.reports_to_id');
    eq((await apiGet(a, b.id)).reports_to_id, null, 'reports_to_id of B');
  });

  T('API PATCH writes history rows for the changed fields only', async () => {
    const a = await api(staff, 'sales');
    const c = await apiCreate(a, { last_name: mark(), job_title: 'Buyer', certificate: 'PMP' });
    const since = lastHistoryId();
    expectJson(await patch(a, c.id, { version: c.version, job_title: 'Head buyer', certificate: 'PMP' }), 200);
    const rows = historyRows(c.id, since);
    eq(rows.map((r) => `${r.action}:${r.field}:${r.old}→${r.new}`).join(' | '), 'update:job_title:Buyer→Head buyer', 'history rows');
    eq(rows[0].actor, await roleUser('sales'), 'actor');
  });

  T('API DELETE answers 204 and the contact is in the bin; POST restore answers 200 with the contact', async () => {
    const a = await api(staff, 'admin');
    const c = await apiCreate(a, { last_name: mark() });
    const del = await a.request('DELETE', `/api/v1/contacts/${c.id}`);
    expectStatus(del, 204);
    eq(del.text, '', '204 body', del);
    expectJsonError(await a.get(`/api/v1/contacts/${c.id}`), 404, 'not_found');
    const res = await a.post(`/api/v1/contacts/${c.id}/restore`, { json: {} });
    const body = expectJson(res, 200);
    eq(body.id, c.id, 'restored id', res);
    eq(body.last_name, c.last_name, 'restored last_name', res);
    expectJson(await a.get(`/api/v1/contacts/${c.id}`), 200);
    const rows = historyRows(c.id).map((r) => r.action).filter((x) => x === 'delete' || x === 'restore');
    eq(rows.join(','), 'delete,restore', 'history actions');
  });

  T('API DELETE by crm_sales and crm_marketeer answers 403 forbidden', async () => {
    const admin = await api(staff, 'admin');
    const c = await apiCreate(admin, { last_name: mark() });
    for (const role of ['sales', 'marketeer']) {
      expectJsonError(await (await api(staff, role)).request('DELETE', `/api/v1/contacts/${c.id}`), 403, 'forbidden');
    }
    expectJson(await admin.get(`/api/v1/contacts/${c.id}`), 200);
  });
}
