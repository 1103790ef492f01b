// Contact actions (issue 3, SPEC §1 Anonymize, §2 Actions and Permissions, §7): anonymize, generate login, comments
// and the activity feed, marketing lists, bulk deactivate and the reporting chain, through nginx as a user or an
// attacker sees them; stored values checked in MariaDB with sql().
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  test, ok, eq, expectStatus, expectRedirect, expectJson, expectJsonError,
  Client, login, createToken, getCsrf, parseForm, findTags, findTag, elementInner, textOf, env,
} from '../lib/harness.mjs';
import { once, dedicatedUser, PASSWORD, RUN } from './fixtures.mjs';
import { elementBy, listRows } from './pages.mjs';
import { sql } from './mail.mjs';
import { historyRows } from './contacts.mjs';

// ------------------------------------------------------------------ users, clients, tokens

const ROLES = { admin: ['crm_admin'], manager: ['crm_manager'], sales: ['crm_sales'], marketeer: ['crm_marketeer'], norole: [] };
const ROLE_NAME = { admin: 'crm_admin', manager: 'crm_manager', sales: 'crm_sales', marketeer: 'crm_marketeer', norole: 'no role' };
const MATRIX = ['admin', 'manager', 'sales', 'marketeer'];

/** Login name of this run's contact-actions user holding `role` (created on first use). */
function roleUser(role) { return dedicatedUser('x' + role, ROLES[role]); }

/** A logged-in staff client of `role` on `base` (shared by the tests). */
function as(base, role) {
  return once(`actions-client:${base}:${role}`, async () => login(base, await roleUser(role), PASSWORD));
}

/** An API client of `role` with a Bearer token. */
async function api(base, role) {
  const token = await once(`actions-token:${role}`, async () => createToken(await roleUser(role)));
  const c = new Client(base);
  c.headers.authorization = 'Bearer ' + token;
  return c;
}

/** The csrf token of a logged-in client: from a page it can see (any status), else the session row. */
async function csrfOf(c) {
  const res = await c.get('/contacts');
  const t = getCsrf(res.text);
  if (t) return t;
  const row = sql(`SELECT csrf FROM sessions WHERE id_hash = '${sha256(c.jar.get('crm_session') || '')}'`);
  ok(row, 'no csrf token on /contacts and no session row for the client');
  return row;
}

function sha256(s) { return createHash('sha256').update(s).digest('hex'); }

// ------------------------------------------------------------------ names, stored rows

let seq = 0;
/** A token unique to this run and call (letters and digits; never a prefix of another token). */
function mark() { seq += 1; return `Ax${RUN}q${seq}z`; }

/** n random digits (the first not 0). */
function digits(n) { let s = String(randomInt(1, 10)); while (s.length < n) s += String(randomInt(0, 10)); return s; }

const q = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

function col(id, column) { return sql(`SELECT ${column} FROM contacts WHERE id = ${Number(id)}`); }
function num(query) { return Number(sql(query)); }

/** History rows of a contact: [{id, action, field, old, new, actor}] in insertion order. */
function lastHistoryId() { return num('SELECT IFNULL(MAX(id), 0) FROM history'); }

