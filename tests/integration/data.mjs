// Data in and out (SPEC §6): the streamed CSV export of the filtered list and the data-subject export.
import fs from 'node:fs';
import { test, ok, eq, expectJson, expectJsonError, expectStatus, login, getCsrf, Client, createToken, env } from '../lib/harness.mjs';
import { dedicatedUser, once, PASSWORD, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';

const ROLES = { admin: ['crm_admin'], manager: ['crm_manager'], sales: ['crm_sales'], marketeer: ['crm_marketeer'], norole: [] };
function roleUser(role) { return dedicatedUser('d' + role, ROLES[role]); }

/** An API client with a Bearer token of `role`. */
async function api(base, role) {
  const token = await once(`data-token:${role}`, async () => createToken(await roleUser(role)));
  const c = new Client(base);
  c.headers.authorization = 'Bearer ' + token;
  return c;
}
function web(base, role) {
  return once(`data-web:${base}:${role}`, async () => login(base, await roleUser(role), PASSWORD));
}

let seq = 0;
/** A last name unique to this run and test. */
function mark() { seq += 1; return `Dx${RUN}n${seq}`; }
const PHONE_BASE = 1000000 + Math.floor(Math.random() * 8000000);
/** A mobile number no other test uses (phones are duplicate keys). */
function phone() { seq += 1; return `+39 347 ${PHONE_BASE + seq}`; }
function key(tag) { seq += 1; return `t${RUN}_${tag}${seq}`.toLowerCase(); }
async function apiCreate(a, body) { return expectJson(await a.post('/api/v1/contacts', { json: body }), 201); }

/** RFC 4180 parser for the tests (quoted cells, doubled quotes, CRLF inside quotes). */
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      cell += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    cell += ch; i++;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Resident and peak memory (kB) of the contacts program's processes of this test stack. */
function contactsMemory() {
  const state = env('CRM_STATE');
  let rss = 0, hwm = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd;
    try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmd.includes('contacts.fcgi') || !cmd.includes(state)) continue;
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    rss = Math.max(rss, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] || 0));
    hwm = Math.max(hwm, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] || 0));
  }
  return { rss, hwm };
}

