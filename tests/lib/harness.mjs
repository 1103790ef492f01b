// Tiny sequential test runner and helpers for the CRM integration and browser tests.
// Plain Node.js 20 ESM, no dependencies.
//
//   import { test, run, Client, login, expectStatus } from '../lib/harness.mjs';
//   test('name', async () => { ... });
//   await run();            // prints `ok - name` / `not ok - name`, last line `N passed, N failed`
//
// Environment used by the helpers: CRM_ROOT, CRM_CONFIG (crmctl), CRM_STACK, CRM_STATE (stack).

import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

// ---------------------------------------------------------------- runner

const tests = [];
const TEST_TIMEOUT_MS = Number(process.env.CRM_TEST_TIMEOUT_MS || 60000);
// one request's limit; CRM_HTTP_TIMEOUT_MS (make test-valgrind: the programs run ~30x slower there) is also the
// least a request given its own shorter timeout waits
const HTTP_TIMEOUT_MS = Number(process.env.CRM_HTTP_TIMEOUT_MS || 20000);
const requestTimeout = (t) => (process.env.CRM_HTTP_TIMEOUT_MS ? Math.max(t || 0, HTTP_TIMEOUT_MS) : t || HTTP_TIMEOUT_MS);

// CRM_TEST_ONLY=REGEX runs only the tests whose name matches (plus the setup tests), for quick iterations.
const ONLY = process.env.CRM_TEST_ONLY ? new RegExp(process.env.CRM_TEST_ONLY, 'i') : null;

export function test(name, fn, { timeout = TEST_TIMEOUT_MS } = {}) {
  if (ONLY && !ONLY.test(name) && !/^(environment|setup):/.test(name)) return;
  tests.push({ name, fn, timeout });
}

function indent(text) {
  return String(text).split('\n').map((l) => '  # ' + l).join('\n');
}

function describeError(err) {
  if (!(err instanceof Error)) return indent(String(err));
  let out = indent(err.message || String(err));
  if (err.bodyExcerpt !== undefined) out += '\n' + indent('response body: ' + err.bodyExcerpt);
  if (process.env.CRM_TEST_STACKS && err.stack) out += '\n' + indent(err.stack);
  else if (!(err instanceof AssertionError) && err.stack) {
    // show where an unexpected error came from (first frame in a test file)
    const frame = err.stack.split('\n').find((l) => /\.mjs:\d+/.test(l) && !l.includes('harness.mjs'));
    if (frame) out += '\n' + indent(frame.trim());
  }
  return out;
}

function withTimeout(promise, ms, name) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError(`test timed out after ${ms} ms: ${name}`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

let hooksAfter = [];
/** Register a function run after all tests (cleanup), even when tests failed. */
export function after(fn) { hooksAfter.push(fn); }

/** Run every registered test in order; print the summary line; exit 1 if any failed. */
export async function run({ exit = true } = {}) {
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  for (const t of tests) {
    const t0 = Date.now();
    try {
      await withTimeout(Promise.resolve().then(t.fn), t.timeout, t.name);
      passed++;
      console.log(`ok - ${t.name}` + (process.env.CRM_TEST_TIMES ? ` (${Date.now() - t0} ms)` : ''));
    } catch (err) {
      failed++;
      console.log(`not ok - ${t.name}`);
      console.log(describeError(err));
    }
  }
  for (const fn of hooksAfter) {
    try { await fn(); } catch (err) { console.log(indent('cleanup failed: ' + (err && err.message))); }
  }
  if (process.env.CRM_TEST_TIMES) console.log(indent(`total ${Date.now() - started} ms`));
  console.log(`${passed} passed, ${failed} failed`);
  if (exit) {
    // flush stdout before exiting; open sockets (keep-alive) must not keep us alive
    await new Promise((r) => process.stdout.write('', r));
    process.exit(failed ? 1 : 0);
  }
  return { passed, failed };
}

// ---------------------------------------------------------------- assertions

export class AssertionError extends Error {
  constructor(message, res) {
    super(message);
    this.name = 'AssertionError';
    if (res && typeof res.text === 'string') {
      this.bodyExcerpt = excerpt(res.text);
    }
  }
}

export function excerpt(text, max = 400) {
  let s = String(text);
  if (/^\s*</.test(s) && /<(html|body|main)\b/i.test(s)) {
    // an HTML page: show what a user reads (the <main> part if any), not the <head>
    const main = elementInner(s, 'main') ?? elementInner(s, 'body');
    if (main !== null) s = textOf(main);
  }
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max) + ' …' : s;
}