/** A query too long for a command-line argument, sent to mariadb on stdin. */
function sqlStdin(query) {
  return execFileSync('mariadb', ['--no-defaults', '-S', env('CRM_DB_SOCKET'), '-uroot', 'crm', '-N', '-B'],
    { input: query, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
}

// ------------------------------------------------------------------ HTML helpers

/** Ids of the field errors on a page (`<span class="field-error" id="err-FIELD">`). */
function fieldErrors(html) {
  const out = [];
  for (const t of findTags(html, 'span')) {
    if (!(t.attrs.class || '').split(/\s+/).includes('field-error')) continue;
    const m = /^err-(.+)$/.exec(t.attrs.id || '');
    if (m && textOf(elementInner(html.slice(t.index), 'span'))) out.push(m[1]);
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
  ok(controls.some((t) => t.attrs.name === field), `the page has no control named ${field}`, res);
  const before = controls.filter((t) => t.index < err.index);
  ok(before.length && before[before.length - 1].attrs.name === field,
    `the error of ${field} follows the control of ${before.length ? before[before.length - 1].attrs.name : 'nothing'}, not ${field}`, res);
}

/** A refused HTML form: 422, the error next to `field` and on no other field. */
function expectRefused(res, field) {
  expectStatus(res, 422);
  expectErrorNextTo(res, field);
  eq(fieldErrors(res.text).sort().join(','), field, 'fields marked as wrong', res);
}

/** Inner HTML of every `<li>` of the element `<tag class=cls>` (null if there is no such element). */
function listItems(html, tag, cls) {
  const inner = elementInner(html, tag, { class: cls });
  if (inner === null) return null;
  return findTags(inner, 'li').map((t) => ({ attrs: t.attrs, inner: elementInner(inner.slice(t.index), 'li') ?? '' }));
}

/** Text of the activity entries that are comments (`ol.history > li.comment`). */
function commentItems(html) {
  return (listItems(html, 'ol', 'history') || [])
    .filter((li) => (li.attrs.class || '').split(/\s+/).includes('comment'))
    .map((li) => ({ html: li.inner, text: textOf(li.inner) }));
}

/** Start tags (any element) whose class holds every one of `classes`. */
function withClasses(html, classes) {
  return findTags(html, '[a-zA-Z][a-zA-Z0-9]*').filter((t) => {
    const cls = (t.attrs.class || '').split(/\s+/);
    return classes.every((k) => cls.includes(k));
  });
}

function hrefs(fragment) { return findTags(fragment || '', 'a').map((t) => t.attrs.href); }

function memberCount(res) {
  const inner = elementBy(res.text, 'id', 'member-count');
  ok(inner !== null, 'no id="member-count" on the list page', res);
  return Number(textOf(inner).replace(/[^\d]/g, ''));
}

/** Rows of the contact list for a search (default: active only). */
async function search(c, term, extra = '') {
  const res = expectStatus(await c.get('/contacts?q=' + encodeURIComponent(term) + extra), 200);
  return { res, rows: listRows(res.text) || [] };
}

// ------------------------------------------------------------------ API helpers

async function apiCreate(a, body) { return expectJson(await a.post('/api/v1/contacts', { json: { create_anyway: true, ...body } }), 201); }
function patch(a, id, body) { return a.request('PATCH', `/api/v1/contacts/${id}`, { json: body }); }

/** POST /contacts/bulk as the list page's form does: every `ids` value a separate parameter. */
async function bulk(c, action, ids, extra = {}) {
  const pairs = [['csrf_token', await csrfOf(c)], ['action', action], ...Object.entries(extra).map(([k, v]) => [k, String(v)])];
  for (const id of ids) pairs.push(['ids', String(id)]);
  return c.post('/contacts/bulk', { form: pairs });
}

function members(listId) {
  const out = sql(`SELECT contact_id FROM marketing_list_members WHERE list_id = ${Number(listId)} ORDER BY contact_id`);
  return out ? out.split('\n').map(Number) : [];
}

// ------------------------------------------------------------------ tests

export function registerContactActionTests(staff) {
  const T = (title, fn, opts) => test(`[nginx] contact actions: ${title}`, fn, opts);
  const A = (role) => as(staff, role);
  const portal = () => env('CRM_PORTAL_URL').replace(/\/+$/, '');

  /** A contact created over the API by crm_sales; returns the stored contact. */
  async function contact(fields = {}) {
    return apiCreate(await api(staff, 'sales'), { first_name: 'Act', last_name: mark(), ...fields });
  }

  /** A new marketing list (API, crm_sales); returns its id. */
  async function newList(name = `List ${mark()}`) {
    return expectJson(await (await api(staff, 'sales')).post('/api/v1/marketing-lists', { json: { name } }), 201).id;
  }

  // ================================================================ anonymize

  /** A contact rich in personal data, with everything that hangs off it, then anonymized through the form by
   *  crm_manager. Returns the ids, the personal strings and the state captured before anonymizing. */
  function anonymized() {
    return once('actions:anonymized', async () => {
      const t = mark();
      const lower = t.toLowerCase();
      const p1 = digits(7);
      const p2 = digits(7);
      const p3 = digits(8);
      const s = {
        first: `${t}First`, middle: `${t}Middle`, last: `${t}Last`, oldFirst: `${t}Oldfirst`,
        email: `${lower}.mail@example.com`, email2: `${lower}.second@example.com`, oldEmail: `${lower}.old@example.com`,
        mobile: `+39 347 ${p1}`, mobile2: `+39 320 ${p2}`, work: `+39 02 ${p3}`,
        mobileDigits: `39347${p1}`, mobile2Digits: `39320${p2}`, workDigits: `3902${p3}`,
        other: `Skype ${t}Skype`, notes: `${t}Notes about the person`, oldNotes: `${t}Oldnotes`,
        comment: `${t}Comment on the phone call`, htmlComment: `${t}Htmlcomment`,
        mailSubject: `Hello ${t}Subject`, mailBody: `Dear ${t}Mailbody`,
        custom: `${t}Customvalue`, oldCustom: `${t}Oldcustom`, customLong: `${t}Long custom text`,
      };
      const sales = await api(staff, 'sales');
      // an additional text field, a long-text one and a consent (crm_admin, settings API), so that the contact holds
      // custom values (v_text, v_long), their history and consent events
      const adm = await api(staff, 'admin');
      const fkey = `t${RUN}_anon`.toLowerCase();
      const field = expectJson(await adm.post('/api/v1/settings/fields', { json: { key: fkey, type: 'text', label: { en: 'Anon text' } } }), 201);
      const lkey = `t${RUN}_anonlong`.toLowerCase();
      expectJson(await adm.post('/api/v1/settings/fields', { json: { key: lkey, type: 'longtext', label: { en: 'Anon long' } } }), 201);
      const consent = expectJson(await adm.post('/api/v1/settings/consents', { json: { code: `t${RUN}_anon`.toLowerCase(), title: { en: 'Anon consent' }, text: { en: 'Consent text' } } }), 201);
      // the contact, with every text field, phones, emails, a birthday, notes; portal access open
      const c = await apiCreate(sales, {
        first_name: s.oldFirst, middle_name: s.middle, last_name: s.last, birthday: '1980-05-17',
        contact_type: 'customer_contact', job_title: `${t}Job`, certificate: `${t}Cert`, timezone: 'Europe/Rome',
        language: 'it', mobile_phone: s.mobile, mobile_phone_2: s.mobile2, work_phone: s.work,
        email: s.oldEmail, email_2: s.email2, other_contacts: s.other, contact_preference: 'email',
        portal_user: true, support_start_date: '2020-01-01', support_end_date: '2099-12-31',
        source: 'business_card', notes: s.oldNotes,
        custom: { [fkey]: s.oldCustom, [lkey]: s.customLong }, consents: { [consent.code]: true },
      });
      const id = c.id;
      eq(c.custom[fkey], s.oldCustom, 'custom value of the contact');
      // edits, so the history holds old and new personal values
      const v2 = expectJson(await patch(sales, id, { version: c.version, first_name: s.first, email: s.email }), 200);
      const v3 = expectJson(await patch(sales, id, { version: v2.version, notes: s.notes, custom: { [fkey]: s.custom } }), 200);
      expectJson(await patch(sales, id, { version: v3.version, consents: { [consent.code]: false } }), 200);
      // a neighbour reporting to it, in the same list, with its own comment and mail
      const nb = await apiCreate(sales, { first_name: 'Neighbour', last_name: mark(), email: `${mark()}@example.com`.toLowerCase(), reports_to_id: id });
      // comments: over the API and through the page
      expectStatus(await sales.post(`/api/v1/contacts/${id}/activity`, { json: { body: s.comment } }), 200, 201);
      expectStatus(await sales.post(`/api/v1/contacts/${nb.id}/activity`, { json: { body: 'A comment on the neighbour' } }), 200, 201);
      const mkt = await A('marketeer');
      expectStatus(await mkt.post(`/contacts/${id}/comments`, { form: { csrf_token: await csrfOf(mkt), body: s.htmlComment } }), 303);
      // a marketing list with both
      const listId = await newList();
      eq(expectJson(await sales.post(`/api/v1/marketing-lists/${listId}/members`, { json: { contact_ids: [id, nb.id] } }), 200).added, 2, 'members added');
      // a generated staff login (the contact's email), with a token and a live session
      const mgr = await A('manager');
      const form = parseForm(expectStatus(await mgr.get(`/contacts/${id}/login`), 200).text, { action: `/contacts/${id}/login` });
      ok(form, 'no generate-login form');
      expectRedirect(await mgr.post(`/contacts/${id}/login`, { form: { ...form.fields, email: s.email } }), `/contacts/${id}`);
      const uid = num(`SELECT id FROM users WHERE login = ${q(s.email)}`);
      ok(uid > 0, 'no staff user created by generate login');
      const userToken = await createToken(s.email);
      const cookie = randomBytes(32).toString('hex');
      sql(`INSERT INTO sessions (id_hash, user_id, csrf, expires_at) VALUES ('${sha256(cookie)}', ${uid}, '${randomBytes(32).toString('hex')}', NOW() + INTERVAL 1 HOUR)`);
      // queued mail to it, and to the neighbour
      sql(`INSERT INTO outbox (to_addr, subject, body, contact_id) VALUES (${q(s.email)}, ${q(s.mailSubject)}, ${q(s.mailBody)}, ${id})`);
      sql(`INSERT INTO outbox (to_addr, subject, body, contact_id) VALUES ('neighbour@example.com', 'For the neighbour', 'Body', ${nb.id})`);
      // a portal account (created with portal_user, its login moved to the second email) with a live portal session
      sql(`INSERT INTO portal_accounts (contact_id, email) VALUES (${id}, ${q(s.email2)}) ON DUPLICATE KEY UPDATE email = VALUES(email)`);
      const accountId = num(`SELECT id FROM portal_accounts WHERE contact_id = ${id}`);
      const portalCookie = randomBytes(32).toString('hex');
      sql(`INSERT INTO portal_sessions (id_hash, account_id, csrf, expires_at) VALUES ('${sha256(portalCookie)}', ${accountId}, '${randomBytes(32).toString('hex')}', NOW() + INTERVAL 1 HOUR)`);

      // what the logins could do before
      const userApi = new Client(staff);
      userApi.headers.authorization = 'Bearer ' + userToken;
      const userWeb = new Client(staff);
      userWeb.setCookie('crm_session', cookie);
      const portalWeb = new Client(portal());
      portalWeb.setCookie('crm_portal', portalCookie);
      const before = {
        tokenStatus: (await userApi.get('/api/v1/contacts')).status,
        sessionStatus: (await userWeb.get('/contacts')).status,
        portalStatus: (await portalWeb.get('/home')).status,
        neighbour: sql(`SELECT * FROM contacts WHERE id = ${nb.id}`),
        neighbourHistory: JSON.stringify(historyRows(nb.id)),
        neighbourComments: sql(`SELECT id, body FROM comments WHERE contact_id = ${nb.id} ORDER BY id`),
        neighbourOutbox: sql(`SELECT * FROM outbox WHERE contact_id = ${nb.id}`),
        listMembers: members(listId),
        comments: num(`SELECT COUNT(*) FROM comments WHERE contact_id = ${id}`),
        version: Number(col(id, 'version')),
        customRows: num(`SELECT COUNT(*) FROM contact_custom WHERE contact_id = ${id}`),
        consentEvents: num(`SELECT COUNT(*) FROM consent_events WHERE contact_id = ${id}`),
      };

      // anonymize through the confirmation form
      const confirm = expectStatus(await mgr.get(`/contacts/${id}/anonymize`), 200);
      const af = parseForm(confirm.text, { action: `/contacts/${id}/anonymize` });
      ok(af && af.method === 'post', 'no POST form on the anonymize confirmation', confirm);
      const post = await mgr.post(`/contacts/${id}/anonymize`, { form: af.fields });
      sql(`UPDATE custom_fields SET active = 0 WHERE id = ${field.id} OR field_key = '${lkey}'`);
      sql(`UPDATE consents SET active = 0 WHERE id = ${consent.id}`);
      return { id, nb: nb.id, nbLast: nb.last_name, listId, uid, s, post, before, userApi, userWeb, portalWeb, accountId, manager: await roleUser('manager') };
    });
  }

  T('anonymize asks for confirmation naming the contact (crm_admin and crm_manager); the GET changes nothing', async () => {
    const f = `Conf${mark()}`;
    const l = mark();
    const c = await contact({ first_name: f, last_name: l, email: `${l}@example.com`.toLowerCase() });
    for (const role of ['admin', 'manager']) {
      const page = expectStatus(await (await A(role)).get(`/contacts/${c.id}/anonymize`), 200);
      const main = textOf(elementInner(page.text, 'main') || page.text);
      ok(main.includes(f) && main.includes(l), `the confirmation for ${ROLE_NAME[role]} does not name the contact`, page);
      const form = parseForm(page.text, { action: `/contacts/${c.id}/anonymize` });
      ok(form && form.method === 'post', `no POST form to /contacts/${c.id}/anonymize`, page);
      ok(form.fields.csrf_token, 'the confirmation form has no csrf_token', page);
    }
    eq(col(c.id, 'anonymized_at'), 'NULL', 'anonymized_at after the confirmation pages');
    eq(col(c.id, 'last_name'), l, 'last_name after the confirmation pages');
  });

  T('permissions: crm_sales, crm_marketeer and a user with no role get 403 on the anonymize page, the POST and the API', async () => {
    const c = await contact({ email: `${mark()}@example.com`.toLowerCase() });
    for (const role of ['sales', 'marketeer', 'norole']) {
      const w = await A(role);
      expectStatus(await w.get(`/contacts/${c.id}/anonymize`), 403);
      expectStatus(await w.post(`/contacts/${c.id}/anonymize`, { form: { csrf_token: await csrfOf(w) } }), 403);
      expectJsonError(await (await api(staff, role)).post(`/api/v1/contacts/${c.id}/anonymize`, { json: {} }), 403, 'forbidden');
    }
    eq(col(c.id, 'anonymized_at'), 'NULL', 'anonymized_at');
    eq(col(c.id, 'last_name'), c.last_name, 'last_name');
  });

  T('anonymize without csrf_token is refused (403); the contact keeps its data', async () => {
    const c = await contact();
    const mgr = await A('manager');
    expectStatus(await mgr.post(`/contacts/${c.id}/anonymize`, { form: {} }), 403);
    expectStatus(await mgr.post(`/contacts/${c.id}/anonymize`, { form: { csrf_token: 'a'.repeat(64) } }), 403);
    eq(col(c.id, 'anonymized_at'), 'NULL', 'anonymized_at');
    eq(col(c.id, 'last_name'), c.last_name, 'last_name');
  });

  T('anonymize: confirming redirects (303) to the contact page, which shows the anonymized notice and no personal value', async () => {
    const x = await anonymized();
    expectRedirect(x.post, `/contacts/${x.id}`);
    const page = expectStatus(await (await A('manager')).get(`/contacts/${x.id}`), 200);
    ok(withClasses(page.text, ['notice', 'anonymized']).length === 1, 'no (single) element with class="notice anonymized"', page);
    const shown = [x.s.first, x.s.last, x.s.email, x.s.comment, x.s.notes].filter((v) => page.text.includes(v));
    eq(shown.join(', '), '', 'personal values still on the page', page);
    ok(!hrefs(page.text).includes(`/contacts/${x.id}/edit`), 'the anonymized contact still offers Edit', page);
  });

  T('anonymize: the contact row stays with anonymized_at and every personal field empty', async () => {
    const x = await anonymized();
    ok(col(x.id, 'anonymized_at') !== 'NULL', 'anonymized_at not set');
    const row = sql(`SELECT 'row', first_name, middle_name, last_name, IFNULL(birthday, ''), IFNULL(email, ''), IFNULL(email_2, ''), `
      + `IFNULL(mobile_phone, ''), IFNULL(mobile_phone_norm, ''), IFNULL(mobile_phone_2, ''), IFNULL(mobile_phone_2_norm, ''), `
      + `IFNULL(work_phone, ''), IFNULL(work_phone_norm, ''), IFNULL(other_contacts, ''), IFNULL(notes, ''), `
      + `IFNULL(support_start_date, ''), IFNULL(support_end_date, ''), IFNULL(user_id, ''), is_user, portal_user `
      + `FROM contacts WHERE id = ${x.id}`);
    const names = ['first_name', 'middle_name', 'last_name', 'birthday', 'email', 'email_2', 'mobile_phone', 'mobile_phone_norm',
      'mobile_phone_2', 'mobile_phone_2_norm', 'work_phone', 'work_phone_norm', 'other_contacts', 'notes',
      'support_start_date', 'support_end_date', 'user_id', 'is_user', 'portal_user'];
    ok(row, 'the contact row is gone (it must stay for the links of tickets and statistics)');
    const vals = row.split('\t').slice(1);
    eq(vals.length, names.length, 'columns read');
    const left = names.filter((n, i) => !(vals[i] === '' || vals[i] === '0'));
    eq(left.map((n) => `${n}=${vals[names.indexOf(n)]}`).join(', '), '', 'personal fields still set');
  });

  T('anonymize leaves no personal value of the contact in any table (every text column of every table)', async () => {
    const x = await anonymized();
    const s = x.s;
    const values = [s.first, s.oldFirst, s.middle, s.last, s.email, s.email2, s.oldEmail, s.mobile, s.mobile2, s.work,
      s.mobileDigits, s.mobile2Digits, s.workDigits, s.other, s.notes, s.oldNotes, s.comment, s.htmlComment, s.mailSubject, s.mailBody,
      s.custom, s.oldCustom, s.customLong];
    ok(values.every((v) => !/[%_'\\]/.test(v)), 'a personal value holds a LIKE or quote character');
    const tables = sql('SHOW TABLES').split('\n').filter(Boolean);
    for (const t of ['contacts', 'history', 'comments', 'users', 'sessions', 'api_tokens', 'outbox', 'portal_accounts', 'marketing_list_members']) {
      ok(tables.includes(t), `SHOW TABLES does not list ${t}: ${tables.join(', ')}`);
    }
    const cols = sql(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE() `
      + `AND data_type IN ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json') ORDER BY table_name, ordinal_position`)
      .split('\n').filter(Boolean).map((l) => l.split('\t')).filter(([t]) => tables.includes(t));
    ok(cols.length > 20, `only ${cols.length} text columns found`);
    // the neighbour's last name is the control: the scan must find it in contacts.last_name
    const scanned = [...values, x.nbLast];
    const selects = cols.map(([t, c]) => `SELECT ${q(t)}, ${q(c)}, `
      + scanned.map((v) => `IFNULL(SUM(\`${c}\` LIKE ${q('%' + v + '%')}), 0)`).join(', ') + ` FROM \`${t}\``);
    const out = sqlStdin(selects.join('\nUNION ALL\n') + ';');
    const hits = [];
    let control = false;
    for (const line of out.split('\n').filter(Boolean)) {
      const [t, c, ...counts] = line.split('\t');
      counts.forEach((n, i) => {
        if (Number(n) === 0) return;
        if (i === values.length) control = control || (t === 'contacts' && c === 'last_name');
        else hits.push(`${t}.${c} holds "${values[i]}" (${n} row(s))`);
      });
    }
    eq(out.split('\n').filter(Boolean).length, cols.length, 'columns scanned');
    ok(control, `the scan does not find the neighbour's last name ${x.nbLast} in contacts.last_name (the scan is broken)`);
    eq(hits.join('; '), '', 'personal values left after anonymize');
  });

  T('anonymize: the contact\'s additional-field values, consent states and consent events are erased', async () => {
    const x = await anonymized();
    eq(x.before.customRows, 2, 'custom values before anonymizing');
    eq(x.before.consentEvents, 2, 'consent events before anonymizing (grant, withdrawal)');
    eq(num(`SELECT COUNT(*) FROM contact_custom WHERE contact_id = ${x.id}`), 0, 'custom values after');
    eq(num(`SELECT COUNT(*) FROM consent_events WHERE contact_id = ${x.id}`), 0, 'consent events after');
    eq(num(`SELECT COUNT(*) FROM contact_consents WHERE contact_id = ${x.id}`), 0, 'consent states after');
  });

  T('anonymize: the contact\'s history keeps exactly one row, action anonymize by the manager, without values', async () => {
    const x = await anonymized();
    const rows = historyRows(x.id);
    eq(rows.map((r) => `${r.action}:${r.field}:${r.old}:${r.new}`).join(' | '), 'anonymize::<null>:<null>', 'history rows');
    eq(rows[0].actor, x.manager, 'actor of the anonymize row');
  });

  T('anonymize: comment bodies are emptied and the feed shows no comment text', async () => {
    const x = await anonymized();
    eq(num(`SELECT COUNT(*) FROM comments WHERE contact_id = ${x.id} AND body <> ''`), 0, 'comments with a body');
    const feed = expectJson(await (await api(staff, 'manager')).get(`/api/v1/contacts/${x.id}/activity`), 200);
    const texts = (feed.items || []).filter((i) => i.type === 'comment' && i.body);
    eq(texts.map((i) => i.body).join(' | '), '', 'comment bodies in the API feed');
  });

  T('anonymize: marketing-list memberships are removed; other members stay', async () => {
    const x = await anonymized();
    eq(num(`SELECT COUNT(*) FROM marketing_list_members WHERE contact_id = ${x.id}`), 0, 'memberships of the anonymized contact');
    eq(members(x.listId).join(','), x.before.listMembers.filter((i) => i !== x.id).join(','), 'members of the list');
    const page = expectStatus(await (await A('sales')).get(`/contacts/lists/${x.listId}`), 200);
    eq(memberCount(page), x.before.listMembers.length - 1, 'member-count of the list', page);
    ok(!hrefs(page.text).includes(`/contacts/${x.id}`), 'the list page still links the anonymized contact', page);
  });

  T('anonymize: the staff login made by Generate login is deactivated, renamed, without password; its sessions are deleted', async () => {
    const x = await anonymized();
    const [active, loginName, email, hash] = sql(`SELECT active, login, IFNULL(email, ''), IFNULL(password_hash, ''), 'end' FROM users WHERE id = ${x.uid}`).split('\t');
    eq(active, '0', 'users.active');
    ok(loginName && loginName.toLowerCase() !== x.s.email, `users.login is still the email: ${loginName}`);
    ok(email.toLowerCase() !== x.s.email, 'users.email is still the email');
    eq(hash, '', 'users.password_hash');
    eq(num(`SELECT COUNT(*) FROM sessions WHERE user_id = ${x.uid}`), 0, 'sessions of the user');
    eq(num(`SELECT COUNT(*) FROM api_tokens WHERE user_id = ${x.uid} AND revoked_at IS NULL`), 0, 'live API tokens of the user');
    eq(sql(`SELECT is_user, IFNULL(user_id, 'NULL') FROM contacts WHERE id = ${x.id}`), '0\tNULL', 'is_user and user_id of the contact');
  });

  T('anonymize: the staff login\'s session cookie and API token no longer sign in', async () => {
    const x = await anonymized();
    eq(x.before.sessionStatus, 403, 'GET /contacts with the session cookie before (signed in, no role)');
    eq(x.before.tokenStatus, 403, 'GET /api/v1/contacts with the token before (signed in, no role)');
    expectRedirect(await x.userWeb.get('/contacts'), /^\/login(\?|$)/, [302, 303]);
    expectJsonError(await x.userApi.get('/api/v1/contacts'), 401, 'unauthorized');
  });

  T('anonymize: the portal account and its sessions are gone; the portal cookie no longer signs in', async () => {
    const x = await anonymized();
    eq(x.before.portalStatus, 200, 'portal /home with the session cookie before');
    eq(num(`SELECT COUNT(*) FROM portal_accounts WHERE contact_id = ${x.id}`), 0, 'portal accounts of the contact');
    eq(num(`SELECT COUNT(*) FROM portal_sessions WHERE account_id = ${x.accountId}`), 0, 'portal sessions of the account');
    const res = await x.portalWeb.get('/home');
    ok(res.status !== 200, `portal /home with the old cookie answered 200`, res);
    expectRedirect(res, /^\/login(\?|$)/, [302, 303]);
  });

  T('anonymize: a second anonymize answers 404 (confirmation, POST and API) and adds no history', async () => {
    const x = await anonymized();
    const mgr = await A('manager');
    expectStatus(await mgr.get(`/contacts/${x.id}/anonymize`), 404);
    expectStatus(await mgr.post(`/contacts/${x.id}/anonymize`, { form: { csrf_token: await csrfOf(mgr) } }), 404);
    expectJsonError(await (await api(staff, 'manager')).post(`/api/v1/contacts/${x.id}/anonymize`, { json: {} }), 404, 'not_found');
    eq(historyRows(x.id).length, 1, 'history rows after the second attempts');
  });

  T('anonymize: the anonymized contact cannot be edited (edit page 404, POST 404, API PATCH 404)', async () => {
    const x = await anonymized();
    const mgr = await A('manager');
    const version = Number(col(x.id, 'version'));
    expectStatus(await mgr.get(`/contacts/${x.id}/edit`), 404);
    expectStatus(await mgr.post(`/contacts/${x.id}`, { form: { csrf_token: await csrfOf(mgr), version: String(version), first_name: 'Back', last_name: 'Again', action: 'save' } }), 404);
    expectJsonError(await patch(await api(staff, 'manager'), x.id, { version, first_name: 'Back' }), 404, 'not_found');
    eq(col(x.id, 'first_name'), '', 'first_name');
    eq(Number(col(x.id, 'version')), version, 'version');
  });

  T('anonymize: the anonymized contact takes no comment, login or list membership (404 / added 0)', async () => {
    const x = await anonymized();
    const sales = await A('sales');
    expectStatus(await sales.post(`/contacts/${x.id}/comments`, { form: { csrf_token: await csrfOf(sales), body: 'After' } }), 404);
    expectJsonError(await (await api(staff, 'sales')).post(`/api/v1/contacts/${x.id}/activity`, { json: { body: 'After' } }), 404, 'not_found');
    const mgr = await A('manager');
    expectStatus(await mgr.get(`/contacts/${x.id}/login`), 404);
    expectJsonError(await (await api(staff, 'manager')).post(`/api/v1/contacts/${x.id}/login`, { json: { email: `${mark()}@example.com`.toLowerCase() } }), 404, 'not_found');
    eq(expectJson(await (await api(staff, 'sales')).post(`/api/v1/marketing-lists/${x.listId}/members`, { json: { contact_ids: [x.id] } }), 200).added, 0, 'added');
    eq(num(`SELECT COUNT(*) FROM comments WHERE contact_id = ${x.id}`), x.before.comments, 'comments');
  });

  T('anonymize: other contacts are untouched (row, history, comments, mail, list membership)', async () => {
    const x = await anonymized();
    eq(sql(`SELECT * FROM contacts WHERE id = ${x.nb}`), x.before.neighbour, 'the neighbour\'s row');
    eq(JSON.stringify(historyRows(x.nb)), x.before.neighbourHistory, 'the neighbour\'s history');
    eq(sql(`SELECT id, body FROM comments WHERE contact_id = ${x.nb} ORDER BY id`), x.before.neighbourComments, 'the neighbour\'s comments');
    eq(sql(`SELECT * FROM outbox WHERE contact_id = ${x.nb}`), x.before.neighbourOutbox, 'the neighbour\'s mail');
    ok(members(x.listId).includes(x.nb), 'the neighbour left the list');
  });

  T('API anonymize answers 200 with the contact: names and channels null, anonymized_at set', async () => {
    const l = mark();
    const c = await contact({ first_name: 'Api', middle_name: 'Anon', last_name: l, email: `${l}@example.com`.toLowerCase(), mobile_phone: '+39 333 123 4567', notes: 'Private' });
    for (const role of ['manager', 'admin']) {
      const c2 = role === 'manager' ? c : await contact({ last_name: mark() });
      const res = await (await api(staff, role)).post(`/api/v1/contacts/${c2.id}/anonymize`, { json: {} });
      const body = expectJson(res, 200);
      eq(body.id, c2.id, `id in the answer (${ROLE_NAME[role]})`, res);
      for (const f of ['first_name', 'middle_name', 'last_name', 'email', 'mobile_phone', 'notes', 'birthday']) {
        ok(body[f] === null || body[f] === '', `${f} is ${JSON.stringify(body[f])} after anonymize (${ROLE_NAME[role]})`, res);
      }
      ok(typeof body.anonymized_at === 'string' && body.anonymized_at, `anonymized_at is ${JSON.stringify(body.anonymized_at)}`, res);
    }
    const got = expectJson(await (await api(staff, 'sales')).get(`/api/v1/contacts/${c.id}`), 200);
    ok(got.anonymized_at && got.first_name === null && got.last_name === null, `GET after anonymize: ${JSON.stringify(got).slice(0, 200)}`);
  });

  // ================================================================ generate login

  T('generate login: the form (crm_admin, crm_manager) names the contact and has its email prefilled', async () => {
    const l = mark();
    const email = `${l}@example.com`.toLowerCase();
    const c = await contact({ first_name: 'Gen', last_name: l, email });
    for (const role of ['admin', 'manager']) {
      const page = expectStatus(await (await A(role)).get(`/contacts/${c.id}/login`), 200);
      const f = parseForm(page.text, { action: `/contacts/${c.id}/login` });
      ok(f && f.method === 'post', `no POST form to /contacts/${c.id}/login for ${ROLE_NAME[role]}`, page);
      eq(f.fields.email, email, 'prefilled email', page);
      ok(f.fields.csrf_token, 'no csrf_token in the form', page);
      ok(textOf(elementInner(page.text, 'main') || page.text).includes(l), 'the form does not name the contact', page);
    }
    eq(col(c.id, 'is_user'), '0', 'is_user after the GETs');
  });

  T('permissions: crm_sales, crm_marketeer and a user with no role get 403 on generate login (form, POST, API)', async () => {
    const email = `${mark()}@example.com`.toLowerCase();
    const c = await contact({ email });
    for (const role of ['sales', 'marketeer', 'norole']) {
      const w = await A(role);
      expectStatus(await w.get(`/contacts/${c.id}/login`), 403);
      expectStatus(await w.post(`/contacts/${c.id}/login`, { form: { csrf_token: await csrfOf(w), email } }), 403);
      expectJsonError(await (await api(staff, role)).post(`/api/v1/contacts/${c.id}/login`, { json: { email } }), 403, 'forbidden');
    }
    eq(num(`SELECT COUNT(*) FROM users WHERE login = ${q(email)}`), 0, 'users created');
    eq(sql(`SELECT is_user, IFNULL(user_id, 'NULL') FROM contacts WHERE id = ${c.id}`), '0\tNULL', 'is_user, user_id');
  });

  T('generate login creates a staff user (login = email, no roles, no password), links it, and the page shows it', async () => {
    const email = `${mark()}@example.com`.toLowerCase();
    const c = await contact({ email });
    const mgr = await A('manager');
    const f = parseForm(expectStatus(await mgr.get(`/contacts/${c.id}/login`), 200).text, { action: `/contacts/${c.id}/login` });
    expectRedirect(await mgr.post(`/contacts/${c.id}/login`, { form: f.fields }), `/contacts/${c.id}`);
    const row = sql(`SELECT id, IFNULL(password_hash, 'NULL'), active FROM users WHERE login = ${q(email)}`);
    ok(row, `no users row with login ${email}`);
    const [uid, hash] = row.split('\t');
    eq(hash, 'NULL', 'password_hash');
    eq(num(`SELECT COUNT(*) FROM user_roles WHERE user_id = ${uid}`), 0, 'roles of the new user');
    eq(sql(`SELECT is_user, user_id FROM contacts WHERE id = ${c.id}`), `1\t${uid}`, 'is_user, user_id of the contact');
    const page = expectStatus(await mgr.get(`/contacts/${c.id}`), 200);
    ok((textOf(elementBy(page.text, 'class', 'section-user')) || '').includes(email), 'section-user does not show the new login', page);
    ok(!hrefs(page.text).includes(`/contacts/${c.id}/login`), 'the page still offers Generate login', page);
  });

  T('generate login writes history rows for is_user and user_id', async () => {
    const email = `${mark()}@example.com`.toLowerCase();
    const c = await contact({ email });
    const since = lastHistoryId();
    const body = expectJson(await (await api(staff, 'admin')).post(`/api/v1/contacts/${c.id}/login`, { json: { email } }), 200, 201);
    const uid = num(`SELECT id FROM users WHERE login = ${q(email)}`);
    eq(body.is_user, true, 'is_user in the answer');
    eq(body.user_id, uid, 'user_id in the answer');
    const rows = historyRows(c.id, since);
    const isUser = rows.find((r) => r.field === 'is_user');
    const userId = rows.find((r) => r.field === 'user_id');
    ok(isUser && isUser.new === '1' && isUser.old !== '1', `no history row is_user → 1: ${JSON.stringify(rows)}`);
    ok(userId && userId.new === String(uid), `no history row user_id → ${uid}: ${JSON.stringify(rows)}`);
    const who = await roleUser('admin');
    ok(rows.every((r) => r.actor === who), `actors: ${rows.map((r) => r.actor).join(',')}`);
  });

  T('generate login a second time answers 409 (form GET, POST and API conflict); nothing created', async () => {
    const email = `${mark()}@example.com`.toLowerCase();
    const c = await contact({ email });
    const a = await api(staff, 'manager');
    expectJson(await a.post(`/api/v1/contacts/${c.id}/login`, { json: { email } }), 200, 201);
    const uid = col(c.id, 'user_id');
    const other = `${mark()}@example.com`.toLowerCase();
    const mgr = await A('manager');
    expectStatus(await mgr.get(`/contacts/${c.id}/login`), 409);
    expectStatus(await mgr.post(`/contacts/${c.id}/login`, { form: { csrf_token: await csrfOf(mgr), email: other } }), 409);
    expectJsonError(await a.post(`/api/v1/contacts/${c.id}/login`, { json: { email: other } }), 409, 'conflict');
    eq(num(`SELECT COUNT(*) FROM users WHERE login = ${q(other)}`), 0, 'users created by the second attempts');
    eq(col(c.id, 'user_id'), uid, 'user_id');
  });

  T('generate login with an invalid email answers 422 with the error next to email; nothing created', async () => {
    const c = await contact({ email: `${mark()}@example.com`.toLowerCase() });
    const mgr = await A('manager');
    const f = parseForm(expectStatus(await mgr.get(`/contacts/${c.id}/login`), 200).text, { action: `/contacts/${c.id}/login` });
    const usersBefore = num('SELECT COUNT(*) FROM users');
    const res = await mgr.post(`/contacts/${c.id}/login`, { form: { ...f.fields, email: 'not-an-email@' } });
    expectRefused(res, 'email');
    const shown = findTag(res.text, 'input', { name: 'email' });
    eq(shown && shown.attrs.value, 'not-an-email@', 'email kept in the form', res);
    const body = expectJsonError(await (await api(staff, 'manager')).post(`/api/v1/contacts/${c.id}/login`, { json: { email: 'nope' } }), 422, 'invalid');
    ok(body.error.fields && body.error.fields.email, 'no error.fields.email');
    eq(num('SELECT COUNT(*) FROM users'), usersBefore, 'users');
    eq(sql(`SELECT is_user, IFNULL(user_id, 'NULL') FROM contacts WHERE id = ${c.id}`), '0\tNULL', 'is_user, user_id');
  });

  T('generate login with an email already used as another user\'s login answers 422 on email; nothing changed', async () => {
    const email = `${mark()}@example.com`.toLowerCase();
    const first = await contact({ email });
    expectJson(await (await api(staff, 'manager')).post(`/api/v1/contacts/${first.id}/login`, { json: { email } }), 200, 201);
    const second = await contact({ email: `${mark()}@example.com`.toLowerCase() });
    const v = col(second.id, 'version');
    const since = lastHistoryId();
    const mgr = await A('manager');
    const f = parseForm(expectStatus(await mgr.get(`/contacts/${second.id}/login`), 200).text, { action: `/contacts/${second.id}/login` });
    expectRefused(await mgr.post(`/contacts/${second.id}/login`, { form: { ...f.fields, email } }), 'email');
    const body = expectJsonError(await (await api(staff, 'manager')).post(`/api/v1/contacts/${second.id}/login`, { json: { email } }), 422, 'invalid');
    ok(body.error.fields && body.error.fields.email, 'no error.fields.email');
    eq(num(`SELECT COUNT(*) FROM users WHERE login = ${q(email)}`), 1, 'users with that login');
    eq(sql(`SELECT is_user, IFNULL(user_id, 'NULL'), version FROM contacts WHERE id = ${second.id}`), `0\tNULL\t${v}`, 'is_user, user_id, version of the second contact');
    eq(historyRows(second.id, since).length, 0, 'history rows of the second contact');
  });

  // ================================================================ comments and the activity feed

  for (const role of MATRIX) {
    T(`comments: ${ROLE_NAME[role]} posts a comment, is sent to /contacts/ID#activity, and it appears in the activity list`, async () => {
      const c = await contact();
      const w = await A(role);
      const text = `Called back ${mark()} by ${role}`;
      const res = await w.post(`/contacts/${c.id}/comments`, { form: { csrf_token: await csrfOf(w), body: text } });
      const u = expectRedirect(res, `/contacts/${c.id}`);
      eq(u.hash, '#activity', 'fragment of the redirect', res);
      const page = expectStatus(await w.get(`/contacts/${c.id}`), 200);
      const items = commentItems(page.text);
      ok(items.some((i) => i.text.includes(text)), 'the comment is not in ol.history li.comment', page);
      const author = await roleUser(role);
      ok(items.some((i) => i.text.includes(text) && i.text.includes(author)), `the comment does not name its author ${author}`, page);
      eq(sql(`SELECT body FROM comments WHERE contact_id = ${c.id}`), text, 'stored comment');
    });
  }

  T('comments: a user with no role gets 403 (page and API); nothing stored', async () => {
    const c = await contact();
    const w = await A('norole');
    expectStatus(await w.post(`/contacts/${c.id}/comments`, { form: { csrf_token: await csrfOf(w), body: 'Sneaky' } }), 403);
    expectJsonError(await (await api(staff, 'norole')).post(`/api/v1/contacts/${c.id}/activity`, { json: { body: 'Sneaky' } }), 403, 'forbidden');
    expectJsonError(await (await api(staff, 'norole')).get(`/api/v1/contacts/${c.id}/activity`), 403, 'forbidden');
    eq(num(`SELECT COUNT(*) FROM comments WHERE contact_id = ${c.id}`), 0, 'comments stored');
  });

  T('comments: without csrf_token the comment is refused (403); nothing stored', async () => {
    const c = await contact();
    const w = await A('sales');
    expectStatus(await w.post(`/contacts/${c.id}/comments`, { form: { body: 'Forged' } }), 403);
    eq(num(`SELECT COUNT(*) FROM comments WHERE contact_id = ${c.id}`), 0, 'comments stored');
  });

  T('comments: an <img onerror> comment is shown escaped in the activity list', async () => {
    const c = await contact();
    const w = await A('sales');
    const evil = '<img src=x onerror=alert(1)>';
    expectStatus(await w.post(`/contacts/${c.id}/comments`, { form: { csrf_token: await csrfOf(w), body: evil } }), 303);
    const page = expectStatus(await w.get(`/contacts/${c.id}`), 200);
    ok(!/<img\s+src=x\s+onerror/i.test(page.text), 'the page contains the raw <img onerror>', page);
    ok(commentItems(page.text).some((i) => i.text.includes(evil)), 'the escaped comment is not shown in li.comment', page);
    eq(sql(`SELECT body FROM comments WHERE contact_id = ${c.id}`), evil, 'stored comment (as typed)');
  });

  for (const [label, body] of [['an empty body', ''], ['a body of only blanks', '  \n \t ']]) {
    T(`comments: ${label} redirects back with an error next to the comment box; nothing stored`, async () => {
      const c = await contact();
      const w = await A('sales');
      const res = await w.post(`/contacts/${c.id}/comments`, { form: { csrf_token: await csrfOf(w), body } });
      const u = expectRedirect(res, new RegExp(`^/contacts/${c.id}(\\?.*)?$`));
      eq(num(`SELECT COUNT(*) FROM comments WHERE contact_id = ${c.id}`), 0, 'comments stored');
      const page = expectStatus(await w.get(u.pathname + u.search), 200);
      expectErrorNextTo(page, 'body');
      const plain = expectStatus(await w.get(`/contacts/${c.id}`), 200);
      eq(fieldErrors(plain.text).join(','), '', 'errors on the contact page opened again', plain);
    });
  }

  T('API activity lists comments and history entries, newest first', async () => {
    const a = await api(staff, 'sales');
    const c = await contact({ job_title: 'Buyer' });
    const first = `First ${mark()}`;
    const second = `Second ${mark()}`;
    const r1 = await a.post(`/api/v1/contacts/${c.id}/activity`, { json: { body: first } });
    expectJson(r1, 200, 201);
    const v = expectJson(await patch(a, c.id, { version: c.version, job_title: 'Head buyer' }), 200);
    expectJson(await a.post(`/api/v1/contacts/${c.id}/activity`, { json: { body: second } }), 200, 201);
    const res = await a.get(`/api/v1/contacts/${c.id}/activity`);
    const items = expectJson(res, 200).items;
    ok(Array.isArray(items), 'no items array', res);
    eq(items.length, historyRows(c.id).length + 2, 'entries (history rows + 2 comments)', res);
    ok(items.every((i) => i.type === 'comment' || i.type === 'history'), `types: ${items.map((i) => i.type).join(',')}`, res);
    eq(items[0].type, 'comment', 'type of the newest entry', res);
    eq(items[0].body, second, 'newest entry', res);
    eq(items[0].actor, await roleUser('sales'), 'actor of the comment', res);
    const hist = items.findIndex((i) => i.type === 'history' && i.field === 'job_title' && i.old === 'Buyer' && i.new === 'Head buyer');
    const firstIdx = items.findIndex((i) => i.type === 'comment' && i.body === first);
    ok(hist > 0 && firstIdx > hist, `order: job_title change at ${hist}, first comment at ${firstIdx}`, res);
    const times = items.map((i) => i.at);
    ok(times.every((t, i) => typeof t === 'string' && (i === 0 || t <= times[i - 1])), `not newest first: ${times.join(' | ')}`, res);
    ok(v.version === c.version + 1, 'version');
  });

  T('API comment with an empty body answers 422 with error.fields.body; nothing stored', async () => {
    const c = await contact();
    const a = await api(staff, 'marketeer');
    const body = expectJsonError(await a.post(`/api/v1/contacts/${c.id}/activity`, { json: { body: '' } }), 422, 'invalid');
    ok(body.error.fields && typeof body.error.fields.body === 'string' && body.error.fields.body, 'no error.fields.body');
    expectJsonError(await a.post(`/api/v1/contacts/${c.id}/activity`, { json: {} }), 422, 'invalid');
    eq(num(`SELECT COUNT(*) FROM comments WHERE contact_id = ${c.id}`), 0, 'comments stored');
  });

  // ================================================================ marketing lists

  T('marketing lists: the lists page answers 200 to every role of the matrix, 403 to a user with no role', async () => {
    for (const role of MATRIX) expectStatus(await (await A(role)).get('/contacts/lists'), 200);
    expectStatus(await (await A('norole')).get('/contacts/lists'), 403);
    for (const role of MATRIX) expectJson(await (await api(staff, role)).get('/api/v1/marketing-lists'), 200);
    expectJsonError(await (await api(staff, 'norole')).get('/api/v1/marketing-lists'), 403, 'forbidden');
  });

  T('marketing lists: the New list form is offered to crm_sales and crm_manager only', async () => {
    for (const role of MATRIX) {
      const page = expectStatus(await (await A(role)).get('/contacts/lists'), 200);
      const has = Boolean(findTag(page.text, 'form', { action: '/contacts/lists' }));
      eq(has, role === 'sales' || role === 'manager', `New list form for ${ROLE_NAME[role]}`, page);
    }
  });

  for (const role of ['sales', 'manager']) {
    T(`marketing lists: ${ROLE_NAME[role]} creates a list and is sent to its page`, async () => {
      const w = await A(role);
      const name = `List ${mark()}`;
      const res = await w.post('/contacts/lists', { form: { csrf_token: await csrfOf(w), name, description: 'Spring fair' } });
      const u = expectRedirect(res, /^\/contacts\/lists\/\d+$/);
      const id = Number(u.pathname.split('/').pop());
      eq(sql(`SELECT name FROM marketing_lists WHERE id = ${id}`), name, 'stored name');
      const page = expectStatus(await w.get(u.pathname), 200);
      ok(textOf(elementInner(page.text, 'h1') || '').includes(name), 'the list page does not name the list', page);
      eq(memberCount(page), 0, 'member-count of a new list', page);
      const index = expectStatus(await w.get('/contacts/lists'), 200);
      ok(hrefs(index.text).includes(`/contacts/lists/${id}`), 'the lists page does not link the new list', index);
    });
  }

  T('marketing lists: crm_admin, crm_marketeer and a user with no role may not create a list (403; nothing stored)', async () => {
    for (const role of ['admin', 'marketeer', 'norole']) {
      const w = await A(role);
      const name = `List ${mark()}`;
      expectStatus(await w.post('/contacts/lists', { form: { csrf_token: await csrfOf(w), name } }), 403);
      eq(num(`SELECT COUNT(*) FROM marketing_lists WHERE name = ${q(name)}`), 0, `lists stored by ${ROLE_NAME[role]}`);
    }
  });

  T('marketing lists: creating a list without csrf_token is refused (403)', async () => {
    const w = await A('sales');
    const name = `List ${mark()}`;
    expectStatus(await w.post('/contacts/lists', { form: { name } }), 403);
    eq(num(`SELECT COUNT(*) FROM marketing_lists WHERE name = ${q(name)}`), 0, 'lists stored');
  });

  T('marketing lists: a duplicate name answers 422 with the error next to name; one list stored', async () => {
    const w = await A('sales');
    const name = `List ${mark()}`;
    expectStatus(await w.post('/contacts/lists', { form: { csrf_token: await csrfOf(w), name } }), 303);
    const res = await w.post('/contacts/lists', { form: { csrf_token: await csrfOf(w), name } });
    expectRefused(res, 'name');
    eq(num(`SELECT COUNT(*) FROM marketing_lists WHERE name = ${q(name)}`), 1, 'lists with that name');
  });

  T('marketing lists: a list name with <script> is shown escaped on the lists page', async () => {
    const name = `<script>alert(1)</script> ${mark()}`;
    const id = await newList(name);
    const page = expectStatus(await (await A('marketeer')).get('/contacts/lists'), 200);
    ok(!page.text.includes('<script>alert(1)'), 'the lists page contains the raw <script>', page);
    ok(textOf(page.text).includes(name), 'the lists page does not show the escaped name', page);
    const one = expectStatus(await (await A('marketeer')).get(`/contacts/lists/${id}`), 200);
    ok(!one.text.includes('<script>alert(1)'), 'the list page contains the raw <script>', one);
  });

  T('marketing lists: an unknown list page answers 404', async () => {
    expectStatus(await (await A('sales')).get('/contacts/lists/987654321'), 404);
  });

  T('bulk add to list: several ids go to the list once each, even when repeated, and the list page shows them', async () => {
    const w = await A('sales');
    const listId = await newList();
    const cs = [await contact(), await contact(), await contact()];
    const ids = cs.map((c) => c.id);
    expectRedirect(await bulk(w, 'add_to_list', [ids[0], ids[1], ids[0], ids[2], ids[1]], { list_id: listId }), `/contacts/lists/${listId}`);
    eq(members(listId).join(','), [...ids].sort((a, b) => a - b).join(','), 'members stored');
    expectRedirect(await bulk(w, 'add_to_list', ids, { list_id: listId }), `/contacts/lists/${listId}`);
    eq(members(listId).length, 3, 'members after adding them again');
    const page = expectStatus(await w.get(`/contacts/lists/${listId}`), 200);
    eq(memberCount(page), 3, 'member-count', page);
    const links = hrefs(page.text);
    ok(ids.every((id) => links.includes(`/contacts/${id}`)), 'the list page does not link every member', page);
    ok(cs.every((c) => textOf(page.text).includes(c.last_name)), 'the list page does not name every member', page);
  });

  T('bulk add to list: crm_admin, crm_marketeer and a user with no role get 403 (form and API) and nothing is added; crm_manager may', async () => {
    const listId = await newList();
    const c = await contact();
    for (const role of ['admin', 'marketeer', 'norole']) {
      expectStatus(await bulk(await A(role), 'add_to_list', [c.id], { list_id: listId }), 403);
      expectJsonError(await (await api(staff, role)).post(`/api/v1/marketing-lists/${listId}/members`, { json: { contact_ids: [c.id] } }), 403, 'forbidden');
    }
    eq(members(listId).length, 0, 'members after the refused adds');
    expectRedirect(await bulk(await A('manager'), 'add_to_list', [c.id], { list_id: listId }), `/contacts/lists/${listId}`);
    eq(members(listId).join(','), String(c.id), 'members after crm_manager added');
  });

  T('bulk add to list: anonymized and binned contacts are not added', async () => {
    const listId = await newList();
    const live = await contact();
    const anon = await contact();
    const binned = await contact();
    expectJson(await (await api(staff, 'manager')).post(`/api/v1/contacts/${anon.id}/anonymize`, { json: {} }), 200);
    expectStatus(await (await api(staff, 'admin')).request('DELETE', `/api/v1/contacts/${binned.id}`), 204);
    expectRedirect(await bulk(await A('sales'), 'add_to_list', [anon.id, binned.id, live.id], { list_id: listId }), `/contacts/lists/${listId}`);
    eq(members(listId).join(','), String(live.id), 'members');
    const res = await (await api(staff, 'sales')).post(`/api/v1/marketing-lists/${listId}/members`, { json: { contact_ids: [anon.id, binned.id] } });
    eq(expectJson(res, 200).added, 0, 'added over the API', res);
    eq(members(listId).join(','), String(live.id), 'members after the API call');
  });

  T('bulk add to list without csrf_token is refused (403)', async () => {
    const listId = await newList();
    const c = await contact();
    const w = await A('sales');
    expectStatus(await w.post('/contacts/bulk', { form: [['action', 'add_to_list'], ['list_id', String(listId)], ['ids', String(c.id)]] }), 403);
    eq(members(listId).length, 0, 'members');
  });

  T('API marketing lists: GET lists them with member counts; POST creates one (201); duplicate 422', async () => {
    const a = await api(staff, 'manager');
    const name = `List ${mark()}`;
    const res = await a.post('/api/v1/marketing-lists', { json: { name } });
    const created = expectJson(res, 201);
    ok(Number.isInteger(created.id) && created.id > 0, `id is ${JSON.stringify(created.id)}`, res);
    eq(created.name, name, 'name in the answer', res);
    const c = await contact();
    expectJson(await a.post(`/api/v1/marketing-lists/${created.id}/members`, { json: { contact_ids: [c.id] } }), 200);
    const list = expectJson(await (await api(staff, 'marketeer')).get('/api/v1/marketing-lists'), 200);
    const it = (list.items || []).find((i) => i.id === created.id);
    ok(it, 'the new list is not in GET /api/v1/marketing-lists');
    eq(it.name, name, 'name in the index');
    eq(it.members, 1, 'members in the index');
    const dup = expectJsonError(await a.post('/api/v1/marketing-lists', { json: { name } }), 422, 'invalid');
    ok(dup.error.fields && dup.error.fields.name, 'no error.fields.name for a duplicate');
    expectJsonError(await a.post('/api/v1/marketing-lists', { json: {} }), 422, 'invalid');
  });

  T('API marketing lists: crm_admin and crm_marketeer may not create a list (403 forbidden)', async () => {
    for (const role of ['admin', 'marketeer']) {
      const name = `List ${mark()}`;
      expectJsonError(await (await api(staff, role)).post('/api/v1/marketing-lists', { json: { name } }), 403, 'forbidden');
      eq(num(`SELECT COUNT(*) FROM marketing_lists WHERE name = ${q(name)}`), 0, `lists stored by ${ROLE_NAME[role]}`);
    }
  });

  T('API list members: answers {"added":n}; adding the same again answers added 0', async () => {
    const a = await api(staff, 'sales');
    const listId = await newList();
    const ids = [(await contact()).id, (await contact()).id];
    const res = await a.post(`/api/v1/marketing-lists/${listId}/members`, { json: { contact_ids: [...ids, ids[0]] } });
    eq(expectJson(res, 200).added, 2, 'added', res);
    const again = await a.post(`/api/v1/marketing-lists/${listId}/members`, { json: { contact_ids: ids } });
    eq(expectJson(again, 200).added, 0, 'added the second time', again);
    eq(members(listId).length, 2, 'members');
  });

  T('API list members: bad contact_ids answer 422; an unknown list answers 404', async () => {
    const a = await api(staff, 'sales');
    const listId = await newList();
    const c = await contact();
    for (const bad of [[], ['x'], [0], [-3], [1.5], 'nope', null]) {
      const res = await a.post(`/api/v1/marketing-lists/${listId}/members`, { json: { contact_ids: bad } });
      expectJsonError(res, 422, 'invalid');
    }
    expectJsonError(await a.post(`/api/v1/marketing-lists/${listId}/members`, { json: {} }), 422, 'invalid');
    expectJsonError(await a.post('/api/v1/marketing-lists/987654321/members', { json: { contact_ids: [c.id] } }), 404, 'not_found');
    eq(members(listId).length, 0, 'members after the refused calls');
  });

  T('marketing lists: the contact page shows the contact\'s lists under ul.memberships', async () => {
    const name = `List ${mark()}`;
    const listId = await newList(name);
    const other = await newList();
    const c = await contact();
    expectJson(await (await api(staff, 'sales')).post(`/api/v1/marketing-lists/${listId}/members`, { json: { contact_ids: [c.id] } }), 200);
    const page = expectStatus(await (await A('marketeer')).get(`/contacts/${c.id}`), 200);
    const ul = elementInner(page.text, 'ul', { class: 'memberships' });
    ok(ul !== null, 'no <ul class="memberships">', page);
    ok(hrefs(ul).includes(`/contacts/lists/${listId}`) && textOf(ul).includes(name), 'the membership is not shown', page);
    ok(!hrefs(ul).includes(`/contacts/lists/${other}`), 'a list the contact is not in is shown', page);
  });

  // ================================================================ bulk deactivate

  T('bulk deactivate: 303 to /contacts; the contacts leave the default list, show with active=0, history active 1→0', async () => {
    const w = await A('sales');
    const tag = mark();
    const cs = [await contact({ last_name: `${tag}a` }), await contact({ last_name: `${tag}b` }), await contact({ last_name: `${tag}c` })];
    const since = lastHistoryId();
    expectRedirect(await bulk(w, 'deactivate', [cs[0].id, cs[1].id, cs[0].id]), '/contacts');
    eq(cs.map((c) => col(c.id, 'active')).join(','), '0,0,1', 'stored active');
    const keys = (rows) => rows.map((r) => r.key).sort().join(',');
    const def = await search(w, tag);
    eq(keys(def.rows), `/contacts/${cs[2].id}`, 'rows of the default (active) list', def.res);
    const inactive = await search(w, tag, '&active=0');
    eq(keys(inactive.rows), [`/contacts/${cs[0].id}`, `/contacts/${cs[1].id}`].sort().join(','), 'rows with active=0', inactive.res);
    for (const c of cs.slice(0, 2)) {
      const rows = historyRows(c.id, since);
      eq(rows.map((r) => `${r.action}:${r.field}:${r.old}→${r.new}`).join(' | '), 'update:active:1→0', `history of contact ${c.id}`);
      eq(rows[0].actor, await roleUser('sales'), 'actor');
    }
    eq(historyRows(cs[2].id, since).length, 0, 'history of the contact left active');
  });

  T('bulk deactivate: a user with no role gets 403; without csrf_token 403; nothing changes', async () => {
    const c = await contact();
    expectStatus(await bulk(await A('norole'), 'deactivate', [c.id]), 403);
    expectStatus(await (await A('sales')).post('/contacts/bulk', { form: [['action', 'deactivate'], ['ids', String(c.id)]] }), 403);
    eq(col(c.id, 'active'), '1', 'active');
  });

  // ================================================================ contact page extras

  T('contact page: the reporting chain A → B → C shows on A\'s page as ol.chain with B then C', async () => {
    const cc = await contact({ first_name: 'Top', last_name: mark() });
    const b = await contact({ first_name: 'Middle', last_name: mark(), reports_to_id: cc.id });
    const a = await contact({ first_name: 'Bottom', last_name: mark(), reports_to_id: b.id });
    const page = expectStatus(await (await A('sales')).get(`/contacts/${a.id}`), 200);
    const items = listItems(page.text, 'ol', 'chain');
    ok(items !== null, 'no <ol class="chain"> on A\'s page', page);
    eq(items.map((li) => hrefs(li.inner)[0]).join(','), `/contacts/${b.id},/contacts/${cc.id}`, 'chain links', page);
    ok(textOf(items[0].inner).includes(b.last_name) && textOf(items[1].inner).includes(cc.last_name), 'chain entries do not name B and C', page);
    const top = expectStatus(await (await A('sales')).get(`/contacts/${cc.id}`), 200);
    const topChain = listItems(top.text, 'ol', 'chain');
    ok(topChain === null || topChain.length === 0, 'the top of the chain shows a chain', top);
  });

  T('contact page: B lists A under direct reports (ul.reports), not C', async () => {
    const cc = await contact({ first_name: 'Top', last_name: mark() });
    const b = await contact({ first_name: 'Middle', last_name: mark(), reports_to_id: cc.id });
    const a = await contact({ first_name: 'Bottom', last_name: mark(), reports_to_id: b.id });
    const page = expectStatus(await (await A('sales')).get(`/contacts/${b.id}`), 200);
    const ul = elementInner(page.text, 'ul', { class: 'reports' });
    ok(ul !== null, 'no <ul class="reports"> on B\'s page', page);
    eq(hrefs(ul).join(','), `/contacts/${a.id}`, 'direct reports of B', page);
    ok(textOf(ul).includes(a.last_name), 'the direct report is not named', page);
  });
}
