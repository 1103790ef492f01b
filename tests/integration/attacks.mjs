// Attack suite, second part (issue 8): what an attacker sees through nginx (and Apache where the web server matters).
//   - the portal's routes get SQL and script payloads in every parameter (generated from `portal.fcgi --routes`);
//   - every portal route on '#' answers 404 for another contact's ticket or document, and changes nothing;
//   - oversized header lines and cookies get a clean 4xx from the web server, the workers live on;
//   - oversized bodies get 413;
//   - path traversal in static paths and document downloads never serves a file from outside;
//   - the login's next= never leads off the site.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  test, ok, eq, fail, Client, parseForm, rawRequest, env, expectStatus, expectRedirect, submitLogin, decodeEntities,
} from '../lib/harness.mjs';
import { once, admin } from './fixtures.mjs';
import { sql } from './mail.mjs';
import { PAYLOADS, SCRIPT_PAYLOADS, check, short } from './injection.mjs';
import { routeTable } from './routes.mjs';
import { portalUser, portalLogin, openTicket, upload } from './portal.mjs';

// ------------------------------------------------------------------ helpers

/** GET (or METHOD) with the request line sent byte for byte (fetch would resolve ../ and re-encode). */
export function rawHttp(base, rawPath, { method = 'GET', headers = {}, timeout = 30000 } = {}) {
  const u = new URL(base);
  return new Promise((resolve) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port) });
    const chunks = [];
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const m = raw.match(/^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/);
      if (!m) { resolve({ error: error || `no HTTP answer (${JSON.stringify(raw.slice(0, 80))})` }); return; }
      resolve({ status: Number(m[1]), head: m[2], text: m[3] });
    };
    const timer = setTimeout(() => finish('timeout'), timeout);
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => finish());
    sock.on('close', () => finish());
    sock.on('error', (e) => finish(e.code || e.message));
    sock.on('connect', () => {
      const lines = [`${method} ${rawPath} HTTP/1.1`, `Host: ${u.host}`, 'Connection: close',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      sock.write(Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'));
    });
  });
}

/** The workers (children of the master) of one program. */
function workersOf(module) {
  const master = readFileSync(path.join(env('CRM_STATE'), 'pids', `${module}.pid`), 'utf8').trim();
  try {
    return execFileSync('pgrep', ['-P', master], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number).sort();
  } catch (e) {
    return [];
  }
}

/** Every name="…" of the inputs, selects and textareas of a page. */
function fieldNames(html) {
  return [...html.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/gi)].map((m) => m[1]);
}

const csrfOf = (html) => (/name="csrf_token" value="([0-9a-f]{64})"/.exec(html) || [])[1];

// ------------------------------------------------------------------ portal injection

// parameters of the portal's forms (more are read from the pages themselves), and ids an attacker may try
const PORTAL_NAMES = ['email', 'password', 'password2', 'current_password', 'token', 'subject', 'description', 'category',
  'priority', 'body', 'ticket_id', 'first_name', 'middle_name', 'last_name', 'job_title', 'mobile_phone', 'mobile_phone_2',
  'work_phone', 'email_2', 'language', 'timezone', 'contact_preference', 'version', 'next', 'id', 'contact_id',
  'customer_id', 'share', 'q', 'after', 'status', 'saved'];

/** The attacker: a signed-in portal contact with a ticket and a document of its own; and the victim's row as it was. */
const portalSide = (base, portal) => once('attack-portal', async () => {
  const attacker = await portalUser(base, portal);
  const ticket = await openTicket(attacker);
  expectRedirect(await upload(attacker, '/documents', '/documents', 'own.txt', Buffer.from('own notes\n')), '/documents');
  const doc = Number(sql(`SELECT MAX(id) FROM documents WHERE uploaded_by_contact_id = ${attacker.contact.id}`));
  const victim = await portalUser(base, portal);
  const victimTicket = await openTicket(victim);
  expectRedirect(await upload(victim, '/documents', '/documents', 'victim.txt', Buffer.from('victim notes\n')), '/documents');
  const victimDoc = Number(sql(`SELECT MAX(id) FROM documents WHERE uploaded_by_contact_id = ${victim.contact.id}`));
  const names = new Set(PORTAL_NAMES);
  for (const p of ['/login', '/forgot', '/home', '/account/password', '/tickets', '/tickets/new', `/tickets/${ticket}`,
    '/documents', '/profile']) {
    const c = p === '/login' || p === '/forgot' ? new Client(portal) : attacker;
    for (const n of fieldNames((await c.get(p)).text)) names.add(n);
  }
  names.delete('csrf_token');
  return { attacker, ticket, doc, victim, victimTicket, victimDoc, names: [...names] };
});

