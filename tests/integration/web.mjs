// HTTP behaviour of the staff and portal hosts, registered once per web server (nginx, Apache).
import {
  test, ok, eq, expectStatus, expectRedirect, expectJson, expectJsonError,
  Client, submitLogin, getCsrf, parseForm, findTag, rawRequest, elementInner, textOf, crmctl,
} from '../lib/harness.mjs';
import {
  setupUsers, users, PASSWORD, dedicatedUser, admin, adminToken, noRoleToken, adminClient, loginAs,
} from './fixtures.mjs';
import { errorText, totalOf, listRows, nextHref, htmlLang, pageText } from './pages.mjs';

const HEX64 = /^[0-9a-f]{64}$/i;
const SQL_ERROR = /SQL|syntax|mysql|MariaDB/; // "SQL"/"syntax"/"MariaDB" case-sensitive; "mysql" any case below
const SQL_PAYLOADS = ["' OR 1=1 -- ", "1' UNION SELECT password_hash FROM users -- "];
const XSS = '<script>alert(1)</script>';
const XSS_ESCAPED = /(&lt;|&#0*60;|&#x0*3c;)script(&gt;|&#0*62;|&#x0*3e;)alert\(1\)(&lt;|&#0*60;|&#x0*3c;)(\/|&#0*47;|&#x0*2f;)script(&gt;|&#0*62;|&#x0*3e;)/i;

function expectSecurityHeaders(res) {
  const h = res.headers;
  ok(h.get('content-security-policy'), `${res.method} ${res.url}: no Content-Security-Policy header`, res);
  eq((h.get('x-frame-options') || '').toUpperCase(), 'DENY', 'X-Frame-Options', res);
  eq((h.get('x-content-type-options') || '').toLowerCase(), 'nosniff', 'X-Content-Type-Options', res);
  eq((h.get('referrer-policy') || '').toLowerCase(), 'same-origin', 'Referrer-Policy', res);
}

function expectHtml(res) {
  ok(/^text\/html\b/i.test(res.headers.get('content-type') || ''),
    `${res.method} ${res.url}: expected text/html, got ${res.headers.get('content-type')}`, res);
}

function expectNoSqlError(res) {
  const m = res.text.match(SQL_ERROR) || res.text.match(/mysql/i);
  ok(!m, `${res.method} ${res.url}: response mentions ${JSON.stringify(m && m[0])} (database error leaked?)`, res);
  ok(!res.text.includes('$argon2'), `${res.method} ${res.url}: response contains a password hash`, res);
}

function apiClient(base, token) {
  const c = new Client(base);
  if (token) c.headers.authorization = 'Bearer ' + token;
  return c;
}

/** Rows and total of a list page (asserting the list is there). */
function readList(res) {
  expectStatus(res, 200);
  const total = totalOf(res.text);
  ok(total !== null && !Number.isNaN(total), `${res.url}: no readable id="total"`, res);
  let rows = listRows(res.text);
  if (rows === null && total === 0) rows = []; // an empty result may show a message instead of an empty table
  ok(rows !== null, `${res.url}: total ${total} but no <table class="list"> with a <tbody>`, res);
  return { rows, total };
}

async function wrongLogin(c, loginName) {
  return submitLogin(c, loginName, PASSWORD + 'x');
}

export function registerWebTests(server) {
  const { name, staff, portal } = server;
  const T = (title, fn, opts) => test(`[${name}] ${title}`, fn, opts);

  // ------------------------------------------------------------ login page

  T('login page has the login form with login, password and csrf_token fields', async () => {
    const res = expectStatus(await new Client(staff).get('/login'), 200);
    expectHtml(res);
    const form = findTag(res.text, 'form', { action: '/login' });
    ok(form, 'no <form action="/login">', res);
    eq((form.attrs.method || '').toLowerCase(), 'post', 'login form method', res);
    const f = parseForm(res.text, { action: '/login' });
    ok(findTag(f.inner, 'input', { name: 'login' }), 'no input name="login" in the form', res);
    ok(findTag(f.inner, 'input', { name: 'password', type: 'password' }), 'no input name="password" type="password"', res);
    const csrf = findTag(f.inner, 'input', { name: 'csrf_token' });
    ok(csrf && (csrf.attrs.type || '').toLowerCase() === 'hidden' && csrf.attrs.value, 'no hidden csrf_token with a value', res);
  });

  T('login page sends security headers (CSP, X-Frame-Options DENY, nosniff, Referrer-Policy)', async () => {
    const res = expectStatus(await new Client(staff).get('/login'), 200);
    expectSecurityHeaders(res);
    const csp = res.headers.get('content-security-policy');
    ok(/default-src|script-src/.test(csp), `CSP without default-src/script-src: ${csp}`, res);
    ok(!/script-src[^;]*'unsafe-inline'/.test(csp), `CSP allows inline scripts: ${csp}`, res);
  });

  T('login page sets the crm_csrf cookie (double-submit token of the form)', async () => {
    const c = new Client(staff);
    const res = expectStatus(await c.get('/login'), 200);
    const ck = res.cookie('crm_csrf');
    ok(ck && ck.value, 'no crm_csrf cookie on GET /login', res);
    ok(getCsrf(res.text), 'no csrf_token in the page', res);
  });

  T('login with right password redirects to /contacts and the list shows', async () => {
    const c = new Client(staff);
    const res = await submitLogin(c, admin.login(), admin.password());
    expectRedirect(res, '/contacts');
    const list = await c.get('/contacts');
    expectStatus(list, 200);
    ok(listRows(list.text) !== null, 'no contact list after login', list);
  });

  T('session cookie is 64 hex chars, HttpOnly, SameSite=Lax, Path=/', async () => {
    const c = new Client(staff);
    const res = await submitLogin(c, admin.login(), admin.password());
    expectStatus(res, 303);
    const ck = res.cookie('crm_session');
    ok(ck, 'login response sets no crm_session cookie', res);
    ok(HEX64.test(ck.value), `crm_session is not 64 hex chars: ${ck.value}`, res);
    ok(ck.attrs.httponly === true, `crm_session without HttpOnly: ${ck.raw}`, res);
    eq(String(ck.attrs.samesite || '').toLowerCase(), 'lax', `SameSite of ${ck.raw}`, res);
    eq(ck.attrs.path, '/', `Path of ${ck.raw}`, res);
  });

  T('login issues a new session value (a session id planted before login is not kept)', async () => {
    const planted = 'ab'.repeat(32);
    const c = new Client(staff);
    c.setCookie('crm_session', planted);
    const page = await c.get('/login');
    expectStatus(page, 200);
    const before = new Set([planted, ...page.setCookies.map((x) => x.value)]);
    const res = await submitLogin(c, admin.login(), admin.password());
    expectStatus(res, 303);
    const ck = res.cookie('crm_session');
    ok(ck && ck.value, 'login response sets no crm_session cookie', res);
    ok(!before.has(ck.value), `session value ${ck.value} was already set before login`, res);
    // the planted id must not have become a logged-in session
    const attacker = new Client(staff);
    attacker.setCookie('crm_session', planted);
    expectRedirect(await attacker.get('/contacts'), /^\/login(\?|$)/);
  });

  // ------------------------------------------------------------ redirects after login

  T('login honours next for a local path', async () => {
    const c = new Client(staff);
    const next = '/contacts?active=all';
    const res = await submitLogin(c, admin.login(), admin.password(), { next });
    expectRedirect(res, next);
  });

  for (const evil of ['//evil.example', 'http://evil.example', '/\\evil.example']) {
    T(`login ignores next=${evil} (no open redirect)`, async () => {
      // as a victim following a link /login?next=...
      const c = new Client(staff);
      const res = await submitLogin(c, admin.login(), admin.password(), { next: evil });
      expectStatus(res, 303);
      const u = expectRedirect(res, undefined);
      ok(!/evil\.example/i.test(res.location), `Location ${res.location} points to the attacker`, res);
      eq(u.pathname, '/contacts', `Location ${res.location}`, res);
      // and with next posted directly in the form body
      const c2 = new Client(staff);
      const res2 = await submitLogin(c2, admin.login(), admin.password(), { extra: { next: evil } });
      ok(res2.status === 303, `POST /login with next=${evil} in the form body and the right password: `
        + `expected 303 to /contacts (next ignored), got ${res2.status}`, res2);
      const u2 = expectRedirect(res2, undefined);
      ok(!/evil\.example/i.test(res2.location), `Location ${res2.location} points to the attacker`, res2);
      eq(u2.pathname, '/contacts', `Location ${res2.location} (next in the form body)`, res2);
    });
  }

  // ------------------------------------------------------------ wrong credentials, throttling

  T('wrong password gives 401 with the form and an error', async () => {
    const who = await dedicatedUser(`wrong${name}`);
    const res = await wrongLogin(new Client(staff), who);
    expectStatus(res, 401);
    expectHtml(res);
    ok(findTag(res.text, 'form', { action: '/login' }), 'no login form on the 401 page', res);
    const err = errorText(res.text);
    ok(err, 'no class="error" message', res);
    ok(!res.cookie('crm_session') || !res.cookie('crm_session').value, 'a session cookie was set on a failed login', res);
  });

  T('unknown user gets the same status and message as a wrong password (no user enumeration)', async () => {
    const who = await dedicatedUser(`enum${name}`);
    const wrong = await wrongLogin(new Client(staff), who);
    const unknown = await wrongLogin(new Client(staff), `nobody${who}`);
    expectStatus(wrong, 401);
    eq(unknown.status, wrong.status, 'status for an unknown user', unknown);
    const a = errorText(wrong.text);
    const b = errorText(unknown.text);
    ok(a, 'no error message for a wrong password', wrong);
    eq(b, a, 'error message for an unknown user', unknown);
  });

  T('after 5 wrong passwords the 6th login is throttled (429) even with the right password', async () => {
    const who = await dedicatedUser(`thr${name}`);
    for (let i = 1; i <= 5; i++) {
      const res = await wrongLogin(new Client(staff), who);
      ok(res.status === 401, `wrong password attempt ${i}: expected 401, got ${res.status}`, res);
    }
    const c = new Client(staff);
    const res = await submitLogin(c, who, PASSWORD);
    expectStatus(res, 429);
    ok(!c.jar.has('crm_session'), 'a throttled login set a session cookie', res);
  });

  T('a password set with crmctl user passwd lifts the throttle of failed sign-ins', async () => {
    const who = await dedicatedUser(`thc${name}`);
    for (let i = 1; i <= 5; i++) expectStatus(await wrongLogin(new Client(staff), who), 401);
    expectStatus(await submitLogin(new Client(staff), who, PASSWORD), 429);
    await crmctl(['user', 'passwd', who, '--password-stdin'], `${PASSWORD}\n`);
    const c = new Client(staff);
    const res = await submitLogin(c, who, PASSWORD);
    ok(res.status === 303 && c.jar.has('crm_session'), `after crmctl user passwd: expected a session (303), got ${res.status}`, res);
  });

  // ------------------------------------------------------------ CSRF

  T('POST /login without csrf_token is refused with 403', async () => {
    await setupUsers();
    const c = new Client(staff);
    expectStatus(await c.get('/login'), 200); // has the crm_csrf cookie, but the form field is missing
    const res = await c.post('/login', { form: { login: users.sales, password: PASSWORD } });
    expectStatus(res, 403);
    ok(!c.jar.has('crm_session'), 'a session cookie was set without csrf_token', res);
  });

  T('POST /login with a wrong csrf_token is refused with 403', async () => {
    await setupUsers();
    const c = new Client(staff);
    expectStatus(await c.get('/login'), 200);
    const res = await c.post('/login', { form: { login: users.sales, password: PASSWORD, csrf_token: 'f'.repeat(64) } });
    expectStatus(res, 403);
    ok(!c.jar.has('crm_session'), 'a session cookie was set with a wrong csrf_token', res);
  });

  T('POST /logout without or with a wrong csrf_token is refused (403) and the session still works', async () => {
    const c = await loginAs(staff, 'sales');
    expectStatus(await c.get('/contacts'), 200);
    const none = await c.post('/logout', { form: {} });
    expectStatus(none, 403);
    const wrong = await c.post('/logout', { form: { csrf_token: '0'.repeat(64) } });
    expectStatus(wrong, 403);
    expectStatus(await c.get('/contacts'), 200);
  });

  T('API POST with a session cookie but no X-CSRF-Token is refused with 403 csrf', async () => {
    const c = await adminClient(staff);
    const res = await c.post('/api/v1/contacts', { json: {} });
    expectJsonError(res, 403, 'csrf');
    const res2 = await c.post('/api/v1/contacts', { json: {}, headers: { 'x-csrf-token': 'e'.repeat(64) } });
    expectJsonError(res2, 403, 'csrf');
  });

  // ------------------------------------------------------------ logout, anonymous access

  T('logout redirects to /login and the old session cookie no longer works', async () => {
    const c = await loginAs(staff, 'logout');
    const page = await c.page('/contacts');
    expectStatus(page, 200);
    ok(c.csrf, 'no csrf token on /contacts', page);
    const old = c.jar.get('crm_session');
    const res = await c.post('/logout', { form: { csrf_token: c.csrf } });
    expectRedirect(res, /^\/login(\?|$)/);
    const replay = new Client(staff);
    replay.setCookie('crm_session', old);
    expectRedirect(await replay.get('/contacts'), /^\/login(\?|$)/);
  });

  T('unauthenticated GET /contacts redirects to /login?next=%2Fcontacts', async () => {
    expectRedirect(await new Client(staff).get('/contacts'), '/login?next=%2Fcontacts');
  });

  T('GET / redirects (303); logged in it goes to /contacts', async () => {
    expectStatus(await new Client(staff).get('/'), 303);
    const c = await adminClient(staff);
    expectRedirect(await c.get('/'), '/contacts');
  });

  // ------------------------------------------------------------ permissions

  T('user without roles gets 403 on /contacts', async () => {
    const c = await loginAs(staff, 'norole');
    const res = await c.get('/contacts');
    expectStatus(res, 403);
    expectHtml(res);
    ok(listRows(res.text) === null, 'the 403 page shows a contact list', res);
  });

  T('user without roles gets 403 forbidden from GET /api/v1/contacts with a token', async () => {
    const res = await apiClient(staff, await noRoleToken()).get('/api/v1/contacts');
    const body = expectJsonError(res, 403, 'forbidden');
    ok(!('items' in body), 'forbidden answer carries items', res);
  });

  T('crm_sales gets 403 on /settings', async () => {
    const c = await loginAs(staff, 'sales');
    expectStatus(await c.get('/settings'), 403);
  });

  T('crm_admin gets 200 on /settings', async () => {
    const c = await loginAs(staff, 'admin');
    const res = expectStatus(await c.get('/settings'), 200);
    expectHtml(res);
  });

  T('crm_marketeer can view /contacts', async () => {
    const c = await loginAs(staff, 'marketeer');
    const { rows } = readList(await c.get('/contacts'));
    ok(rows.length > 0, 'no rows for crm_marketeer');
  });

  // ------------------------------------------------------------ contact list

  T('contact list shows a total > 0 and rows in tbody', async () => {
    const c = await adminClient(staff);
    const res = await c.get('/contacts');
    expectSecurityHeaders(res);
    const { rows, total } = readList(res);
    ok(total > 0, `total is ${total}`, res);
    ok(rows.length > 0, 'no rows in tbody', res);
    ok(rows.length <= total, `${rows.length} rows but total ${total}`, res);
  });

  T('search q finds a contact by a last name taken from the API', async () => {
    const api = apiClient(staff, await adminToken());
    const body = expectJson(await api.get('/api/v1/contacts?limit=50'), 200);
    const withName = (body.items || []).filter((x) => typeof x.last_name === 'string' && /^[A-Za-z]{3,}$/.test(x.last_name));
    ok(withName.length, 'API list has no contact with a plain last_name to search for');
    const pick = withName[Math.floor(withName.length / 2)];
    const c = await adminClient(staff);
    const all = readList(await c.get('/contacts'));
    const res = await c.get('/contacts?q=' + encodeURIComponent(pick.last_name));
    const { rows, total } = readList(res);
    ok(rows.length > 0, `search for ${pick.last_name} found no rows`, res);
    ok(rows.some((r) => r.text.toLowerCase().includes(pick.last_name.toLowerCase())),
      `no row shows ${pick.last_name}`, res);
    ok(total >= 1 && total <= all.total, `search total ${total} vs list total ${all.total}`, res);
    ok(total < all.total, `search for ${pick.last_name} did not narrow the list (total ${total})`, res);
  });

  T('paging via the rel="next" link gives different rows', async () => {
    const c = await adminClient(staff);
    const first = await c.get('/contacts');
    const p1 = readList(first);
    ok(p1.total > p1.rows.length, `only ${p1.total} contacts: cannot page`, first);
    const href = nextHref(first.text);
    ok(href, 'no rel="next" link although total > rows shown', first);
    const second = await c.get(new URL(href, first.url).toString());
    const p2 = readList(second);
    ok(p2.rows.length > 0, 'next page has no rows', second);
    const keys = new Set(p1.rows.map((r) => r.key));
    const dup = p2.rows.filter((r) => keys.has(r.key));
    ok(dup.length === 0, `next page repeats ${dup.length} rows of the first (${dup[0] && dup[0].key})`, second);
  });

  T('active toggle: inactive and all lists answer 200, all >= active', async () => {
    const c = await adminClient(staff);
    const active = readList(await c.get('/contacts'));
    const inactive = readList(await c.get('/contacts?active=0'));
    const all = readList(await c.get('/contacts?active=all'));
    ok(all.total >= active.total, `active=all total ${all.total} < active total ${active.total}`);
    ok(all.total >= inactive.total, `active=all total ${all.total} < inactive total ${inactive.total}`);
    ok(active.total + inactive.total === all.total || all.total >= 10000,
      `active ${active.total} + inactive ${inactive.total} != all ${all.total}`);
  });

  // ------------------------------------------------------------ JSON API

  T('API list with a Bearer token answers 200 application/json with items, total, next', async () => {
    const res = await apiClient(staff, await adminToken()).get('/api/v1/contacts');
    const body = expectJson(res, 200);
    expectSecurityHeaders(res);
    ok(Array.isArray(body.items), 'items is not an array', res);
    ok(Number.isInteger(body.total) && body.total > 0, `total is ${JSON.stringify(body.total)}`, res);
    ok('next' in body && (body.next === null || typeof body.next === 'string'), 'next is not a string or null', res);
    ok(body.items.length > 0 && body.items.length <= body.total, `${body.items.length} items, total ${body.total}`, res);
    ok(body.items.every((x) => x && x.id !== undefined), 'an item has no id', res);
  });

  T('API next cursor gives the next page without overlap', async () => {
    const api = apiClient(staff, await adminToken());
    const p1 = expectJson(await api.get('/api/v1/contacts?limit=5'), 200);
    eq(p1.items.length, 5, 'items with limit=5');
    ok(typeof p1.next === 'string' && p1.next, `next is ${JSON.stringify(p1.next)} with total ${p1.total}`);
    const r2 = await api.get('/api/v1/contacts?limit=5&after=' + encodeURIComponent(p1.next));
    const p2 = expectJson(r2, 200);
    ok(p2.items.length > 0, 'second page is empty', r2);
    const ids = new Set(p1.items.map((x) => String(x.id)));
    const dup = p2.items.filter((x) => ids.has(String(x.id)));
    ok(dup.length === 0, `second page repeats ids ${dup.map((x) => x.id).join(',')}`, r2);
    eq(p2.total, p1.total, 'total on the second page', r2);
  });

  T('API without a token answers 401 unauthorized JSON', async () => {
    const res = await new Client(staff).get('/api/v1/contacts');
    expectJsonError(res, 401, 'unauthorized');
    expectSecurityHeaders(res);
  });

  T('API with a bad token answers 401', async () => {
    expectJsonError(await apiClient(staff, 'x'.repeat(64)).get('/api/v1/contacts'), 401, 'unauthorized');
    const real = await adminToken();
    const tampered = real.slice(0, -1) + (real.endsWith('a') ? 'b' : 'a');
    expectJsonError(await apiClient(staff, tampered).get('/api/v1/contacts'), 401, 'unauthorized');
  });

  T('API limit=abc (and 0, 501) answers 422 invalid with error.fields.limit', async () => {
    const api = apiClient(staff, await adminToken());
    for (const limit of ['abc', '0', '501']) {
      const res = await api.get('/api/v1/contacts?limit=' + limit);
      const body = expectJsonError(res, 422, 'invalid');
      ok(body.error.fields && typeof body.error.fields.limit === 'string' && body.error.fields.limit,
        `limit=${limit}: no error.fields.limit`, res);
    }
  });

  T('unknown API path /api/v1/nope answers 404 JSON not_found', async () => {
    const res = await apiClient(staff, await adminToken()).get('/api/v1/nope');
    expectJsonError(res, 404, 'not_found');
  });

  // ------------------------------------------------------------ injection

  for (const q of SQL_PAYLOADS) {
    T(`search q=${JSON.stringify(q)} answers 200, no SQL error, no rows`, async () => {
      const c = await adminClient(staff);
      const res = await c.get('/contacts?q=' + encodeURIComponent(q));
      expectNoSqlError(res);
      const { rows, total } = readList(res);
      eq(rows.length, 0, 'rows', res);
      eq(total, 0, 'total', res);
    });
  }

  T('search q=<script>alert(1)</script> is shown escaped, never raw', async () => {
    const c = await adminClient(staff);
    const res = expectStatus(await c.get('/contacts?q=' + encodeURIComponent(XSS)), 200);
    ok(!res.text.includes('<script>alert(1)'), 'the page contains the raw <script>alert(1)', res);
    ok(XSS_ESCAPED.test(res.text), 'the page does not show the escaped query (&lt;script&gt;alert(1)&lt;/script&gt;)', res);
  });

  T('injection payloads in the API q answer valid JSON without rows', async () => {
    const api = apiClient(staff, await adminToken());
    for (const q of [...SQL_PAYLOADS, XSS]) {
      const res = await api.get('/api/v1/contacts?q=' + encodeURIComponent(q));
      const body = expectJson(res, 200);
      expectNoSqlError(res);
      ok(Array.isArray(body.items), `q=${q}: items is not an array`, res);
      eq(body.items.length, 0, `q=${q}: items`, res);
      eq(body.total, 0, `q=${q}: total`, res);
    }
  });

  // ------------------------------------------------------------ language

  T('POST /lang language=it shows the UI in Italian, and back to English', async () => {
    const c = await loginAs(staff, 'lang');
    const en0 = await c.page('/contacts');
    expectStatus(en0, 200);
    const it = await c.post('/lang', { form: { language: 'it', next: '/contacts', csrf_token: c.csrf } });
    expectRedirect(it, '/contacts');
    const itPage = await c.page('/contacts');
    expectStatus(itPage, 200);
    eq(htmlLang(itPage.text), 'it', '<html lang>', itPage);
    const itText = pageText(itPage.text);
    const words = ['Contatti', 'Cerca', 'Esci', 'Cognome', 'Impostazioni', 'Totale', 'Successiv'];
    ok(words.some((w) => itText.includes(w)), `no Italian word (${words.join(', ')}) on the page`, itPage);
    const h1 = (html) => textOf(elementInner(html, 'h1'));
    ok(h1(itPage.text) && h1(itPage.text) !== h1(en0.text), `heading not translated: ${h1(itPage.text)}`, itPage);
    const en = await c.post('/lang', { form: { language: 'en', next: '/contacts', csrf_token: c.csrf } });
    expectRedirect(en, '/contacts');
    const enPage = await c.page('/contacts');
    eq(htmlLang(enPage.text), 'en', '<html lang> after switching back', enPage);
    ok(pageText(enPage.text).includes('Contacts'), 'no "Contacts" on the English page', enPage);
  });

  // ------------------------------------------------------------ portal host

  T('portal login page has a form with email, password and csrf_token', async () => {
    const res = expectStatus(await new Client(portal).get('/login'), 200);
    expectHtml(res);
    expectSecurityHeaders(res);
    const f = parseForm(res.text, { action: /login/ }) || parseForm(res.text);
    ok(f, 'no form on the portal login page', res);
    ok(findTag(f.inner, 'input', { name: 'email' }), 'no input name="email"', res);
    ok(findTag(f.inner, 'input', { name: 'password' }), 'no input name="password"', res);
    ok(getCsrf(f.inner), 'no csrf_token in the portal login form', res);
  });

  T('portal host does not serve staff pages (GET /contacts → 404)', async () => {
    expectStatus(await new Client(portal).get('/contacts'), 404);
  });

  T('portal does not accept a staff session cookie', async () => {
    const c = await loginAs(staff, 'sales');
    const session = c.jar.get('crm_session');
    const anon = await new Client(portal).get('/');
    const withStaff = new Client(portal);
    // the staff session value under the staff cookie name and under portal-like names
    for (const n of ['crm_session', 'crm_portal', 'crm_portal_session']) withStaff.setCookie(n, session);
    const res = await withStaff.get('/');
    eq(res.status, anon.status, 'status of portal / with a staff cookie vs anonymous', res);
    eq(res.location, anon.location, 'Location of portal / with a staff cookie vs anonymous', res);
    ok(!res.text.includes(users.sales), 'portal page shows the staff user', res);
    const lp = await withStaff.get('/login');
    expectStatus(lp, 200);
    ok(findTag(lp.text, 'input', { name: 'email' }), 'portal /login with a staff cookie shows no login form', lp);
  });

  // ------------------------------------------------------------ robustness

  T('30 MB POST /login is refused with 413 or a clean 4xx, and the next request works', async () => {
    const r = await rawRequest(staff + '/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, bodySize: 30 * 1024 * 1024,
    });
    ok(!r.error, `no HTTP answer to a 30 MB body: connection error ${r.error}`);
    ok(r.status >= 400 && r.status < 500, `30 MB body answered ${r.status}`, r);
    expectStatus(await new Client(staff).get('/login'), 200);
  });

  T('5 MB POST /login (below the web server limit) gets a clean 4xx, and the next request works', async () => {
    const r = await rawRequest(staff + '/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, bodySize: 5 * 1024 * 1024,
    });
    ok(!r.error, `no HTTP answer to a 5 MB body: connection error ${r.error}`);
    ok(r.status >= 400 && r.status < 500, `5 MB body answered ${r.status}`, r);
    expectStatus(await new Client(staff).get('/login'), 200);
  });

  T('malformed requests get a clean 4xx, never a 5xx', async () => {
    const c = await adminClient(staff);
    const cases = [
      ['GET', '/contacts?after=%ff%fe garbage'],
      ['GET', '/contacts?active=maybe'],
      ['GET', '/contacts/99999999999999999999'],
      ['GET', '/contacts/abc'],
    ];
    for (const [method, path] of cases) {
      const res = await c.request(method, path);
      ok(res.status < 500, `${method} ${path} answered ${res.status}`, res);
    }
    const api = apiClient(staff, await adminToken());
    const bad = await api.get('/api/v1/contacts?after=%00%ff');
    ok(bad.status < 500, `API after=garbage answered ${bad.status}`, bad);
    const badJson = await api.post('/api/v1/contacts', { body: '{"first_name": ', headers: { 'content-type': 'application/json' } });
    ok(badJson.status >= 400 && badJson.status < 500, `API POST with broken JSON answered ${badJson.status}`, badJson);
    expectJson(badJson);
  });

  T('worker killed with SIGKILL: requests keep succeeding and a new worker appears', async () => {
    const { killWorkerAndCheck } = await import('./resilience.mjs');
    await killWorkerAndCheck(staff);
  });
}