export function registerDataTests(base) {
  const T = (name, fn, opts) => test(`[data] ${name}`, fn, opts);

  T('CSV export: the filtered list with canonical headers, export-context fields, BOM on request, formulas defused', async () => {
    const admin = await api(base, 'admin');
    const fk = key('exp');
    const hidden = key('hid');
    expectJson(await admin.post('/api/v1/settings/fields', { json: { key: fk, type: 'text', label: { en: 'Exported' }, contexts: ['backoffice-crm-contacts', 'export'] } }), 201);
    expectJson(await admin.post('/api/v1/settings/fields', { json: { key: hidden, type: 'text', label: { en: 'Not exported' }, contexts: ['backoffice-crm-contacts'] } }), 201);
    const m = mark();
    const ph = phone();
    const a = await api(base, 'marketeer');
    await apiCreate(a, { first_name: '=cmd|calc', last_name: m, email: `${m}a@example.com`.toLowerCase(), mobile_phone: ph, custom: { [fk]: '@SUM(A1)', [hidden]: 'secret' } });
    await apiCreate(a, { first_name: 'Élodie', last_name: m, notes: 'two\r\nlines, "quoted"', contact_type: 'partner_contact' });
    await apiCreate(a, { first_name: 'Other', last_name: m, contact_type: 'vendor_contact' });
    const res = await a.get(`/api/v1/contacts/export?format=csv&bom=1&q=${m}&contact_type=partner_contact`);
    expectStatus(res, 200);
    ok(/^text\/csv; charset=utf-8/.test(res.headers.get('content-type')), 'text/csv', res);
    ok(/attachment/.test(res.headers.get('content-disposition') || ''), 'attachment', res);
    eq(res.headers.get('x-frame-options'), 'DENY', 'security headers on a streamed answer', res);
    const raw = Buffer.from(await (await fetch(`${base}/api/v1/contacts/export?format=csv&bom=1&q=${m}`, { headers: a.headers })).arrayBuffer());
    eq(raw.subarray(0, 3).toString('hex'), 'efbbbf', 'bom=1 starts with the UTF-8 byte order mark');
    ok(!raw.subarray(3).includes(Buffer.from([0xef, 0xbb, 0xbf])), 'once');
    const rows = parseCsv(res.text);
    const head = rows[0];
    eq(head.slice(0, 6).join(','), 'id,first_name,middle_name,last_name,birthday,contact_type', 'canonical headers', res);
    ok(head.includes(fk), 'a field with the export context is a column', res);
    ok(!head.includes(hidden), 'a field without the export context is not', res);
    eq(rows.length, 2, 'the filter applies: one data row', res);
    eq(rows[1][head.indexOf('first_name')], 'Élodie', 'UTF-8 kept', res);
    eq(rows[1][head.indexOf('notes')], 'two\r\nlines, "quoted"', 'a quoted cell with CRLF, comma and quotes', res);
    const all = await a.get(`/api/v1/contacts/export?format=csv&q=${m}`);
    const plain = Buffer.from(await (await fetch(`${base}/api/v1/contacts/export?format=csv&q=${m}`, { headers: a.headers })).arrayBuffer());
    eq(plain.subarray(0, 3).toString(), 'id,', 'no BOM unless asked');
    const r2 = parseCsv(all.text);
    eq(r2.length, 4, 'three contacts', all);
    const cmd = r2.find((r) => r[r2[0].indexOf('email')] === `${m}a@example.com`.toLowerCase());
    eq(cmd[r2[0].indexOf('first_name')], "'=cmd|calc", 'a formula gets an apostrophe', all);
    eq(cmd[r2[0].indexOf(fk)], "'@SUM(A1)", 'also in an additional field', all);
    eq(cmd[r2[0].indexOf('mobile_phone')], ph, 'a phone number stays as typed', all);
    ok(!all.text.includes('secret'), 'no value of a field without the export context', all);
  });

  T('CSV export: invalid filters are refused with 422 before anything is sent; no role gets 403', async () => {
    const a = await api(base, 'sales');
    expectJsonError(await a.get('/api/v1/contacts/export?format=csv&status=bogus'), 422, 'invalid');
    expectJsonError(await a.get('/api/v1/contacts/export?format=xls'), 422, 'invalid');
    expectJsonError(await a.get('/api/v1/contacts/export?format=csv&bom=2'), 422, 'invalid');
    expectJsonError(await (await api(base, 'norole')).get('/api/v1/contacts/export?format=csv'), 403, 'forbidden');
  });

  T('CSV export: the list page links the export with the filters in use', async () => {
    const c = await web(base, 'sales');
    const m = mark();
    const page = await c.get(`/contacts?q=${m}&contact_type=other&active=all`);
    expectStatus(page, 200);
    const link = /id="export-csv" href="([^"]+)"/.exec(page.text);
    ok(link, 'an export button', page);
    const href = link[1].replace(/&amp;/g, '&');
    ok(href.startsWith('/api/v1/contacts/export?format=csv'), 'to the export route', page);
    ok(href.includes(`q=${m}`) && href.includes('contact_type=other') && href.includes('active=all'), 'with the filters', page);
    const res = await c.get(href);
    expectStatus(res, 200);
    eq(parseCsv(res.text).length, 1, 'the header line alone when nothing matches', res);
  });

  T('CSV export streams: 30,000 rows in the list\'s order (name, updated, created), no Content-Length, the worker memory stays flat; a download dropped halfway leaves the workers serving', async () => {
    const m = mark();
    const note = 'x'.repeat(400);
    sql(`INSERT INTO contacts (first_name, last_name, email, notes, active) SELECT CONCAT('N', seq), '${m}', CONCAT('${m}', seq, '@example.com'), '${note}', 0 FROM seq_1_to_30000`);
    try {
      const a = await api(base, 'sales');
      // warm up every worker (statement cache, buffers) on a small export
      for (let i = 0; i < 4; i++) expectStatus(await a.get(`/api/v1/contacts/export?format=csv&active=0&q=${m}&limit=1&customer_id=1`), 200);
      const before = contactsMemory();
      let peak = 0;
      // the resident memory of the contacts workers, sampled while the export runs
      const timer = setInterval(() => { peak = Math.max(peak, contactsMemory().rss); }, 25);
      const t0 = Date.now();
      let res;
      try {
        res = await a.get(`/api/v1/contacts/export?format=csv&active=0&q=${m}`, { timeout: 120000 });
      } finally {
        clearInterval(timer);
      }
      const ms = Date.now() - t0;
      expectStatus(res, 200);
      eq(res.headers.get('content-length'), null, 'no Content-Length: the body is streamed', res);
      const lines = res.text.split('\r\n').filter(Boolean);
      eq(lines.length, 30001, 'every row once, plus the header', res);
      eq(new Set(lines.slice(1).map((l) => l.split(',')[0])).size, 30000, 'no row twice', res);
      console.log(`    export of 30,000 rows (${(res.text.length / 1e6).toFixed(1)} MB) in ${ms} ms; contacts worker RSS ${before.rss} kB before, at most ${peak} kB during`);
      if (process.env.CRM_SANITIZE !== '1' && before.rss) {
        // the body is ~18 MB: a buffered answer would raise the resident size by at least that much
        ok(peak - before.rss < 6144, `RSS grew by ${peak - before.rss} kB during the export`);
      }
      // the rows come in the list's order, as the database sorts them (names: N1, N10, N100, …)
      const ids = (text) => text.split('\r\n').filter(Boolean).slice(1).map((l) => l.split(',')[0]).join(' ');
      const where = `last_name = '${m}'`;
      eq(ids(res.text), sql(`SELECT id FROM contacts WHERE ${where} ORDER BY last_name, first_name, id`).split('\n').join(' '), 'rows in name order (the list\'s default)');
      sql(`UPDATE contacts SET updated_at = NOW() - INTERVAL (id % 997) MINUTE WHERE ${where}`);
      const upd = await a.get(`/api/v1/contacts/export?format=csv&active=0&q=${m}&sort=updated`, { timeout: 120000 });
      eq(ids(upd.text), sql(`SELECT id FROM contacts WHERE ${where} ORDER BY updated_at DESC, id DESC`).split('\n').join(' '), 'rows in the order of sort=updated', upd);
      const cre = await a.get(`/api/v1/contacts/export?format=csv&active=0&q=${m}&sort=created`, { timeout: 120000 });
      eq(ids(cre.text), sql(`SELECT id FROM contacts WHERE ${where} ORDER BY id DESC`).split('\n').join(' '), 'rows in the order of sort=created', cre);
      // a client that goes away after the first bytes: the worker drops that statement; every worker answers after
      for (let i = 0; i < 2; i++) {
        const ac = new AbortController();
        const r = await fetch(`${base}/api/v1/contacts/export?format=csv&active=0&q=${m}`, { headers: a.headers, signal: ac.signal });
        eq(r.status, 200, 'the dropped download starts');
        const reader = r.body.getReader();
        await reader.read();
        ac.abort();
        await reader.closed.catch(() => {});
      }
      for (let i = 0; i < 4; i++) {
        const small = await a.get(`/api/v1/contacts/export?format=csv&active=0&q=${m}&customer_id=1`);
        expectStatus(small, 200);
        eq(small.text.split('\r\n').filter(Boolean).length, 1, 'after a dropped download: an export answers (header line only)', small);
        expectStatus(await a.get(`/api/v1/contacts?active=0&q=${m}&limit=1`), 200);
      }
    } finally {
      sql(`DELETE FROM contacts WHERE last_name = '${m}'`);
    }
  }, { timeout: 180000 });

  T('data-subject export: record, additional fields, consents with history, connections, lists, comments, history, mail', async () => {
    const admin = await api(base, 'admin');
    const code = key('dsc');
    expectJson(await admin.post('/api/v1/settings/consents', { json: { code, title: { en: 'Data test' }, text: { en: 'I agree (data test).' } } }), 201);
    const m = mark();
    const a = await api(base, 'manager');
    const ct = await apiCreate(a, { first_name: 'Subject', last_name: m, email: `${m}@example.com`.toLowerCase(), consents: { [code]: true } });
    expectJson(await a.request('PATCH', `/api/v1/contacts/${ct.id}`, { json: { version: ct.version, job_title: 'Engineer' } }), 200);
    expectJson(await a.post(`/api/v1/contacts/${ct.id}/activity`, { json: { body: `comment ${m}` } }), 201);
    const cu = expectJson(await a.post('/api/v1/customers', { json: { name: `Cust ${m}`, type: 'customer' } }), 201);
    expectJson(await a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'customer', target_id: cu.id } }), 201);
    const list = expectJson(await a.post('/api/v1/marketing-lists', { json: { name: `List ${m}` } }), 201);
    expectJson(await a.post(`/api/v1/marketing-lists/${list.id}/members`, { json: { contact_ids: [ct.id] } }), 200);
    sql(`INSERT INTO outbox (to_addr, subject, body, status, contact_id) VALUES ('${m}@example.com', 'Hello ${m}', 'body', 'sent', ${ct.id})`);
    const res = await (await api(base, 'marketeer')).get(`/api/v1/contacts/${ct.id}/export`);
    const d = expectJson(res, 200);
    eq(d.contact.id, ct.id, 'the contact', res);
    eq(d.contact.job_title, 'Engineer', 'its current values', res);
    eq(d.contact.consents[code], true, 'its consents', res);
    ok(d.consent_history.some((e) => e.consent === code && e.granted === '1'), 'the consent history', res);
    ok(d.connections.some((c) => Number(c.customer_id) === cu.id && c.customer_name === `Cust ${m}`), 'connections', res);
    ok(d.marketing_lists.some((l) => l.name === `List ${m}`), 'marketing lists', res);
    ok(d.comments.some((c) => c.body === `comment ${m}`), 'comments', res);
    ok(d.history.some((h) => h.field === 'job_title' && h.new_value === 'Engineer'), 'history', res);
    ok(d.emails.some((e) => e.subject === `Hello ${m}`), 'mails', res);
    ok(typeof d.additional_fields === 'object', 'additional fields', res);
    const c = await web(base, 'sales');
    const view = await c.get(`/contacts/${ct.id}`);
    ok(view.text.includes(`href="/contacts/${ct.id}/export"`), 'the contact page links the download', view);
    const dl = await c.get(`/contacts/${ct.id}/export`);
    expectStatus(dl, 200);
    ok(/attachment/.test(dl.headers.get('content-disposition') || ''), 'served as a download', dl);
    eq(dl.json().contact.id, ct.id, 'the same data', dl);
    expectJsonError(await a.get('/api/v1/contacts/999999999/export'), 404, 'not_found');
    expectJsonError(await (await api(base, 'norole')).get(`/api/v1/contacts/${ct.id}/export`), 403, 'forbidden');
  });

  T('duplicates: POST /api/v1/contacts answers 409 with candidates by email (either slot), phone digits and folded name', async () => {
    const a = await api(base, 'sales');
    const m = mark();
    const email = `${m}@example.com`.toLowerCase();
    const ph = phone();
    const first = await apiCreate(a, { first_name: 'José', last_name: m, email_2: email, mobile_phone: ph });
    for (const [what, body] of [
      ['email in the other slot, other case', { last_name: `${m}b`, email: email.toUpperCase() }],
      ['phone typed differently', { last_name: `${m}c`, work_phone: ph.replace('+39 347 ', '+39 (347) ') }],
      ['name without accent, other case', { first_name: 'jose', last_name: m.toUpperCase() }],
    ]) {
      const res = await a.post('/api/v1/contacts', { json: body });
      const e = expectJsonError(res, 409, 'duplicate');
      ok(Array.isArray(e.error.candidates) && e.error.candidates.some((c) => c.id === first.id), `${what}: the first contact is a candidate`, res);
    }
    const made = await apiCreate(a, { first_name: 'jose', last_name: m, create_anyway: true });
    ok(made.id && made.id !== first.id, 'create_anyway: true creates it');
    await apiCreate(a, { first_name: 'Someone', last_name: `${m}z`, email: `${m}z@example.com`.toLowerCase() });
  });

  T('duplicates: the staff form shows the likely duplicates and keeps the input; "Save anyway" creates', async () => {
    const c = await web(base, 'sales');
    const m = mark();
    const email = `${m}@example.com`.toLowerCase();
    const a = await api(base, 'sales');
    const first = await apiCreate(a, { first_name: 'Form', last_name: m, email });
    const page = await c.get('/contacts/new');
    const csrf = getCsrf(page.text);
    const form = { csrf_token: csrf, active: '1', action: 'save', first_name: 'Other', last_name: `${m}x`, email: email.toUpperCase() };
    const res = await c.post('/contacts', { form });
    expectStatus(res, 409);
    ok(res.text.includes('id="duplicates"') && res.text.includes(`href="/contacts/${first.id}"`), 'the candidate is listed', res);
    ok(res.text.includes('id="save-anyway"'), 'a Save anyway button', res);
    ok(res.text.includes(`value="${m}x"`), 'the typed values are kept', res);
    eq(Number(sql(`SELECT COUNT(*) FROM contacts WHERE last_name = '${m}x'`)), 0, 'nothing was created');
    const res2 = await c.post('/contacts', { form: { ...form, create_anyway: '1' } });
    expectStatus(res2, 303);
    eq(Number(sql(`SELECT COUNT(*) FROM contacts WHERE last_name = '${m}x'`)), 1, 'created on Save anyway');
  });

  T('duplicates report: groups by email, phone and name over the database (managers only)', async () => {
    const a = await api(base, 'sales');
    const m = mark();
    const email = `${m}@example.com`.toLowerCase();
    const x = await apiCreate(a, { first_name: 'Rep', last_name: m, email });
    const y = await apiCreate(a, { first_name: 'Rep2', last_name: `${m}b`, email, create_anyway: true });
    const mgr = await web(base, 'manager');
    const res = await mgr.get('/contacts/duplicates');
    expectStatus(res, 200);
    const row = res.text.split('<tr class="dupe-group">').find((t) => t.includes(email));
    ok(row, 'a group for the shared email', res);
    ok(row.includes(`href="/contacts/${x.id}"`) && row.includes(`href="/contacts/${y.id}"`), 'with its contacts', res);
    expectStatus(await (await web(base, 'sales')).get('/contacts/duplicates'), 403);
  });

  // ---------------------------------------------------------------- CSV import (API)

  /** POST a CSV file (Buffer or string) to the import; the JSON report. */
  async function importCsv(c, body, query = '') {
    const res = await c.request('POST', `/api/v1/contacts/import${query}`, { body, headers: { 'content-type': 'text/csv' }, timeout: 60000 });
    return { res, body: res.status === 200 ? res.json() : null };
  }
  function count(m) { return Number(sql(`SELECT COUNT(*) FROM contacts WHERE last_name LIKE '${m}%' AND deleted_at IS NULL`)); }

  T('import: a CSV with a BOM, semicolons, quoted newlines and accented names imports exactly', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const csv = '\uFEFFfirst_name;last_name;email;notes;Mobile phone\r\n' +
      `"Zoë";"${m}Ørsted";zoe.${m}@example.com;"line one\r\nline ""two""; end";${phone()}\r\n` +
      `Niccolò;${m}Dell'Acqua;nic.${m}@example.com;;\r\n`;
    const dry = await importCsv(a, Buffer.from(csv, 'utf8'), '?dry_run=1');
    expectStatus(dry.res, 200);
    eq(dry.body.encoding, 'utf-8-bom', 'BOM seen', dry.res);
    eq(dry.body.delimiter, ';', 'semicolons seen', dry.res);
    eq(dry.body.columns['Mobile phone'], 'mobile_phone', 'an English label maps to its field', dry.res);
    eq(dry.body.created, 2, 'the dry run reports two created', dry.res);
    eq(count(m), 0, 'a dry run stores nothing');
    const real = await importCsv(a, Buffer.from(csv, 'utf8'));
    eq(real.body.created, 2, 'two created', real.res);
    const id = real.body.rows[0].id;
    const got = expectJson(await a.get(`/api/v1/contacts/${id}`), 200);
    eq(got.first_name, 'Zoë', 'accents kept');
    eq(got.last_name, `${m}Ørsted`, 'accents kept');
    eq(got.notes, 'line one\r\nline "two"; end', 'quoted newline, quotes and delimiter kept');
    eq(got.source, 'import', 'source is import');
  });

  T('import: one bad row is reported by line; the dry run stores nothing, the real run imports the rest', async () => {
    const a = await api(base, 'admin');
    const m = mark();
    const csv = 'first_name,last_name,email,birthday\n' +
      `Ann,${m}a,ann.${m}@example.com,1980-02-03\n` +
      `Bad,${m}b,not-an-email,2999-01-01\n` +
      `Cid,${m}c,cid.${m}@example.com,\n`;
    const dry = await importCsv(a, csv, '?dry_run=1');
    eq(dry.body.refused, 1, 'one refused', dry.res);
    const bad = dry.body.rows.find((r) => r.result === 'refused');
    eq(bad.line, 3, 'the third line of the file', dry.res);
    ok(bad.errors.email && bad.errors.birthday, 'with the reasons per field', dry.res);
    eq(count(m), 0, 'nothing stored by the dry run');
    const real = await importCsv(a, csv);
    eq(`${real.body.created}/${real.body.refused}`, '2/1', 'two created, one refused', real.res);
    eq(count(m), 2, 'the two good rows are stored');
  });

  T('import: re-running the same file with skip changes nothing; update fills values; Windows-1252 is converted', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const csv = Buffer.concat([Buffer.from(`first_name,last_name,email,job_title\r\n`), Buffer.from([0x52, 0xe9, 0x6d, 0x69]),
      Buffer.from(`,${m}x,remi.${m}@example.com,\r\nPia,${m}y,pia.${m}@example.com,Chef\r\n`)]);
    const first = await importCsv(a, csv);
    eq(first.body.encoding, 'windows-1252', 'Windows-1252 detected', first.res);
    eq(first.body.created, 2, 'created', first.res);
    const before = sql(`SELECT GROUP_CONCAT(CONCAT(id, ':', version, ':', first_name) ORDER BY id) FROM contacts WHERE last_name LIKE '${m}%'`);
    ok(before.includes(':Rémi'), 'é converted to UTF-8');
    const again = await importCsv(a, csv, '?on_duplicate=skip');
    eq(`${again.body.created}/${again.body.updated}/${again.body.skipped}`, '0/0/2', 'both skipped as duplicates', again.res);
    eq(sql(`SELECT GROUP_CONCAT(CONCAT(id, ':', version, ':', first_name) ORDER BY id) FROM contacts WHERE last_name LIKE '${m}%'`), before, 'nothing changed');
    const upd = await importCsv(a, `email,job_title\nremi.${m}@example.com,Pilot\n`, '?on_duplicate=update');
    eq(upd.body.updated, 1, 'updated', upd.res);
    const row = sql(`SELECT CONCAT(first_name, '|', job_title) FROM contacts WHERE email = 'remi.${m}@example.com'`);
    eq(row, 'Rémi|Pilot', 'the file value is written, the others kept');
    const dup = await importCsv(a, `email\nremi.${m}@example.com\n`, '?on_duplicate=create');
    eq(dup.body.created, 1, 'create makes another one', dup.res);
  });

  T('import: a customer column connects to an existing customer or creates each missing one once', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const existing = expectJson(await a.post('/api/v1/customers', { json: { name: `Old ${m}`, type: 'customer' } }), 201);
    const csv = `first_name,last_name,customer\nA,${m}1,Old ${m}\nB,${m}2,New ${m}\nC,${m}3,New ${m}\n`;
    const res = await importCsv(a, csv);
    eq(res.body.created, 3, 'created', res.res);
    eq(Number(sql(`SELECT COUNT(*) FROM customers WHERE name = 'New ${m}'`)), 1, 'the missing customer is created once');
    eq(Number(sql(`SELECT COUNT(*) FROM connections WHERE customer_id = ${existing.id}`)), 1, 'the existing customer is connected');
    eq(Number(sql(`SELECT COUNT(*) FROM connections x JOIN customers c ON c.id = x.customer_id WHERE c.name = 'New ${m}'`)), 2, 'both rows connect to the new one');
  });

  T('import: the name duplicate key includes the customer, as on the form: the same name at another customer is a new contact', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const cu = expectJson(await a.post('/api/v1/customers', { json: { name: `Acme ${m}`, type: 'customer' } }), 201);
    const other = expectJson(await a.post('/api/v1/customers', { json: { name: `Other ${m}`, type: 'customer' } }), 201);
    const ct = await apiCreate(a, { first_name: 'Mario', last_name: m });
    expectJson(await a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'customer', target_id: cu.id } }), 201);
    for (const [customer, created, skipped, what] of [
      [`Acme ${m}`, 0, 1, 'the same name at the same customer is a duplicate'],
      [`Other ${m}`, 1, 0, 'the same name at another existing customer is another person'],
      [`Brand new ${m}`, 1, 0, 'the same name at a customer the import creates is another person'],
    ]) {
      const res = await importCsv(a, `first_name,last_name,customer\nmario,${m.toUpperCase()},${customer}\n`);
      eq(`${res.body.created} created, ${res.body.skipped} skipped`, `${created} created, ${skipped} skipped`, what, res.res);
    }
    eq(Number(sql(`SELECT COUNT(*) FROM connections WHERE customer_id = ${other.id}`)), 1, 'the new contact is connected to the other customer');
    // without a customer column the name alone still finds the stored contact
    const plain = await importCsv(a, `first_name,last_name\nMario,${m}\n`);
    eq(plain.body.skipped, 1, 'no customer in the file: the name alone is a duplicate', plain.res);
  });

  T('import: export then import gives identical contacts', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    await apiCreate(a, { first_name: 'Éva', last_name: `${m}a`, email: `eva.${m}@example.com`, mobile_phone: phone(), notes: 'multi\nline, "quoted"', birthday: '1990-05-06', language: 'it', timezone: 'Europe/Rome', contact_type: 'partner_contact', job_title: '=not a formula' });
    await apiCreate(a, { first_name: 'Bo', last_name: `${m}b`, do_not_call: true, work_phone: phone() });
    const exp1 = await a.get(`/api/v1/contacts/export?format=csv&q=${m}`);
    const rows1 = parseCsv(exp1.text);
    eq(rows1.length, 3, 'two exported', exp1);
    for (const r of rows1.slice(1)) expectStatus(await a.request('DELETE', `/api/v1/contacts/${r[0]}`), 204);
    const imp = await importCsv(a, exp1.text);
    eq(imp.body.created, 2, 'both imported again', imp.res);
    const exp2 = await a.get(`/api/v1/contacts/export?format=csv&q=${m}`);
    const rows2 = parseCsv(exp2.text);
    const head = rows1[0];
    const skip = new Set(['id', 'created_at', 'updated_at', 'source']);
    const strip = (rows) => rows.slice(1).map((r) => r.filter((_, i) => !skip.has(head[i])).join('\u0001')).sort();
    const a1 = strip(rows1), a2 = strip(rows2);
    for (let i = 0; i < a1.length; i++) {
      const c1 = a1[i].split('\u0001'), c2 = (a2[i] || '').split('\u0001');
      const names = head.filter((h) => !skip.has(h));
      const diff = names.filter((_, k) => c1[k] !== c2[k]).map((n) => `${n}: ${JSON.stringify(c1[names.indexOf(n)])} -> ${JSON.stringify(c2[names.indexOf(n)])}`);
      eq(diff.join('; '), '', 'the same values in every other column', exp2);
    }
    eq(a2.length, a1.length, 'as many rows', exp2);
    eq(sql(`SELECT job_title FROM contacts WHERE last_name = '${m}a' AND deleted_at IS NULL`), '=not a formula', 'the apostrophe of the export is taken off again');
  });

  T('import: crm_sales and crm_marketeer get 403; a malformed or empty file is refused', async () => {
    for (const role of ['sales', 'marketeer']) {
      expectJsonError((await importCsv(await api(base, role), 'first_name\nX\n')).res, 403, 'forbidden');
    }
    const a = await api(base, 'manager');
    expectJsonError((await importCsv(a, '')).res, 400, 'bad_request');
    const m = mark();
    const bad = await importCsv(a, `first_name,last_name\nOk,${m}\n"Never,${m}z\n`, '?dry_run=1');
    eq(bad.body.refused, 1, 'the malformed line is reported', bad.res);
    expectJsonError((await importCsv(a, 'first_name\nX\n', '?on_duplicate=merge')).res, 422, 'invalid');
  });

  T('import page: upload with a dry run shows the report per line and stores nothing; the real run imports', async () => {
    const c = await web(base, 'manager');
    const page = await c.get('/contacts/import');
    expectStatus(page, 200);
    const csrf = getCsrf(page.text);
    ok(csrf && /enctype="multipart\/form-data"/.test(page.text), 'a multipart form with the csrf token', page);
    const m = mark();
    const csv = `Nome;Cognome;Email\nLuca;${m};luca.${m}@example.com\nX;${m}b;bad-email\n`;
    const send = (extra) => {
      const fd = new FormData();
      fd.append('csrf_token', csrf);
      fd.append('on_duplicate', 'skip');
      for (const [k, v] of Object.entries(extra)) fd.append(k, v);
      fd.append('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
      return c.post('/contacts/import', { body: fd });
    };
    const dry = await send({ dry_run: '1' });
    expectStatus(dry, 200);
    ok(/id="n-created">1</.test(dry.text) && /id="n-refused">1</.test(dry.text), 'one to create, one refused', dry);
    ok(dry.text.includes('class="result-refused"') && dry.text.includes('email:'), 'the refused line with its reason', dry);
    ok(/<td>Nome<\/td><td>first_name<\/td>/.test(dry.text), 'Italian labels map to the fields', dry);
    eq(count(m), 0, 'a dry run stores nothing');
    const real = await send({});
    expectStatus(real, 200);
    ok(/id="n-created">1</.test(real.text), 'created', real);
    eq(count(m), 1, 'stored');
    const noCsrf = new FormData();
    noCsrf.append('file', new Blob([csv]), 'x.csv');
    expectStatus(await c.post('/contacts/import', { body: noCsrf }), 403);
    expectStatus(await (await web(base, 'sales')).get('/contacts/import'), 403);
  });

  T('import: 5,000 rows in one transaction (rows/s logged); 5,001 rows are refused with 413', async () => {
    const a = await api(base, 'admin');
    const m = mark();
    const lines = ['first_name,last_name,email,mobile_phone,job_title'];
    const base0 = PHONE_BASE + 100000 + Math.floor(Math.random() * 100000) * 0;
    for (let i = 0; i < 5000; i++) lines.push(`F${i},${m},f${i}.${m}@example.com,+39 348 ${String(base0 + i).padStart(7, '0')},Job ${i}`);
    const csv = lines.join('\n') + '\n';
    const t0 = Date.now();
    const res = await importCsv(a, csv);
    const ms = Date.now() - t0;
    eq(res.body && res.body.created, 5000, 'all created', res.res);
    console.log(`    import of 5,000 rows in ${ms} ms (${Math.round(5000 / (ms / 1000))} rows/s)`);
    const t1 = Date.now();
    const again = await importCsv(a, csv, '?dry_run=1');
    console.log(`    dry run of the same 5,000 rows (all duplicates) in ${Date.now() - t1} ms`);
    eq(again.body.skipped, 5000, 'all skipped as duplicates', again.res);
    expectJsonError((await importCsv(a, csv + `X,${m},x.${m}@example.com,,\n`)).res, 413, 'too_large');
    eq(count(m), 5000, 'the refused file left nothing behind');
    sql(`DELETE FROM contacts WHERE last_name = '${m}'`);
  }, { timeout: 180000 });

  // ---------------------------------------------------------------- vCard

  function vcards(m, p) {
    const apple = ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//macOS 14.5//EN', `N:${m}Esposito;Giulia;;;`,
      `FN:Giulia ${m}Esposito`, `ORG:Esposito ${m} Design;`, 'TITLE:Art Director',
      `item1.EMAIL;type=INTERNET;type=pref:giulia.${m}@example.com`, 'item1.X-ABLabel:_$!<Other>!$_',
      `TEL;type=CELL;type=VOICE;type=pref:${p[0]}`, `TEL;type=WORK;type=VOICE:${p[1]}`,
      'item2.ADR;type=HOME;type=pref:;;Via Roma 1;Milano;;20100;Italy', 'BDAY;value=date:1985-07-14',
      'NOTE:Met at the fair\\nFollow up\\, soon', 'END:VCARD'].join('\r\n') + '\r\n';
    const google = ['BEGIN:VCARD', 'VERSION:3.0', `FN:Marco ${m}Bruno`, `N:${m}Bruno;Marco;;;`,
      `EMAIL;TYPE=INTERNET;TYPE=HOME:marco.${m}@example.com`, `EMAIL;TYPE=INTERNET;TYPE=WORK:m.bruno.${m}@example.com`,
      `TEL;TYPE=CELL:${p[2]}`, `TEL;TYPE=WORK:${p[3]}`, 'ORG:Bruno Srl', 'TITLE:CTO', 'CATEGORIES:myContacts',
      'END:VCARD'].join('\r\n') + '\r\n';
    // Outlook 2.1: Windows-1252 names in quoted-printable, a soft line break in the note, bare TYPE values
    const outlook = ['BEGIN:VCARD', 'VERSION:2.1', `N;LANGUAGE=de;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:${m}M=FCller;J=F6rg`,
      `FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:J=F6rg ${m}M=FCller`, `ORG:M=FCller GmbH`,
      `TEL;WORK;VOICE:${p[4]}`, `TEL;CELL;VOICE:${p[5]}`, `EMAIL;PREF;INTERNET:joerg.${m}@example.de`,
      'NOTE;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0AZweite Zeile mit =C3=9F ist UTF-8? nein: Stra=DFe und ein sehr l=',
      'anger Text', 'LANG:de-DE', 'END:VCARD'].join('\r\n') + '\r\n';
    return { apple, google, outlook };
  }

  T('vCard import: Apple Contacts 3.0, Google 3.0 and Outlook 2.1 (quoted-printable) files import with phones and emails', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const p = [phone(), phone(), phone(), phone(), phone(), phone()];
    const v = vcards(m, p);
    const res = await a.request('POST', '/api/v1/contacts/import', { body: v.apple + v.google + v.outlook, headers: { 'content-type': 'text/vcard' } });
    const body = expectJson(res, 200);
    eq(body.format, 'vcard', 'read as vCards', res);
    eq(body.created, 3, 'three contacts', res);
    const get = async (i) => expectJson(await a.get(`/api/v1/contacts/${body.rows[i].id}`), 200);
    const g = await get(0);
    eq(`${g.first_name}|${g.last_name}|${g.email}|${g.mobile_phone}|${g.work_phone}|${g.job_title}|${g.birthday}`,
      `Giulia|${m}Esposito|giulia.${m}@example.com|${p[0]}|${p[1]}|Art Director|1985-07-14`, 'Apple card', res);
    eq(g.notes, 'Met at the fair\nFollow up, soon', 'escaped newline and comma', res);
    const b = await get(1);
    eq(`${b.first_name}|${b.last_name}|${b.email}|${b.email_2}|${b.mobile_phone}|${b.work_phone}|${b.job_title}`,
      `Marco|${m}Bruno|marco.${m}@example.com|m.bruno.${m}@example.com|${p[2]}|${p[3]}|CTO`, 'Google card', res);
    const o = await get(2);
    eq(`${o.first_name}|${o.last_name}|${o.email}|${o.mobile_phone}|${o.work_phone}|${o.language}`,
      `Jörg|${m}Müller|joerg.${m}@example.de|${p[5]}|${p[4]}|de`, 'Outlook card: QP and Windows-1252 decoded', res);
    ok(o.notes.startsWith('Erste Zeile\r\nZweite Zeile') && o.notes.endsWith('Straße und ein sehr langer Text'), 'QP soft line break joined', res);
    eq(Number(sql(`SELECT COUNT(*) FROM connections x JOIN customers c ON c.id = x.customer_id WHERE c.name = 'Esposito ${m} Design'`)), 1, 'ORG connects a customer');
    const again = expectJson(await a.request('POST', '/api/v1/contacts/import', { body: v.apple + v.google + v.outlook, headers: { 'content-type': 'text/vcard' } }), 200);
    eq(again.skipped, 3, 'the same file again: all skipped as duplicates');
  });

  T('vCard export: list (4.0, or 3.0 on request) and one contact re-import to the same data', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const made = [
      await apiCreate(a, { first_name: 'Ída', middle_name: 'M', last_name: `${m}a`, email: `ida.${m}@example.com`, email_2: `ida2.${m}@example.com`, mobile_phone: phone(), mobile_phone_2: phone(), work_phone: phone(), job_title: 'Boss; chief, really', birthday: '1970-12-31', notes: 'two\nlines and a long text that is longer than seventy-five bytes so it must be folded ééé', language: 'it', timezone: 'Europe/Rome' }),
      await apiCreate(a, { first_name: 'Ugo', last_name: `${m}b`, work_phone: phone() }),
    ];
    const keys = ['first_name', 'middle_name', 'last_name', 'email', 'email_2', 'mobile_phone', 'mobile_phone_2', 'work_phone', 'job_title', 'birthday', 'notes', 'language', 'timezone'];
    const pick = (c) => keys.map((k) => c[k] ?? '').join('|');
    const want = made.map(pick).sort();
    for (const version of ['4.0', '3.0']) {
      const res = await a.get(`/api/v1/contacts/export?format=vcf&version=${version}&q=${m}`);
      expectStatus(res, 200);
      ok(/^text\/vcard/.test(res.headers.get('content-type')), 'text/vcard', res);
      ok(res.text.includes(`VERSION:${version}`), `version ${version}`, res);
      ok(res.text.split('\r\n').every((l) => Buffer.byteLength(l) <= 76), 'lines folded at 75 bytes', res);
      for (const c of made) expectStatus(await a.request('DELETE', `/api/v1/contacts/${c.id}`), 204);
      const imp = expectJson(await a.request('POST', '/api/v1/contacts/import', { body: res.text, headers: { 'content-type': 'text/vcard' } }), 200);
      eq(imp.created, 2, `both re-imported (${version})`, res);
      const back = [];
      for (const r of imp.rows) back.push(expectJson(await a.get(`/api/v1/contacts/${r.id}`), 200));
      eq(JSON.stringify(back.map(pick).sort()), JSON.stringify(want), `the same data after ${version}`, res);
      made.splice(0, made.length, ...back);
    }
    const c = await web(base, 'sales');
    const one = await c.get(`/contacts/${made[0].id}/vcard`);
    expectStatus(one, 200);
    eq((one.text.match(/BEGIN:VCARD/g) || []).length, 1, 'one card', one);
    ok((await c.get(`/contacts/${made[0].id}`)).text.includes(`/contacts/${made[0].id}/vcard`), 'linked from the contact page');
  });
}