/** Fail with msg (and a body excerpt of res, if given) unless cond is truthy. */
export function ok(cond, msg, res) {
  if (!cond) throw new AssertionError(msg || 'assertion failed', res);
}

export function eq(actual, expected, msg, res) {
  if (actual !== expected) {
    throw new AssertionError(`${msg ? msg + ': ' : ''}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`, res);
  }
}

export function fail(msg, res) { throw new AssertionError(msg, res); }

function reqLabel(res) { return `${res.method} ${res.url}`; }

/** Assert the response status is one of the given codes. */
export function expectStatus(res, ...codes) {
  if (!codes.includes(res.status)) {
    throw new AssertionError(`${reqLabel(res)}: expected status ${codes.join(' or ')}, got ${res.status}`, res);
  }
  return res;
}

/** Assert a redirect (status in codes, default 303) whose Location resolves to the same origin and `pathAndQuery`
 *  (a string for exact match, a RegExp tested against pathname+search). Returns the resolved URL. */
export function expectRedirect(res, pathAndQuery, codes = [303]) {
  expectStatus(res, ...codes);
  const loc = res.headers.get('location');
  ok(loc, `${reqLabel(res)}: ${res.status} without Location header`, res);
  const u = new URL(loc, res.url);
  const base = new URL(res.url);
  ok(u.origin === base.origin, `${reqLabel(res)}: Location ${loc} leaves the origin ${base.origin}`, res);
  const pq = u.pathname + u.search;
  if (pathAndQuery instanceof RegExp) {
    ok(pathAndQuery.test(pq), `${reqLabel(res)}: Location ${loc} does not match ${pathAndQuery}`, res);
  } else if (pathAndQuery !== undefined) {
    ok(pq === pathAndQuery, `${reqLabel(res)}: expected Location ${pathAndQuery}, got ${loc}`, res);
  }
  return u;
}

/** Assert a JSON response: Content-Type application/json and a parseable body; returns the parsed body. */
export function expectJson(res, ...codes) {
  if (codes.length) expectStatus(res, ...codes);
  const ct = res.headers.get('content-type') || '';
  ok(/^application\/json\b/i.test(ct), `${reqLabel(res)}: expected Content-Type application/json, got ${JSON.stringify(ct)}`, res);
  return res.json();
}

/** Assert a JSON error body {"error":{"code":code,...}} with the given status. */
export function expectJsonError(res, status, code) {
  const body = expectJson(res, status);
  ok(body && typeof body.error === 'object' && body.error !== null,
    `${reqLabel(res)}: error body has no "error" object`, res);
  eq(body.error.code, code, `${reqLabel(res)}: error.code`, res);
  ok(typeof body.error.message === 'string' && body.error.message.length > 0,
    `${reqLabel(res)}: error.message missing`, res);
  return body;
}

// ---------------------------------------------------------------- HTML helpers

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (m, e) => {
    const l = e.toLowerCase();
    if (l === 'amp') return '&';
    if (l === 'lt') return '<';
    if (l === 'gt') return '>';
    if (l === 'quot') return '"';
    if (l === 'apos') return "'";
    if (l.startsWith('#x')) return String.fromCodePoint(parseInt(l.slice(2), 16));
    if (l.startsWith('#')) return String.fromCodePoint(parseInt(l.slice(1), 10));
    return m;
  });
}
export { decodeEntities };

/** Parse the attributes of a start tag's attribute string into an object (lower-case names, decoded values). */
export function parseAttrs(s) {
  const attrs = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m;
  while ((m = re.exec(s))) {
    const v = m[2] ?? m[3] ?? m[4];
    attrs[m[1].toLowerCase()] = v === undefined ? '' : decodeEntities(v);
  }
  return attrs;
}

/** All start tags `<tag ...>` in html: [{attrs, index, raw}]. */
export function findTags(html, tag) {
  const out = [];
  const re = new RegExp(`<${tag}\\b((?:[^>"']|"[^"]*"|'[^']*')*)>`, 'gi');
  let m;
  while ((m = re.exec(html))) out.push({ attrs: parseAttrs(m[1]), index: m.index, raw: m[0], end: m.index + m[0].length });
  return out;
}