/** Everything of the victim an attack could change, as one string. */
function victimState(v) {
  return sql(`SELECT CONCAT_WS('|', c.version, c.first_name, c.last_name, c.email, c.active, c.portal_user, `
    + `(SELECT COUNT(*) FROM tickets t WHERE t.contact_id = c.id), `
    + `(SELECT GROUP_CONCAT(CONCAT(t.status, ':', t.subject) ORDER BY t.id) FROM tickets t WHERE t.contact_id = c.id), `
    + `(SELECT COUNT(*) FROM ticket_comments tc JOIN tickets t ON t.id = tc.ticket_id WHERE t.contact_id = c.id), `
    + `(SELECT COUNT(*) FROM documents d WHERE d.uploaded_by_contact_id = c.id OR d.contact_id = c.id), `
    + `(SELECT a.password_hash FROM portal_accounts a WHERE a.contact_id = c.id)) FROM contacts c WHERE c.id = ${Number(v.contact.id)}`);
}

function tableCounts() {
  return sql('SELECT CONCAT_WS(\' \', (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM contacts), '
    + '(SELECT COUNT(*) FROM portal_accounts), (SELECT COUNT(*) FROM customers))');
}

export function registerAttackTests(base, portal, apacheBase, apachePortal) {
  let routes = [];
  let tableError = null;
  try {
    routes = routeTable('portal');
  } catch (e) {
    tableError = e;
  }
  let before = null;

  test('[nginx] portal injection: setup (attacker and victim contacts with tickets and documents, tables counted)', async () => {
    if (tableError) throw tableError;
    const s = await portalSide(base, portal);
    ok(s.names.length >= PORTAL_NAMES.length, 'parameter names');
    before = { counts: tableCounts(), victim: victimState(s.victim) };
  }, { timeout: 180000 });

  for (const r of routes) {
    const changes = r.method !== 'GET';
    test(`[nginx] portal injection: ${r.method} ${r.pattern}: SQL and script payloads in every parameter `
      + `${changes ? 'are refused or stored as text' : 'never break the page'}`, async () => {
      const s = await portalSide(base, portal);
      const problems = [];
      const failuresBefore = Number(sql('SELECT COALESCE(MAX(id), 0) FROM login_failures'));
      try {
        for (const pl of PAYLOADS) {
          const idOf = () => (/^\/documents\/#/.test(r.pattern) ? s.doc : s.ticket);
          const p = r.pattern.replace(/#/g, String(idOf()));
          const batches = pl.long ? s.names.map((n) => [n]) : [s.names];
          for (const names of batches) {
            const fields = Object.fromEntries(names.map((n) => [n, pl.value]));
            const what = `${r.method} ${p} ${names.length > 1 ? '<all parameters>' : names[0]}=${short(pl.value)}`;
            let res;
            if (!changes) {
              res = await s.attacker.get(`${p}?${new URLSearchParams(fields)}`);
            } else {
              // the anonymous forms from a fresh client; /logout ends the attacker's session: signed in again after
              let c = s.attacker;
              let page = p === '/logout' || p === '/login' ? '/home' : p.replace(/\/(comments|close)$/, '');
              if (['/login', '/forgot', '/password'].includes(p)) { c = new Client(portal); page = p === '/password' ? '/forgot' : p; }
              if (p === '/account/password') page = p;
              if (p === '/lang') page = '/home';
              if (p === '/tickets') page = '/tickets/new';
              const csrf = csrfOf((await c.get(page)).text);
              ok(csrf, `no csrf token on ${page}`);
              res = await c.post(p, { form: { ...fields, csrf_token: csrf } });
              if (p === '/documents') {
                // the upload as multipart: payloads in the fields and the file name
                const fd = new FormData();
                fd.append('csrf_token', csrf);
                for (const [k, v] of Object.entries(fields)) fd.append(k, v);
                fd.append('file', new Blob([Buffer.from('payload\n')]), pl.value.slice(0, 200));
                const mres = await c.post(p, { body: fd });
                problems.push(...check(mres, `${what} (multipart, also as the file name)`));
              }
              if (p === '/logout') {
                const again = await portalLogin(portal, s.attacker.contact.email);
                expectRedirect(again.loginResponse, '/home');
                s.attacker.jar = again.jar;
              }
            }
            problems.push(...check(res, what));
            if (!['/login', '/forgot', '/password', '/lang'].includes(r.pattern) && res.status === 403) {
              problems.push(`${what}: expected the request to pass the session and csrf checks, got 403`);
            }
          }
        }
        // whatever was stored as text is shown escaped on the attacker's pages
        for (const p of ['/home', '/tickets', `/tickets/${s.ticket}`, '/documents', '/profile']) {
          problems.push(...check(await s.attacker.get(p), `GET ${p} after the attack`));
        }
      } finally {
        // failed logins and wrong current passwords of the attack must not throttle later tests from this address
        sql(`DELETE FROM login_failures WHERE id > ${failuresBefore}`);
      }
      if (problems.length) fail(`${problems.length} problem(s):\n${problems.slice(0, 30).join('\n')}`);
    }, { timeout: 300000 });
  }

  test('[nginx] portal injection: script payloads stored by the contact (ticket, comment, profile) are kept verbatim and shown escaped', async () => {
    const s = await portalSide(base, portal);
    const problems = [];
    for (const [i, v] of SCRIPT_PAYLOADS.entries()) {
      const id = await openTicket(s.attacker, `${v} ${i}`, `${v} description`);
      eq(sql(`SELECT subject FROM tickets WHERE id = ${id}`), `${v} ${i}`, 'stored subject');
      const page = await s.attacker.get(`/tickets/${id}`);
      expectStatus(page, 200);
      problems.push(...check(page, `GET /tickets/${id} (subject ${short(v)})`));
      ok(decodeEntities(page.text).includes(`${v} ${i}`), 'the subject is shown (escaped)', page);
      const form = parseForm(page.text, { action: new RegExp(`/tickets/${id}/comments`) });
      expectRedirect(await s.attacker.post(`/tickets/${id}/comments`, { form: { ...form.fields, body: v } }), `/tickets/${id}`);
      problems.push(...check(await s.attacker.get(`/tickets/${id}`), `GET /tickets/${id} (comment ${short(v)})`));
      const prof = parseForm((await s.attacker.get('/profile')).text, { action: /\/profile/ });
      expectRedirect(await s.attacker.post('/profile', { form: { ...prof.fields, job_title: v } }), '/profile?saved=1');
      eq(sql(`SELECT job_title FROM contacts WHERE id = ${s.attacker.contact.id}`), v, 'stored job_title');
      problems.push(...check(await s.attacker.get('/profile'), `GET /profile (job_title ${short(v)})`));
    }
    if (problems.length) fail(problems.join('\n'));
  }, { timeout: 180000 });

  test('[nginx] portal injection: afterwards no user, contact, portal account or customer was added or removed, the victim is untouched', async () => {
    const s = await portalSide(base, portal);
    ok(before, 'setup did not run');
    eq(tableCounts(), before.counts, 'users contacts portal_accounts customers');
    eq(victimState(s.victim), before.victim, 'the victim contact, its tickets, comments, documents and password');
  });

  // ---------------------------------------------------------------- isolation, generated from the route table

  test('[nginx] portal isolation: every portal route on an id answers 404 for another contact\'s ticket or document; nothing changes', async () => {
    if (tableError) throw tableError;
    const s = await portalSide(base, portal);
    const state = victimState(s.victim);
    const problems = [];
    const idRoutes = routes.filter((r) => r.pattern.includes('#'));
    ok(idRoutes.length >= 4, `only ${idRoutes.length} portal routes on an id`);
    const csrf = csrfOf((await s.attacker.get('/tickets/new')).text);
    for (const r of idRoutes) {
      let id;
      if (/^\/tickets\/#/.test(r.pattern)) id = s.victimTicket;
      else if (/^\/documents\/#/.test(r.pattern)) id = s.victimDoc;
      else { problems.push(`${r.method} ${r.pattern}: no id kind known for this route (add it to attacks.mjs)`); continue; }
      const p = r.pattern.replace('#', String(id));
      const res = r.method === 'GET' ? await s.attacker.get(p)
        : await s.attacker.request(r.method, p, { form: { csrf_token: csrf, body: 'hijack', subject: 'hijack', status: 'closed' } });
      if (res.status !== 404) problems.push(`${r.method} ${p} (the victim's): expected 404, got ${res.status}`);
      if (/victim notes/.test(res.text)) problems.push(`${r.method} ${p}: the victim's document content in the answer`);
    }
    // ids in parameters: a document attached to the victim's ticket, a profile save naming the victim
    const up = await upload(s.attacker, '/documents', '/documents', 'x.txt', Buffer.from('x'), { ticket_id: s.victimTicket });
    if (up.status !== 404) problems.push(`POST /documents ticket_id=<victim's ticket>: expected 404, got ${up.status}`);
    const prof = parseForm((await s.attacker.get('/profile')).text, { action: /\/profile/ });
    const saved = await s.attacker.post('/profile', { form: { ...prof.fields, contact_id: s.victim.contact.id, id: s.victim.contact.id, first_name: 'Hijack' } });
    if (saved.status !== 303) problems.push(`POST /profile contact_id=<victim>: expected 303 (its own profile saved), got ${saved.status}`);
    eq(victimState(s.victim), state, 'the victim after the attempts');
    if (problems.length) fail(problems.join('\n'));
  }, { timeout: 120000 });

  // ---------------------------------------------------------------- oversized requests

  const servers = [['nginx', base, portal], ['apache', apacheBase, apachePortal]].filter(([, b]) => b);
  for (const [name, staff, port] of servers) {
    test(`[${name}] a 64 KB cookie, a 64 KB header line and 500 headers get a clean 4xx; the workers live on`, async () => {
      const problems = [];
      const before = { contacts: workersOf('contacts'), portal: workersOf('portal') };
      const big = 'a'.repeat(64 * 1024);
      const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`X-Many-${i}`, 'x'.repeat(100)]));
      for (const [host, b] of [['staff', staff], ['portal', port]]) {
        for (const [what, headers] of [['64 KB cookie', { Cookie: `crm_session=${big}` }], ['64 KB header', { 'X-Long': big }],
          ['500 headers of 100 bytes', many]]) {
          const res = await rawHttp(b, '/login', { headers });
          if (res.error) problems.push(`${host} ${what}: no HTTP answer (${res.error})`);
          else if (res.status < 400 || res.status >= 500) problems.push(`${host} ${what}: expected a 4xx, got ${res.status}`);
        }
        const after = await new Client(b).get('/login');
        if (after.status !== 200) problems.push(`${host}: GET /login after the big headers: ${after.status}`);
      }
      eq(JSON.stringify({ contacts: workersOf('contacts'), portal: workersOf('portal') }), JSON.stringify(before), 'worker pids');
      if (problems.length) fail(problems.join('\n'));
    });

    test(`[${name}] bodies over the 20 MB limit get 413 on the upload routes and the API; the workers live on`, async () => {
      const problems = [];
      const before = workersOf('portal');
      for (const [b, p] of [[port, '/documents'], [staff, '/contacts/documents'], [staff, '/api/v1/contacts']]) {
        const res = await rawRequest(`${b}${p}`, { bodySize: 25 * 1024 * 1024, headers: { 'Content-Type': 'application/octet-stream' } });
        if (res.error) problems.push(`POST ${p} 25 MB: no answer (${res.error})`);
        else if (res.status !== 413) problems.push(`POST ${p} 25 MB: expected 413, got ${res.status}`);
      }
      eq((await new Client(port).get('/login')).status, 200, 'portal GET /login afterwards');
      eq(JSON.stringify(workersOf('portal')), JSON.stringify(before), 'portal worker pids');
      if (problems.length) fail(problems.join('\n'));
    }, { timeout: 120000 });

    // ---------------------------------------------------------------- path traversal

    test(`[${name}] path traversal in static paths and document downloads (../, %2e%2e, encoded slashes and backslashes, NUL): 400 or 404, never a file`, async () => {
      const s = await portalSide(base, portal);
      const c = await once(`attack-staff:${staff}`, async () => {
        const cl = new Client(staff);
        const res = await submitLogin(cl, admin.login(), admin.password());
        expectStatus(res, 303);
        return cl;
      });
      const markers = [/root:x:0:0/, /CORE_SRC/, /db\.password/, /^# Contacts CRM/m, /-----BEGIN/, /victim notes/];
      const tails = ['Makefile', 'README.md', 'etc/passwd',
        path.relative('/', path.join(env('CRM_STATE'), 'crm.conf'))];
      const prefixes = ['../', '..%2f', '%2e%2e/', '%2e%2e%2f', '..%5c', '%252e%252e/', '..\\', '.%2e/', '%2e./'];
      const paths = [];
      for (const tail of tails) {
        for (const pre of prefixes) {
          const up = pre.repeat(8);
          paths.push(`/static/${up}${tail}`, `/documents/${up}${tail}`, `/contacts/documents/${up}${tail}`);
        }
      }
      paths.push('/static/crm.css%00.txt', '/static/crm.css%00/../../../Makefile', `/documents/${s.doc}%00`, `/documents/${s.doc}%2f..%2f${s.victimDoc}`,
        `/documents/${s.doc}/../${s.victimDoc}`, '/static//etc/passwd', '/static/%2fetc%2fpasswd', '/static/..;/Makefile', '/static../Makefile',
        '/static/.%00./Makefile', `/contacts/documents/${s.victimDoc}%00.txt`);
      const problems = [];
      for (const [host, b, cl] of [['staff', staff, c], ['portal', port, s.attacker]]) {
        const cookie = cl.cookieHeader();
        for (const p of paths) {
          const res = await rawHttp(b, p, { headers: { Cookie: cookie } });
          if (res.error) { problems.push(`${host} GET ${p}: no HTTP answer (${res.error})`); continue; }
          if (![400, 403, 404].includes(res.status)) problems.push(`${host} GET ${p}: expected 400 or 404, got ${res.status}`);
          const m = markers.find((re) => re.test(res.text));
          if (m) problems.push(`${host} GET ${p}: the answer holds ${m} (a file from outside)`);
        }
        // a raw NUL byte in the request line
        const nul = await rawHttp(b, '/static/crm.css\0../../Makefile', {});
        if (!nul.error && ![400, 404].includes(nul.status)) problems.push(`${host} GET /static/crm.css<NUL>…: got ${nul.status}`);
        if (!nul.error && markers.some((re) => re.test(nul.text))) problems.push(`${host} GET with a NUL: a file from outside`);
      }
      // and the legitimate ones still work (the test could not pass on a server that answers 404 to everything)
      eq((await rawHttp(staff, '/static/crm.css')).status, 200, 'GET /static/crm.css');
      eq((await rawHttp(port, `/documents/${s.doc}`, { headers: { Cookie: s.attacker.cookieHeader() } })).status, 200, 'the attacker\'s own document');
      if (problems.length) fail(`${problems.length} problem(s):\n${problems.slice(0, 30).join('\n')}`);
    }, { timeout: 180000 });
  }

  // ---------------------------------------------------------------- open redirect

  test('[nginx] login next= that leaves the site (https://, //, /\\, \\\\, encoded slashes, blanks, tabs) is ignored: the answer stays on the site', async () => {
    const evils = ['https://evil.example', 'http:evil.example', '//evil.example/%2e%2e', '/\\evil.example', '\\\\evil.example',
      '/%5Cevil.example', '%2F%2Fevil.example', '/%2F/evil.example', ' //evil.example', '/\t/evil.example', '/\n/evil.example',
      '///evil.example', 'javascript:alert(1)', '//evil.example@127.0.0.1', '/.//evil.example'];
    const problems = [];
    const host = new URL(base).host;
    for (const evil of evils) {
      for (const how of ['query', 'form']) {
        const c = new Client(base);
        const res = how === 'query'
          ? await submitLogin(c, admin.login(), admin.password(), { next: evil })
          : await submitLogin(c, admin.login(), admin.password(), { extra: { next: evil } });
        // a next with control characters in the form body is refused with the login form again (422): also on the site
        if (how === 'form' && res.status === 422 && !res.headers.get('location')) continue;
        if (res.status !== 303) { problems.push(`next=${JSON.stringify(evil)} (${how}): expected 303, got ${res.status}`); continue; }
        const loc = res.headers.get('location') || '';
        // where a browser goes: resolved against the page's URL
        const target = new URL(loc, `${base}/login`);
        if (target.host !== host || !/^https?:$/.test(target.protocol)) {
          problems.push(`next=${JSON.stringify(evil)} (${how}): Location ${JSON.stringify(loc)} leaves the site (${target.href})`);
        }
      }
    }
    // the language switch takes next= as well
    const c = new Client(base);
    const page = await c.get('/login');
    const csrf = csrfOf(page.text);
    for (const evil of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
      const res = await c.post('/lang', { form: { csrf_token: csrf, language: 'en', next: evil } });
      const loc = res.headers.get('location') || '';
      if (res.status >= 500) problems.push(`POST /lang next=${evil}: ${res.status}`);
      if (loc && new URL(loc, `${base}/login`).host !== host) problems.push(`POST /lang next=${evil}: Location ${loc} leaves the site`);
    }
    if (problems.length) fail(problems.join('\n'));
  }, { timeout: 180000 });
}
