// Attack suite (issue 8): SQL-injection and script payloads in every parameter of every staff route, sent by a user the
// route admits (crm_admin; crm_manager for marketing routes) with a valid csrf token. Routes come from the programs'
// own route tables (routes.mjs), so a new route is attacked without touching this file.
// Every answer: no 5xx, no SQL error text, no raw payload tag in HTML. Afterwards the contacts table still answers, the
// users table holds as many rows as before, and a contact whose first_name is a script payload is shown escaped.
import { test, ok, eq, fail, Client, getCsrf, decodeEntities, expectJson } from '../lib/harness.mjs';
import { once, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';
import {
  staffRoutes, freshClient, newContact, newList, newUser, newTicket, isTicketRoute, newDocument, isDocumentRoute, isApi, isListRoute, isSettingsRoute, settingsPath, stateChanging,
  ALLOWED, ROLE_NAME,
} from './routes.mjs';

// ------------------------------------------------------------------ payloads and parameter names

export const SCRIPT_PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
export const PAYLOADS = [
  { family: 'sql', value: "' OR '1'='1" },
  { family: 'sql', value: '1; DROP TABLE contacts; --' },
  { family: 'sql', value: "1' UNION SELECT password_hash FROM users -- " },
  { family: 'sql', value: "\\' OR 1=1 #" },
  { family: 'script', value: SCRIPT_PAYLOADS[0] },
  { family: 'script', value: SCRIPT_PAYLOADS[1] },
  { family: 'odd', value: '%00' },
  { family: 'odd', value: '\u0000' },
  { family: 'odd', value: 'A'.repeat(5000), long: true },
  { family: 'odd', value: '../../etc/passwd' },
];

const CONTACT_FIELDS = [
  'first_name', 'middle_name', 'last_name', 'birthday', 'contact_type', 'reports_to_id', 'job_title', 'certificate',
  'timezone', 'language', 'mobile_phone', 'mobile_phone_2', 'work_phone', 'email', 'email_2', 'other_contacts',
  'contact_preference', 'do_not_call', 'do_not_email', 'block_auto_emails', 'receives_newsletter', 'portal_user',
  'support_start_date', 'support_end_date', 'is_user', 'user_id', 'source', 'notes', 'active',
];
const LIST_PARAMS = ['q', 'after', 'limit', 'active', 'status', 'contact_type', 'language', 'owner_id', 'do_not_call',
  'do_not_email', 'portal_user', 'customer_id', 'sort'];
const FORM_PARAMS = ['version', 'action', 'ids', 'contact_ids', 'list_id', 'name', 'description', 'body', 'email',
  'reports_to_query', 'next', 'language'];
const TEXT_FIELDS = ['first_name', 'middle_name', 'last_name', 'job_title', 'certificate', 'other_contacts', 'notes'];
const SAVE_ROUTES = ['POST /contacts', 'POST /contacts/#', 'POST /api/v1/contacts', 'PATCH /api/v1/contacts/#'];
const NAMES = [...new Set([...CONTACT_FIELDS, ...LIST_PARAMS, ...FORM_PARAMS])];

const SQL_ERROR = /SQL syntax|MariaDB|mysql|You have an error/i;
const RAW_TAG = /<script>alert\(1\)|<img src=x onerror/i;

export const short = (v) => {
  const s = JSON.stringify(v.length > 40 ? `${v.slice(0, 20)}…(${v.length} chars)` : v);
  return s;
};

// ------------------------------------------------------------------ clients and data

function roleFor(r) {
  const allowed = ALLOWED[r.perm] || [];
  if (r.perm === 'marketing') return 'manager';
  return allowed.includes('admin') ? 'admin' : 'manager';
}

/** A logged-in client of `role` for these tests (own sessions, not the ones of the route matrix). */
function as(base, role) { return once(`inj-client:${base}:${role}`, () => freshClient(base, role)); }

// the settings routes on '#' share one throwaway user, made before the users are counted
const sharedIds = () => once('inj-ids', () => ({ contact: newContact(), binned: newContact(true), list: newList(), user: newUser() }));

function idFor(r, shared) {
  if (isTicketRoute(r)) return newTicket();
  if (isDocumentRoute(r)) return newDocument();
  if (isListRoute(r)) return stateChanging(r) ? newList() : shared.list;
  if (stateChanging(r)) return newContact(/restore|purge/.test(r.pattern));
  return /purge/.test(r.pattern) ? shared.binned : shared.contact;
}

function pathOf(r, shared) {
  if (isSettingsRoute(r) && r.pattern.includes('#')) return settingsPath(r, shared.user);
  return r.pattern.includes('#') ? r.pattern.replace(/#/g, String(idFor(r, shared))) : r.pattern;
}

/** Every problem of one answer (empty when it is fine). */
export function check(res, what) {
  const problems = [];
  const ct = res.headers.get('content-type') || '';
  if (process.env.INJ_DEBUG) console.error(`INJ ${res.status} ${what.slice(0, 120)}`);
  if (res.status >= 500) problems.push(`${what}: expected < 500, got ${res.status}`);
  const m = res.text.match(SQL_ERROR);
  if (m) problems.push(`${what}: SQL error text ${JSON.stringify(m[0])} in the answer (${res.status}): `
    + JSON.stringify(res.text.slice(Math.max(0, m.index - 80), m.index + 120)));
  if (/html/i.test(ct) || /^\s*<(!doctype|html)/i.test(res.text)) {
    const t = res.text.match(RAW_TAG);
    if (t) problems.push(`${what}: unescaped payload ${JSON.stringify(t[0])} in the HTML answer (${res.status}): `
      + JSON.stringify(res.text.slice(Math.max(0, t.index - 80), t.index + 80)));
  }
  return problems;
}

function query(names, value) {
  const u = new URLSearchParams();
  for (const n of names) u.append(n, value);
  return u.toString();
}

// ------------------------------------------------------------------ tests

export function registerInjectionTests(name, base) {
  let routes = [];
  let tableError = null;
  try {
    routes = staffRoutes().filter((r) => r.perm !== 'portal');
  } catch (e) {
    tableError = e;
  }
  let usersBefore = null;

  test(`[${name}] injection: setup (attacking clients signed in, users counted)`, async () => {
    if (tableError) throw tableError;
    await as(base, 'admin');
    await as(base, 'manager');
    await sharedIds();
    usersBefore = Number(sql('SELECT COUNT(*) FROM users'));
    ok(usersBefore > 0, 'no user in the users table');
  });

  for (const r of routes) {
    const role = roleFor(r);
    const verb = stateChanging(r) ? 'are refused or stored as text' : 'never break the page';
    test(`[${name}] injection: ${r.method} ${r.pattern}: SQL and script payloads in every parameter ${verb}`
      + ` (${r.pattern === '/login' ? 'anonymous' : ROLE_NAME[role]})`, async () => {
      const shared = await sharedIds();
      const problems = [];
      // payloads are valid template text: whatever the attack stores in a template is put back afterwards
      const templates = /email-templates/.test(r.pattern) && stateChanging(r)
        ? sql('SELECT id, HEX(subject), HEX(body) FROM mail_templates').split('\n').filter(Boolean).map((l) => l.split('\t')) : [];
      try {
      if (!stateChanging(r)) {
        const c = await as(base, role);
        const p = pathOf(r, shared);
        for (const pl of PAYLOADS) {
          // the long payload one parameter at a time, so the URL stays within what a server accepts
          const batches = pl.long ? NAMES.map((n) => [n]) : [NAMES];
          for (const names of batches) {
            const res = await c.get(`${p}?${query(names, pl.value)}`);
            problems.push(...check(res, `${r.method} ${p}?${names.length > 1 ? '<all parameters>' : names[0]}=${short(pl.value)}`));
          }
        }
      } else {
        const contactRoute = r.pattern.includes('#') && !isListRoute(r) && !isSettingsRoute(r) && !isTicketRoute(r) && !isDocumentRoute(r);
        const saveRoute = SAVE_ROUTES.includes(`${r.method} ${r.pattern}`);
        for (const pl of PAYLOADS) {
          // every parameter set to the payload; on a contact route also with the contact's real version (so that the
          // request gets past the version check to the field validation), and on the save routes the find-manager
          // action and the text fields alone (which may be stored: then exactly as sent)
          const variants = [{ what: '<all parameters>', fields: () => Object.fromEntries(NAMES.map((n) => [n, pl.value])) }];
          if (contactRoute) {
            variants.push({ what: '<all parameters> with a valid version', versioned: true,
              fields: () => Object.fromEntries(NAMES.map((n) => [n, pl.value])) });
          }
          if (saveRoute && !isApi(r)) {
            variants.push({ what: 'action=find_manager, <all other parameters>', versioned: contactRoute,
              fields: () => ({ ...Object.fromEntries(NAMES.map((n) => [n, pl.value])), action: 'find_manager' }) });
          }
          if (saveRoute) {
            variants.push({ what: '<text fields>', versioned: contactRoute, stored: true,
              fields: () => Object.fromEntries(TEXT_FIELDS.map((n) => [n, pl.value])) });
          }
          for (const v of variants) {
            // /login and /logout change the session: a fresh client each time (POST /login anonymous, without login
            // and password, so that no failed login is counted against the test host's address)
            let c;
            if (r.pattern === '/login') {
              c = new Client(base);
              c.csrf = getCsrf((await c.get('/login')).text);
            } else if (r.pattern === '/logout') {
              c = await freshClient(base, role);
            } else {
              c = await as(base, role);
            }
            const p = pathOf(r, shared);
            const fields = v.fields();
            const id = contactRoute ? Number(p.match(/\/(\d+)/)[1]) : null;
            if (v.versioned) fields.version = sql(`SELECT version FROM contacts WHERE id = ${id}`);
            let res;
            if (isApi(r)) {
              res = await c.request(r.method, p, { json: fields, headers: { 'x-csrf-token': c.csrf } });
            } else {
              res = await c.request(r.method, p, { form: { ...fields, csrf_token: c.csrf || '' } });
            }
            const what = `${r.method} ${p} ${isApi(r) ? 'JSON' : 'form'} ${v.what}=${short(pl.value)}`;
            problems.push(...check(res, what));
            if (r.pattern !== '/login' && (res.status === 401 || res.status === 403)) {
              problems.push(`${what}: expected the request to pass the session, permission and csrf checks, got ${res.status}`);
            }
            if (v.stored && res.status < 400) {
              // accepted: the contact must hold the payload verbatim
              let sid = id;
              if (!sid && isApi(r)) sid = res.json().id;
              if (!sid) sid = Number((/\/contacts\/(\d+)/.exec(res.headers.get('location') || '') || [])[1]);
              if (!sid) problems.push(`${what}: accepted (${res.status}) but no contact id in the answer`);
              else {
                // HEX: the mariadb client's batch output escapes backslashes; text fields are stored trimmed of
                // surrounding blanks (contact.c trimmed())
                const want = pl.value.replace(/^[ \t]+|[ \t]+$/g, '');
                const got = Buffer.from(sql(`SELECT HEX(first_name) FROM contacts WHERE id = ${Number(sid)}`), 'hex').toString('utf8');
                if (got !== want) problems.push(`${what}: accepted (${res.status}), stored first_name ${short(got)}, expected ${short(want)}`);
              }
            }
          }
        }
      }
      } finally {
        for (const [id, subject, body] of templates) {
          sql(`UPDATE mail_templates SET subject = UNHEX('${subject}'), body = UNHEX('${body}') WHERE id = ${Number(id)}`);
        }
      }
      if (problems.length) fail(`${problems.length} problem(s):\n${problems.slice(0, 30).join('\n')}`);
    }, { timeout: 180000 });
  }

  test(`[${name}] injection: script payloads stored through the API as first_name are kept verbatim`, async () => {
    const c = await as(base, 'admin');
    for (const [i, v] of SCRIPT_PAYLOADS.entries()) {
      const res = await c.request('POST', '/api/v1/contacts',
        { json: { first_name: v, last_name: `Inj${RUN}s${i}` }, headers: { 'x-csrf-token': c.csrf } });
      const problems = check(res, `POST /api/v1/contacts first_name=${short(v)}`);
      if (problems.length) fail(problems.join('\n'), res);
      ok(res.status === 201 || res.status === 200, `POST /api/v1/contacts first_name=${short(v)}: expected 201, got ${res.status}`, res);
      const body = expectJson(res, 200, 201);
      const id = body.id ?? body.contact?.id;
      ok(id, 'no id in the answer', res);
      eq(sql(`SELECT first_name FROM contacts WHERE id = ${Number(id)}`), v, `stored first_name of contact ${id}`);
    }
  });

  test(`[${name}] injection: afterwards the contacts table answers, users are unchanged, script first_names are shown escaped`, async () => {
    ok(usersBefore != null, 'setup did not count the users');
    let n;
    try { n = Number(sql('SELECT COUNT(*) FROM contacts')); } catch (e) { fail(`SELECT COUNT(*) FROM contacts failed: ${e.message}`); }
    ok(n > 0, 'the contacts table is empty');
    eq(Number(sql('SELECT COUNT(*) FROM users')), usersBefore, 'rows in users after the attack');

    const c = await as(base, 'admin');
    const problems = [];
    let seen = 0;
    for (const v of SCRIPT_PAYLOADS) {
      const lit = `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
      const rows = sql(`SELECT id, active, last_name FROM contacts WHERE first_name = ${lit} AND deleted_at IS NULL `
        + 'AND anonymized_at IS NULL ORDER BY id DESC LIMIT 10').split('\n').filter(Boolean).map((l) => l.split('\t'));
      for (const [id, active, last] of rows) {
        seen += 1;
        const page = await c.get(`/contacts/${id}`);
        problems.push(...check(page, `GET /contacts/${id} (first_name ${short(v)})`));
        if (page.status !== 200) problems.push(`GET /contacts/${id}: expected 200, got ${page.status}`);
        else if (!decodeEntities(page.text).includes(v)) problems.push(`GET /contacts/${id}: first_name ${short(v)} not shown (escaped)`);
        if (active === '1') {
          const list = await c.get(`/contacts?${new URLSearchParams({ q: last })}`);
          problems.push(...check(list, `GET /contacts?q=${short(last)} (first_name ${short(v)})`));
          if (list.status !== 200) problems.push(`GET /contacts?q=…: expected 200, got ${list.status}`);
          else if (!decodeEntities(list.text).includes(v)) problems.push(`GET /contacts?q=${short(last)}: contact ${id} with first_name ${short(v)} not listed (escaped)`);
        }
      }
    }
    ok(seen > 0, 'no contact with a script payload as first_name to look at');
    // marketing lists named by the attack (POST /contacts/lists stores a name as text)
    const mc = await as(base, 'manager');
    const lists = await mc.get('/contacts/lists');
    problems.push(...check(lists, 'GET /contacts/lists (after the attack)'));
    for (const v of SCRIPT_PAYLOADS) {
      const lit = `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
      for (const id of sql(`SELECT id FROM marketing_lists WHERE name = ${lit} ORDER BY id DESC LIMIT 3`).split('\n').filter(Boolean)) {
        const page = await mc.get(`/contacts/lists/${id}`);
        problems.push(...check(page, `GET /contacts/lists/${id} (name ${short(v)})`));
        if (page.status === 200 && !decodeEntities(page.text).includes(v)) problems.push(`GET /contacts/lists/${id}: name ${short(v)} not shown (escaped)`);
      }
    }
    if (problems.length) fail(problems.join('\n'));
  });
}