/** First start tag of `tag` whose attributes include every given (name: value | RegExp) pair. */
export function findTag(html, tag, want = {}) {
  return findTags(html, tag).find((t) => Object.entries(want).every(([k, v]) => {
    const a = t.attrs[k.toLowerCase()];
    if (a === undefined) return false;
    if (v instanceof RegExp) return v.test(a);
    if (k.toLowerCase() === 'class') return a.split(/\s+/).includes(v);
    return a === v;
  }));
}

/** The csrf token of a page: `<input name="csrf_token" value="...">` (any attribute order), else `<meta name="csrf-token">`. */
export function getCsrf(html) {
  const input = findTag(html, 'input', { name: 'csrf_token' });
  if (input && input.attrs.value) return input.attrs.value;
  const meta = findTag(html, 'meta', { name: 'csrf-token' });
  if (meta && meta.attrs.content) return meta.attrs.content;
  return null;
}

/** Inner HTML of the first element `<tag ...>` matching want, up to its matching close tag (nesting-aware). */
export function elementInner(html, tag, want = {}) {
  const start = findTag(html, tag, want);
  if (!start) return null;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'gi');
  re.lastIndex = start.end;
  let depth = 1;
  let m;
  while ((m = re.exec(html))) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start.end, m.index);
  }
  return html.slice(start.end);
}

/** Visible text of an HTML fragment (tags stripped, entities decoded, whitespace collapsed). */
export function textOf(fragment) {
  if (fragment == null) return null;
  return decodeEntities(fragment.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ').trim();
}

/** The form (attrs + fields) containing/identified by want; fields are name->value of input/select/textarea
 *  that a browser would submit by default (hidden/text/password/checked inputs). */
export function parseForm(html, want = {}) {
  const start = findTag(html, 'form', want);
  if (!start) return null;
  const inner = elementInner(html, 'form', want) ?? '';
  const fields = {};
  for (const t of findTags(inner, 'input')) {
    const a = t.attrs;
    if (!a.name || 'disabled' in a) continue;
    const type = (a.type || 'text').toLowerCase();
    if (['submit', 'button', 'image', 'reset', 'file'].includes(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
    fields[a.name] = a.value ?? (type === 'checkbox' ? 'on' : '');
  }
  return { attrs: start.attrs, action: start.attrs.action, method: (start.attrs.method || 'get').toLowerCase(), fields, inner };
}

/** Fields a browser submits from the form matching want: inputs (parseForm) plus selects and textareas. */
export function formValues(html, want) {
  const f = parseForm(html, want);
  if (!f) return null;
  const fields = { ...f.fields };
  const selRe = /<select\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/select>/gi;
  let m;
  while ((m = selRe.exec(f.inner))) {
    const a = parseAttrs(m[1]);
    if (!a.name || 'disabled' in a) continue;
    const opts = findTags(m[2], 'option');
    const sel = opts.find((o) => 'selected' in o.attrs) || opts[0];
    if (sel) fields[a.name] = sel.attrs.value ?? '';
  }
  const taRe = /<textarea\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/textarea>/gi;
  while ((m = taRe.exec(f.inner))) {
    const a = parseAttrs(m[1]);
    if (!a.name || 'disabled' in a) continue;
    fields[a.name] = decodeEntities(m[2].replace(/^\r?\n/, ''));
  }
  return { ...f, fields };
}

/** fields merged with changes; a change of null removes the field (an unchecked checkbox). */
export function merged(fields, changes) {
  const out = { ...fields };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined) delete out[k]; else out[k] = String(v);
  }
  return out;
}

// ---------------------------------------------------------------- HTTP client with a cookie jar

export function parseSetCookie(str) {
  const parts = str.split(';');
  const first = parts.shift();
  const eqi = first.indexOf('=');
  const name = first.slice(0, eqi).trim();
  const value = first.slice(eqi + 1).trim();
  const attrs = {};
  for (const p of parts) {
    const i = p.indexOf('=');
    const k = (i < 0 ? p : p.slice(0, i)).trim().toLowerCase();
    if (!k) continue;
    attrs[k] = i < 0 ? true : p.slice(i + 1).trim();
  }
  return { name, value, attrs, raw: str };
}

function cookieExpired(c) {
  if (c.attrs['max-age'] !== undefined && Number(c.attrs['max-age']) <= 0) return true;
  if (c.attrs.expires && Date.parse(c.attrs.expires) < Date.now()) return true;
  return false;
}

/** Response read completely: status, headers, text, url, method, setCookies; json() parses the body. */
export class Res {
  constructor({ status, headers, text, url, method }) {
    this.status = status;
    this.headers = headers;
    this.text = text;
    this.url = url;
    this.method = method;
    this.setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie().map(parseSetCookie) : [];
  }
  get location() { return this.headers.get('location'); }
  cookie(name) { return this.setCookies.find((c) => c.name === name); }
  json() {
    try { return JSON.parse(this.text); } catch (e) {
      throw new AssertionError(`${this.method} ${this.url}: body is not valid JSON (${e.message})`, this);
    }
  }
}

export class Client {
  constructor(base) {
    this.base = base.replace(/\/+$/, '');
    this.jar = new Map(); // name -> value (one host per client)
    this.headers = {};    // default extra headers (e.g. Authorization)
  }

  url(p) { return /^https?:\/\//.test(p) ? p : this.base + (p.startsWith('/') ? p : '/' + p); }

  cookieHeader() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }

  setCookie(name, value) { if (value === null || value === undefined) this.jar.delete(name); else this.jar.set(name, value); }

  /** request(method, path, {headers, form, json, body, timeout, jar:false}) → Res (redirects are not followed). */
  async request(method, p, opts = {}) {
    const url = this.url(p);
    const headers = { ...this.headers, ...(opts.headers || {}) };
    let body = opts.body;
    if (opts.form !== undefined) {
      body = new URLSearchParams(opts.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    }
    if (opts.jar !== false && this.jar.size && !Object.keys(headers).some((h) => h.toLowerCase() === 'cookie')) {
      headers.cookie = this.cookieHeader();
    }
    let r;
    for (let attempt = 1; ; attempt++) {
      try {
        r = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(requestTimeout(opts.timeout)) });
        break;
      } catch (e) {
        const code = e.cause && (e.cause.code || e.cause.message);
        // like a browser: retry an idempotent request once when a kept-alive connection was closed under it
        if (attempt === 1 && (method === 'GET' || method === 'HEAD') && /UND_ERR_SOCKET|ECONNRESET|other side closed/.test(String(code))) continue;
        throw new AssertionError(`${method} ${url}: request failed: ${e.message}${code ? ` (${code})` : ''}`);
      }
    }
    const text = await r.text();
    const res = new Res({ status: r.status, headers: r.headers, text, url, method });
    if (opts.jar !== false) {
      for (const c of res.setCookies) {
        if (cookieExpired(c) || c.value === '') this.jar.delete(c.name); else this.jar.set(c.name, c.value);
      }
    }
    return res;
  }

  get(p, opts) { return this.request('GET', p, opts); }
  post(p, opts) { return this.request('POST', p, opts); }

  /** GET a page and remember its csrf token in this.csrf. */
  async page(p, opts) {
    const res = await this.get(p, opts);
    const t = getCsrf(res.text);
    if (t) this.csrf = t;
    return res;
  }
}

