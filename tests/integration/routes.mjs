// Route permission matrix (SPEC §2), generated from the programs' own route tables (`<module>.fcgi --routes`), so a
// route added to a module is covered without touching this file:
//   - every non-public staff route × five users (four roles and a user without role): refused with 403 exactly when
//     the route's permission does not admit the role, let through (not 403) when it does;
//   - every state-changing staff route refuses a missing or a wrong csrf token (403; API: JSON code "csrf");
//   - every non-public route without a session: HTML GET 303 to /login?next=…, API 401 unauthorized, other 401/403;
//   - the portal host answers 404 for every staff route and guards its own portal routes.
// No answer in any of these may be a 5xx.
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  test, ok, eq, expectStatus, expectRedirect, expectJsonError, fail, Client, login, getCsrf, env,
} from '../lib/harness.mjs';
import { once, dedicatedUser, PASSWORD, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';

// ------------------------------------------------------------------ route tables

const PERMS = ['public', 'login', 'work', 'manage', 'marketing', 'export', 'admin', 'portal'];

/** `METHOD\tPATTERN\tPERM` lines of one program → [{method, pattern, perm, module}]. */
export function routeTable(module) {
  const bin = path.join(process.env.CRM_BIN || path.join(env('CRM_ROOT'), 'build'), `${module}.fcgi`);
  const out = execFileSync(bin, ['--routes'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l.trim()).map((l) => {
    const [method, pattern, perm] = l.split('\t');
    return { method, pattern, perm, module, line: l };
  });
}

/** Every route of the staff programs, core routes (present in each table) once. */
export function staffRoutes() {
  const seen = new Map();
  for (const m of ['contacts', 'connections', 'settings']) {
    for (const r of routeTable(m)) {
      const k = `${r.method} ${r.pattern}`;
      if (!seen.has(k)) seen.set(k, r);
    }
  }
  return [...seen.values()];
}

// ------------------------------------------------------------------ the matrix (modules/core/perm.c)

const ROLES = ['admin', 'manager', 'sales', 'marketeer', 'norole'];
export const ROLE_NAME = { admin: 'crm_admin', manager: 'crm_manager', sales: 'crm_sales', marketeer: 'crm_marketeer', norole: 'no role' };
export const ALLOWED = {
  public: ROLES,
  login: ROLES,
  work: ['admin', 'manager', 'sales', 'marketeer'],
  manage: ['admin', 'manager'],
  marketing: ['manager', 'sales'],
  export: ['admin', 'manager', 'sales', 'marketeer'],
  admin: ['admin'],
  portal: [],
};

function roleUser(role) {
  return dedicatedUser('r' + role, role === 'norole' ? [] : [ROLE_NAME[role]]);
}

/** A fresh logged-in client of `role` with its csrf token in c.csrf (from /contacts, any status, or its 403 page). */
export async function freshClient(base, role) {
  const c = await login(base, await roleUser(role), PASSWORD);
  const res = await c.get('/contacts');
  noServerError(res);
  const t = getCsrf(res.text);
  ok(t, `${ROLE_NAME[role]}: no csrf_token on GET /contacts (status ${res.status})`, res);
  c.csrf = t;
  return c;
}

/** The shared logged-in client of `role` on `base`. */
function as(base, role) { return once(`routes-client:${base}:${role}`, () => freshClient(base, role)); }

// ------------------------------------------------------------------ data behind '#'

let seq = 0;
/** A throwaway contact (stored directly); in the recycle bin when binned. */
export function newContact(binned = false) {
  seq += 1;
  const last = `Rt${RUN}c${seq}`;
  const extra = binned ? ', active = 0, deleted_at = NOW()' : '';
  return Number(sql(`INSERT INTO contacts SET first_name = 'Route', last_name = '${last}', status = 'contact'${extra}; `
    + 'SELECT LAST_INSERT_ID()'));
}

export function newList() {
  seq += 1;
  return Number(sql(`INSERT INTO marketing_lists SET name = 'Rt${RUN}l${seq}'; SELECT LAST_INSERT_ID()`));
}

/** A throwaway staff user without roles (settings routes on '#' change users). */
export function newUser() {
  seq += 1;
  return Number(sql(`INSERT INTO users SET login = 'rt${RUN}u${seq}', display_name = 'Route ${seq}'; SELECT LAST_INSERT_ID()`));
}

/** A throwaway API token of a user (never usable: its hash matches no token). */
export function newToken(userId) {
  seq += 1;
  return Number(sql(`INSERT INTO api_tokens SET user_id = ${Number(userId)}, token_hash = SHA2('rt${RUN}t${seq}', 256), `
    + "label = 'route'; SELECT LAST_INSERT_ID()"));
}

/** A throwaway failed mail (Retry sends it to the test SMTP sink). */
export function newMail() {
  seq += 1;
  return Number(sql(`INSERT INTO outbox SET to_addr = 'rt${RUN}m${seq}@example.test', subject = 'Route test', body = 'x', `
    + "status = 'failed', last_error = 'route test'; SELECT LAST_INSERT_ID()"));
}

/** A throwaway additional field (inactive, so it never shows on the forms other tests use). */
export function newField() {
  seq += 1;
  return Number(sql(`INSERT INTO custom_fields SET field_key = 'rt${RUN.toLowerCase()}f${seq}', label_en = 'Route test', `
    + "type = 'text', active = 0; SELECT LAST_INSERT_ID()"));
}

/** A throwaway consent (inactive) with its first text version. */
export function newConsent() {
  seq += 1;
  const id = Number(sql(`INSERT INTO consents SET code = 'rt${RUN.toLowerCase()}c${seq}', title_en = 'Route test', `
    + 'active = 0; SELECT LAST_INSERT_ID()'));
  sql(`INSERT INTO consent_versions SET consent_id = ${id}, version = 1, text_en = 'Route test', text_it = ''`);
  return id;
}

/** A throwaway ticket of a throwaway contact (staff ticket routes on '#'). */
export function newTicket() {
  const contact = newContact();
  return Number(sql(`INSERT INTO tickets SET contact_id = ${contact}, subject = 'Route test', description = 'x'; SELECT LAST_INSERT_ID()`));
}

/** A throwaway document row (its file does not exist: a download answers 404). */
export function newDocument() {
  seq += 1;
  return Number(sql(`INSERT INTO documents SET stored_name = SHA2('rt${RUN}d${seq}', 256), original_name = 'route.txt', `
    + "kind = 'txt', mime = 'text/plain; charset=utf-8', size = 1, sha256 = SHA2('x', 256); SELECT LAST_INSERT_ID()"));
}

export const isDocumentRoute = (r) => /\/documents\/#/.test(r.pattern);

export const isTicketRoute = (r) => /\/tickets\/#/.test(r.pattern);

export const isSettingsRoute = (r) => /^\/(api\/v1\/)?settings\//.test(r.pattern);

/** The path of a settings route with real ids: a throwaway user (userId, else a new one) and its token, an email
 *  template (there is one row per code and language, so the route tests edit a real one: see injection.mjs), a
 *  throwaway mail. */
export function settingsPath(r, userId = null) {
  let p = r.pattern;
  if (/settings\/users\/#/.test(p)) {
    const uid = userId ?? newUser();
    p = p.replace('#', String(uid));
    if (p.includes('#')) p = p.replace('#', String(newToken(uid)));
  } else if (/email-templates\/#/.test(p)) {
    p = p.replace('#', sql('SELECT MIN(id) FROM mail_templates'));
  } else if (/outbox\/#/.test(p)) {
    p = p.replace('#', String(newMail()));
  } else if (/settings\/fields\/#/.test(p)) {
    p = p.replace('#', String(newField()));
  } else if (/settings\/consents\/#/.test(p)) {
    p = p.replace('#', String(newConsent()));
  }
  return p;
}

export const isApi = (r) => r.pattern.startsWith('/api/');
export const isListRoute = (r) => /\/(marketing-lists|contacts\/lists)\/#/.test(r.pattern);
export const stateChanging = (r) => r.method !== 'GET' && r.method !== 'HEAD';

/** The path of a route with '#' replaced by a fresh id of the right kind (a list id for list routes). */
function pathOf(r, shared) {
  if (!r.pattern.includes('#')) return r.pattern;
  if (isSettingsRoute(r)) return settingsPath(r);
  if (isTicketRoute(r)) return r.pattern.replace('#', String(newTicket()));
  if (isDocumentRoute(r)) return r.pattern.replace('#', String(newDocument()));
  let id;
  if (isListRoute(r)) id = stateChanging(r) ? newList() : shared.list;
  else if (stateChanging(r)) id = newContact(/restore/.test(r.pattern));
  else id = shared.contact;
  return r.pattern.replace(/#/g, String(id));
}

const sharedIds = () => once('routes-ids', () => ({ contact: newContact(), list: newList() }));

/** Send the route's request: GET plain; HTML forms a urlencoded body (csrf_token unless null); API a JSON `{}` body
 *  (X-CSRF-Token header unless null). */
function send(c, r, p, csrf) {
  if (!stateChanging(r)) return c.request(r.method, p);
  if (isApi(r)) {
    const headers = csrf == null ? {} : { 'x-csrf-token': csrf };
    return c.request(r.method, p, { json: {}, headers });
  }
  return c.request(r.method, p, { form: csrf == null ? {} : { csrf_token: csrf } });
}

function label(r, p) { return `${r.method} ${p}`; }

function noServerError(res) {
  ok(res.status < 500, `${res.method} ${res.url}: server error ${res.status}`, res);
}

// ------------------------------------------------------------------ tests

export function registerRouteTests(name, base, portalBase) {
  let routes = [];
  let portalRoutes = [];
  let tableError = null;
  try {
    routes = staffRoutes();
    portalRoutes = routeTable('portal');
  } catch (e) {
    tableError = e;
  }

  test(`[${name}] route tables: every program prints METHOD<TAB>PATTERN<TAB>PERM lines with known permissions`, () => {
    if (tableError) throw tableError;
    ok(routes.length > 10, `only ${routes.length} staff routes`);
    ok(portalRoutes.length > 0, 'portal prints no route');
    for (const r of [...routes, ...portalRoutes]) {
      ok(r.method && r.pattern && r.pattern.startsWith('/'), `malformed route line: ${JSON.stringify(r.line)}`);
      ok(PERMS.includes(r.perm), `unknown permission in ${r.module}: ${JSON.stringify(r.line)}`);
    }
  });

  // 1. the permission matrix, five users per route
  for (const r of routes.filter((x) => x.perm !== 'public' && x.perm !== 'portal')) {
    const allowed = ALLOWED[r.perm] || [];
    const refused = ROLES.filter((x) => !allowed.includes(x));
    const desc = [
      refused.length ? `${refused.map((x) => ROLE_NAME[x]).join(', ')} refused (403)` : '',
      allowed.length ? `${allowed.map((x) => ROLE_NAME[x]).join(', ')} allowed` : '',
    ].filter(Boolean).join('; ');
    test(`[${name}] route ${r.method} ${r.pattern} (${r.perm}): ${desc}`, async () => {
      const shared = await sharedIds();
      const problems = [];
      // allowed roles last, so a destructive request of an allowed role does not change what a refused one sees
      for (const role of [...refused, ...allowed]) {
        // POST /logout ends the session: a fresh client, so the shared one stays signed in
        const c = r.pattern === '/logout' ? await freshClient(base, role) : await as(base, role);
        const p = pathOf(r, shared);
        const res = await send(c, r, p, c.csrf);
        if (res.status >= 500) problems.push(`${ROLE_NAME[role]}: ${label(r, p)} → ${res.status} (server error)`);
        else if (!allowed.includes(role) && res.status !== 403) {
          problems.push(`${ROLE_NAME[role]}: ${label(r, p)} expected 403, got ${res.status}`);
        } else if (allowed.includes(role) && (res.status === 403 || res.status === 401)) {
          problems.push(`${ROLE_NAME[role]}: ${label(r, p)} expected to pass the permission check, got ${res.status}`
            + ` (${res.text.replace(/\s+/g, ' ').slice(0, 160)})`);
        }
      }
      if (problems.length) fail(problems.join('\n'));
    });
  }

  // 2. csrf: missing and wrong token, with a signed-in user the route admits (crm_admin unless the permission leaves
  // it out, e.g. marketing), so that the 403 comes from the csrf check and not from the permission check
  for (const r of routes.filter((x) => stateChanging(x) && !(x.method === 'POST' && x.pattern === '/login'))) {
    const allowed = ALLOWED[r.perm] || [];
    const role = allowed.includes('admin') ? 'admin' : allowed[0] || 'admin';
    test(`[${name}] csrf ${r.method} ${r.pattern}: ${ROLE_NAME[role]} without a token and with a wrong token → 403`
      + (isApi(r) ? ' JSON csrf' : ''), async () => {
      const shared = await sharedIds();
      // a request let through by mistake may end the session (logout): a fresh client for every route
      const c = await freshClient(base, role);
      for (const [what, token] of [['no token', null], ['wrong token', 'x' + c.csrf.slice(1).split('').reverse().join('')]]) {
        const p = pathOf(r, shared);
        const res = await send(c, r, p, token);
        noServerError(res);
        if (res.status !== 403) fail(`${what}: ${label(r, p)} expected 403, got ${res.status}`, res);
        if (isApi(r)) expectJsonError(res, 403, 'csrf');
      }
    });
  }

  // 3. no session, no token
  for (const r of routes.filter((x) => x.perm !== 'public' && x.perm !== 'portal')) {
    const want = !stateChanging(r) && !isApi(r) ? '303 to /login?next=…' : isApi(r) ? '401 JSON unauthorized' : '401 or 403';
    test(`[${name}] anonymous ${r.method} ${r.pattern}: ${want}`, async () => {
      const shared = await sharedIds();
      const c = new Client(base);
      const p = pathOf(r, shared);
      const res = await send(c, r, p, null);
      noServerError(res);
      if (isApi(r)) {
        expectJsonError(res, 401, 'unauthorized');
      } else if (!stateChanging(r)) {
        const u = expectRedirect(res, /^\/login\?next=/);
        eq(u.searchParams.get('next'), p, `${label(r, p)}: next parameter of ${res.location}`, res);
      } else {
        expectStatus(res, 401, 403);
      }
    });
  }

  // 4. the portal host: no staff route, portal routes guarded
  const portalKeys = new Set(portalRoutes.map((r) => `${r.method} ${r.pattern}`));
  const staffOnly = routes.filter((r) => !portalKeys.has(`${r.method} ${r.pattern}`));
  test(`[${name}] portal host: every staff-only route (${staffOnly.length}) answers 404`, async () => {
    const c = new Client(portalBase);
    const problems = [];
    for (const r of staffOnly) {
      const p = r.pattern.replace(/#/g, '1');
      const res = await send(c, r, p, null);
      if (res.status !== 404) problems.push(`${label(r, p)}: expected 404, got ${res.status}`);
    }
    if (problems.length) fail(problems.join('\n'));
  });

  for (const r of portalRoutes.filter((x) => x.perm === 'portal')) {
    const want = r.method === 'GET' ? '303 to /login' : '401 or 403';
    test(`[${name}] portal ${r.method} ${r.pattern} without a portal session: ${want}`, async () => {
      const c = new Client(portalBase);
      const p = r.pattern.replace(/#/g, '1');
      const res = r.method === 'GET' ? await c.get(p) : await c.request(r.method, p, { form: {} });
      noServerError(res);
      if (r.method === 'GET') expectRedirect(res, /^\/login(\?|$)/);
      else expectStatus(res, 401, 403);
    });
  }
}