/** Raw HTTP/1.1 request over a plain TCP socket (for bodies the server may refuse before reading them, e.g. 30 MB
 *  uploads). The body is streamed while the answer is read, as curl does; write errors after the server answered are
 *  ignored. Resolves {status, headers, text} from whatever the server sent, or {error} if it sent no status line. */
export function rawRequest(url, { method = 'POST', headers = {}, bodySize = 0, chunk = 64 * 1024, timeout = 30000 } = {}) {
  return new Promise((resolve) => {
    const u = new URL(url);
    const sock = net.connect({ host: u.hostname, port: Number(u.port || 80) });
    const received = [];
    let settled = false;
    let sockErr = null;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(received).toString('latin1');
      const m = raw.match(/^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/);
      if (!m) { resolve({ error: sockErr || (raw ? 'unparsable answer: ' + excerpt(raw, 100) : 'connection closed without an answer') }); return; }
      const hdrs = {};
      for (const line of m[2].split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) hdrs[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(m[1]), headers: hdrs, text: m[3], method, url });
    };
    const timer = setTimeout(() => { sockErr = sockErr || 'timeout'; finish(); }, timeout);
    let headEnd = -1;
    sock.on('data', (d) => {
      received.push(d);
      const raw = Buffer.concat(received).toString('latin1');
      if (headEnd < 0) headEnd = raw.indexOf('\r\n\r\n');
      if (headEnd >= 0) {
        // answer complete? (Content-Length known, or give the rest 300 ms)
        const cl = raw.slice(0, headEnd).match(/\r\ncontent-length:\s*(\d+)/i);
        if (cl && raw.length - headEnd - 4 >= Number(cl[1])) finish();
        else setTimeout(finish, 300);
      }
    });
    sock.on('error', (e) => { sockErr = sockErr || e.code || e.message; setTimeout(finish, 100); });
    sock.on('close', () => setTimeout(finish, 50));
    const head = [`${method} ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, `Content-Length: ${bodySize}`, 'Connection: close',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n') + '\r\n\r\n';
    const buf = Buffer.alloc(chunk, 0x61); // 'a'
    let sent = 0;
    const pump = () => {
      while (sent < bodySize && !settled && !sock.destroyed && headEnd < 0) {
        const n = Math.min(chunk, bodySize - sent);
        sent += n;
        if (!sock.write(n === chunk ? buf : buf.subarray(0, n))) { sock.once('drain', pump); return; }
      }
    };
    sock.on('connect', () => { sock.write(head); pump(); });
  });
}

/** Log in on the staff host through the login form; returns the logged-in Client (throws if the login fails).
 *  The client remembers the csrf token of the page it landed on (client.csrf). */
export async function login(base, loginName, password, { next } = {}) {
  const c = new Client(base);
  const res = await submitLogin(c, loginName, password, { next });
  expectStatus(res, 303);
  ok(c.jar.has('crm_session'), `login as ${loginName}: no crm_session cookie set`, res);
  c.loginResponse = res;
  return c;
}

/** GET /login (optionally ?next=), then submit the login form as a browser would (form action + hidden fields).
 *  Returns the POST response; the client's jar holds whatever cookies were set. */
export async function submitLogin(c, loginName, password, { next, extra = {}, fieldName = 'login' } = {}) {
  const page = await c.get('/login' + (next !== undefined ? '?next=' + encodeURIComponent(next) : ''));
  expectStatus(page, 200);
  const form = parseForm(page.text, { action: /\/login/ }) || parseForm(page.text);
  ok(form, 'login page has no form', page);
  const fields = { ...form.fields, [fieldName]: loginName, password, ...extra };
  const action = new URL(form.action || '/login', page.url).toString();
  return c.post(action, { form: fields });
}

// ---------------------------------------------------------------- processes

function runProcess(cmd, args, { stdin, env, timeout = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...(env || {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { p.kill('SIGKILL'); }, timeout);
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout: out, stderr: err });
      else reject(new AssertionError(`${cmd} ${args.join(' ')} exited ${code ?? signal}: ${excerpt(err || out, 600)}`));
    });
    p.stdin.on('error', () => {});
    if (stdin !== undefined) p.stdin.end(stdin); else p.stdin.end();
  });
}

function need(name) {
  const v = process.env[name];
  if (!v) throw new AssertionError(`environment variable ${name} is not set`);
  return v;
}
export { need as env };

/** Run `$CRM_ROOT/build/crmctl --config $CRM_CONFIG ...args` with optional stdin; resolves stdout (throws on non-zero exit). */
export async function crmctl(args, stdin) {
  const bin = path.join(need('CRM_ROOT'), 'build', 'crmctl');
  const r = await runProcess(bin, ['--config', need('CRM_CONFIG'), ...args], { stdin });
  return r.stdout;
}

/** Create a staff user with the given roles (array) and password; resolves when done. */
export async function createUser(loginName, roles, password, { email, name } = {}) {
  const args = ['user', 'add', loginName];
  for (const r of roles) args.push('--role', r);
  if (email) args.push('--email', email);
  if (name) args.push('--name', name);
  args.push('--password-stdin');
  return crmctl(args, password + '\n');
}

/** `crmctl token create LOGIN` → the token (last non-empty line of stdout). */
export async function createToken(loginName) {
  const out = await crmctl(['token', 'create', loginName]);
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  ok(lines.length, `crmctl token create ${loginName} printed nothing`);
  return lines[lines.length - 1];
}

/** Run `bash $CRM_STACK cmd` with CRM_STATE set (e.g. db-stop, db-start). */
export async function stack(cmd, ...args) {
  return runProcess('bash', [need('CRM_STACK'), cmd, ...args], { env: { CRM_STATE: need('CRM_STATE') }, timeout: 120000 });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Random lower-case suffix to keep names unique across runs against a kept database. */
export function uniq(n = 6) {
  return Math.random().toString(36).slice(2, 2 + n).padEnd(n, '0');
}
