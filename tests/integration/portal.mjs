// Portal (SPEC §4): access data mailed when portal_user is switched on, single-use password links, the access window
// on every request, password reset and change. Through nginx, reading the mails the SMTP sink received.
import fs from 'node:fs';
import path from 'node:path';
import {
  test, ok, eq, expectStatus, expectRedirect, expectJson, Client, crmctl, env, sleep, stack, parseForm, uniq,
} from '../lib/harness.mjs';
import { once, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';
import { createToken } from '../lib/harness.mjs';
import { dedicatedUser, PASSWORD } from './fixtures.mjs';
import { login } from '../lib/harness.mjs';

export const PORTAL_PW = 'Portal-pw-' + uniq(8);

function mailFiles() {
  const dir = path.join(env('CRM_MAIL_DIR'), 'new');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}

/** The Subject of a raw mail, its folded lines joined and RFC 2047 encoded words (UTF-8, B) decoded. */
export function subjectOf(mail) {
  const raw = ((mail || '').match(/^Subject: (.*(?:\r?\n[ \t].*)*)/m) || [])[1] || '';
  return raw.replace(/\r?\n[ \t]/g, ' ')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(\s+(?==\?UTF-8\?B\?))?/gi, (_, b64) => Buffer.from(b64, 'base64').toString('latin1'))
    .replace(/[\x80-\xff]+/g, (bytes) => Buffer.from(bytes, 'latin1').toString('utf8'));
}

/** Mails to `to` (header To:), optionally whose Subject matches. */
export function mailsTo(to, subject) {
  const re = new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}\\r?$`, 'mi');
  return mailFiles().filter((m) => re.test(m) && (!subject || subject.test(subjectOf(m))));
}

/** Waits up to 5 s for the n-th mail to `to`. */
export async function waitMail(to, subject, n = 1) {
  for (let i = 0; i < 50; i++) {
    const m = mailsTo(to, subject);
    if (m.length >= n) return m[n - 1];
    await sleep(100);
  }
  ok(false, `no mail ${n} to ${to} (${subject || 'any subject'}) in ${env('CRM_MAIL_DIR')}/new`);
  return null;
}

/** Waits up to 5 s for a mail to `to` whose text includes `text` (the sink's files come in no particular order). */
export async function waitMailWith(to, text) {
  for (let i = 0; i < 50; i++) {
    const m = mailsTo(to).find((x) => x.includes(text));
    if (m) return m;
    await sleep(100);
  }
  ok(false, `no mail to ${to} with ${JSON.stringify(text)}`);
  return null;
}

export const tokenOf = (mail) => ((mail || '').match(/\/password\?token=([0-9a-f]{64})/) || [])[1];

/** A staff API client (crm_sales token). */
export function staffApi(base) {
  return once('portal-api:' + base, async () => {
    const c = new Client(base);
    c.headers.authorization = 'Bearer ' + await createToken(await dedicatedUser('pmgr', ['crm_manager']));
    return c;
  });
}

let seq = 0;
export function portalEmail(tag = 'p') { seq += 1; return `portal-${RUN}-${tag}${seq}@example.test`.toLowerCase(); }

/** Creates a contact with portal access through the staff API; returns the stored contact. */
export async function createPortalContact(base, extra = {}) {
  const a = await staffApi(base);
  const email = extra.email || portalEmail();
  seq += 1;
  const res = await a.post('/api/v1/contacts', { json: { first_name: 'Paula', last_name: `Portal${RUN}n${seq}`, email, portal_user: true, ...extra } });
  return expectJson(res, 201);
}

/** Choose a password with the link of a mail; returns the POST answer. */
export async function usePasswordLink(portal, token, pw = PORTAL_PW) {
  const c = new Client(portal);
  const page = await c.get(`/password?token=${token}`);
  const form = parseForm(page.text, { action: /\/password/ });
  ok(form, `no password form for the link (status ${page.status})`, page);
  return c.post('/password', { form: { ...form.fields, password: pw, password2: pw } });
}

export async function portalLogin(portal, email, pw = PORTAL_PW) {
  const c = new Client(portal);
  const page = await c.get('/login');
  const form = parseForm(page.text, { action: /\/login/ });
  const res = await c.post('/login', { form: { ...form.fields, email, password: pw } });
  c.loginResponse = res;
  return c;
}

/** A contact with portal access, its password chosen through the mailed link, signed in. */
export async function portalUser(base, portal, extra = {}) {
  const contact = await createPortalContact(base, extra);
  const mail = await waitMail(contact.email, /access|accesso/i);
  expectRedirect(await usePasswordLink(portal, tokenOf(mail)), '/login?saved=1');
  const c = await portalLogin(portal, contact.email);
  expectRedirect(c.loginResponse, '/home');
  c.contact = contact;
  return c;
}

/** Opens a ticket in the portal; returns its id. */
export async function openTicket(c, subject = `Printer ${uniq(4)}`, description = 'It does not print.') {
  const page = await c.get('/tickets/new');
  const form = parseForm(page.text, { action: /\/tickets$/ });
  ok(form, 'new ticket form', page);
  const res = await c.post('/tickets', { form: { ...form.fields, subject, description, category: 'problem', priority: 'high' } });
  const u = expectRedirect(res, /^\/tickets\/\d+$/);
  return Number(u.pathname.split('/').pop());
}

/** A staff web client (crm_sales) with the csrf token of the ticket page in c.csrf. */
async function staffWeb(base, tag = 'pstaff') {
  return login(base, await dedicatedUser(tag), PASSWORD);
}

/** The uploads directory of the running stack (app.uploads). */
function uploadsDir() {
  return /^app\.uploads\s*=\s*(.*)$/m.exec(fs.readFileSync(env('CRM_CONFIG'), 'utf8'))[1].trim();
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** Multipart upload of `bytes` as `name` to `path` with the csrf token of `pagePath` (plus extra fields). */
export async function upload(c, pagePath, path, name, bytes, extra = {}) {
  const page = await c.get(pagePath);
  const fd = new FormData();
  const csrf = (/name="csrf_token" value="([0-9a-f]{64})"/.exec(page.text) || [])[1];
  ok(csrf, `csrf token on ${pagePath}`, page);
  fd.append('csrf_token', csrf);
  for (const [k, v] of Object.entries(extra)) fd.append(k, String(v));
  fd.append('file', new Blob([bytes]), name);
  return c.post(path, { body: fd, timeout: 60000 });
}

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

export function registerPortalTests(base, portal) {
  test('portal: enabling portal_user mails the access data; the link sets the password; sign-in works', async () => {
    const contact = await createPortalContact(base);
    const mail = await waitMail(contact.email, /access/i);
    ok(mail.includes(`Your login: ${contact.email}`), 'the mail carries the login', { text: mail });
    ok(!/password:\s*\S/i.test(mail.replace(/Choose your password/i, '')), 'no password in the mail', { text: mail });
    const token = tokenOf(mail);
    ok(token, 'the mail carries a password link', { text: mail });
    eq(sql(`SELECT COUNT(*) FROM portal_tokens WHERE token_hash = SHA2('${token}', 256)`), '1', 'only the hash is stored');
    eq(sql(`SELECT COUNT(*) FROM portal_tokens WHERE token_hash = '${token}'`), '0', 'the plain token is not stored');
    expectRedirect(await usePasswordLink(portal, token), '/login?saved=1');
    ok(/^\$argon2id\$/.test(sql(`SELECT password_hash FROM portal_accounts WHERE contact_id = ${contact.id}`)), 'Argon2id hash');
    const c = await portalLogin(portal, contact.email);
    expectRedirect(c.loginResponse, '/home');
    const home = expectStatus(await c.get('/home'), 200);
    ok(home.text.includes('Paula'), 'home greets the contact', home);
  });

  test('portal: a password link works once; reused it is refused', async () => {
    const contact = await createPortalContact(base);
    const token = tokenOf(await waitMail(contact.email, /access/i));
    expectRedirect(await usePasswordLink(portal, token), '/login?saved=1');
    const again = await new Client(portal).get(`/password?token=${token}`);
    expectStatus(again, 404);
    ok(again.text.includes('id="link-invalid"'), 'the page says the link is not valid', again);
    const post = await new Client(portal).post('/password', { form: { token, password: 'x'.repeat(12), password2: 'x'.repeat(12) } });
    ok(post.status === 403 || post.status === 404, `POST with a spent token refused (got ${post.status})`, post);
  });

  test('portal: portal_user without an email, or with another portal login\'s email, is refused on the email field', async () => {
    const a = await staffApi(base);
    const none = await a.post('/api/v1/contacts', { json: { last_name: `NoMail${RUN}`, portal_user: true } });
    expectStatus(none, 422);
    ok(none.json().error.fields.email, 'error on email', none);
    const first = await createPortalContact(base);
    const dup = await a.post('/api/v1/contacts', { json: { last_name: `Dup${RUN}`, email: first.email.toUpperCase(), portal_user: true } });
    expectStatus(dup, 422);
    ok(/portal/i.test(dup.json().error.fields.email), 'the email error names the portal', dup);
  });

  test('portal: the access mail uses the contact\'s language (Italian), and so does the portal', async () => {
    const c = await portalUser(base, portal, { language: 'it' });
    const mail = mailsTo(c.contact.email)[0];
    ok(/^Subject: Il tuo accesso/m.test(mail), 'Italian subject', { text: mail });
    const home = expectStatus(await c.get('/home'), 200);
    ok(home.text.includes('Benvenuto') || home.text.includes('lang="it"'), 'portal page in Italian', home);
  });

  test('portal: outside the support window sign-in is refused with the reason and the date', async () => {
    const end = day(-3);
    const contact = await createPortalContact(base, { support_start_date: day(-30), support_end_date: end });
    // the mail is sent (the account exists) but the window has passed
    expectRedirect(await usePasswordLink(portal, tokenOf(await waitMail(contact.email, /access/i))), '/login?saved=1');
    const c = await portalLogin(portal, contact.email);
    expectStatus(c.loginResponse, 403);
    ok(c.loginResponse.text.includes(`ended on ${end}`), `reason with the date ${end}`, c.loginResponse);
    ok(!c.jar.has('crm_portal'), 'no session');
    const later = await createPortalContact(base, { support_start_date: day(5) });
    expectRedirect(await usePasswordLink(portal, tokenOf(await waitMail(later.email, /access/i))), '/login?saved=1');
    const c2 = await portalLogin(portal, later.email);
    expectStatus(c2.loginResponse, 403);
    ok(c2.loginResponse.text.includes(`starts on ${day(5)}`), 'not yet, with the start date', c2.loginResponse);
  });

  test('portal: a signed-in session whose support window ends is refused at its next request, with the reason', async () => {
    const c = await portalUser(base, portal);
    expectStatus(await c.get('/home'), 200);
    const end = day(-1);
    sql(`UPDATE contacts SET support_end_date = '${end}' WHERE id = ${c.contact.id}`);
    const res = await c.get('/home');
    expectStatus(res, 403);
    ok(res.text.includes(`ended on ${end}`), 'the page says access ended and when', res);
    eq(sql(`SELECT COUNT(*) FROM portal_sessions s JOIN portal_accounts a ON a.id = s.account_id WHERE a.contact_id = ${c.contact.id}`), '0', 'session ended');
    expectRedirect(await c.get('/home'), /^\/login/);
  });

  test('portal: disabling portal_user, deactivating or deleting the contact ends its portal sessions at once', async () => {
    const a = await staffApi(base);
    for (const change of [{ portal_user: false }, { active: false }, 'delete']) {
      const c = await portalUser(base, portal);
      expectStatus(await c.get('/home'), 200);
      if (change === 'delete') {
        expectStatus(await a.request('DELETE', `/api/v1/contacts/${c.contact.id}`), 204);
      } else {
        const cur = expectJson(await a.get(`/api/v1/contacts/${c.contact.id}`), 200);
        expectStatus(await a.request('PATCH', `/api/v1/contacts/${c.contact.id}`, { json: { version: cur.version, ...change } }), 200);
      }
      eq(sql(`SELECT COUNT(*) FROM portal_sessions s JOIN portal_accounts a ON a.id = s.account_id WHERE a.contact_id = ${c.contact.id}`), '0',
        `sessions after ${JSON.stringify(change)}`);
      expectRedirect(await c.get('/home'), /^\/login/);
    }
  });

  test('portal: "forgot password" mails a reset link for a known address and answers the same for an unknown one', async () => {
    const c = await portalUser(base, portal);
    const ask = async (email) => {
      const cl = new Client(portal);
      const page = await cl.get('/forgot');
      const form = parseForm(page.text, { action: /\/forgot/ });
      return cl.post('/forgot', { form: { ...form.fields, email } });
    };
    const known = expectStatus(await ask(c.contact.email), 200);
    const unknown = expectStatus(await ask(`nobody-${RUN}@example.test`), 200);
    const strip = (t) => t.replace(/(value|content)="[^"]*"/g, '');
    eq(strip(unknown.text), strip(known.text), 'same page for a known and an unknown address');
    const mail = await waitMail(c.contact.email, /new password/i);
    const newPw = 'Reset-pw-' + uniq(8);
    expectRedirect(await usePasswordLink(portal, tokenOf(mail), newPw), '/login?saved=1');
    expectRedirect((await portalLogin(portal, c.contact.email, newPw)).loginResponse, '/home');
    expectStatus((await portalLogin(portal, c.contact.email)).loginResponse, 401);
    await sleep(300);
    eq(mailsTo(`nobody-${RUN}@example.test`).length, 0, 'no mail to the unknown address');
  });

  test('portal: a signed-in contact changes its password (the current one is checked)', async () => {
    const c = await portalUser(base, portal);
    const page = await c.get('/account/password');
    const form = parseForm(page.text, { action: /\/account\/password/ });
    ok(form, 'change form', page);
    const wrong = await c.post('/account/password', { form: { ...form.fields, current_password: 'wrong-wrong-wrong', password: 'Changed-pw-123', password2: 'Changed-pw-123' } });
    expectStatus(wrong, 422);
    expectRedirect(await c.post('/account/password', { form: { ...form.fields, current_password: PORTAL_PW, password: 'Changed-pw-123', password2: 'Changed-pw-123' } }), '/account/password?saved=1');
    expectRedirect((await portalLogin(portal, c.contact.email, 'Changed-pw-123')).loginResponse, '/home');
  });

  test('portal: SMTP down during the save: the save succeeds, the access mail is delivered once SMTP is back', async () => {
    await stack('smtp-stop');
    let contact;
    try {
      contact = await createPortalContact(base);
      await sleep(500);
      eq(sql(`SELECT status FROM outbox WHERE to_addr = '${contact.email}'`), 'queued', 'the mail waits in the outbox');
      eq(mailsTo(contact.email).length, 0, 'nothing delivered yet');
    } finally {
      await stack('smtp-start');
    }
    // the retry is due (backoff elapsed), the outbox timer runs
    sql(`UPDATE outbox SET next_attempt_at = NOW() WHERE to_addr = '${contact.email}'`);
    await crmctl(['outbox', 'flush']);
    const mail = await waitMail(contact.email, /access/i);
    ok(tokenOf(mail), 'the delivered mail carries the link');
    eq(sql(`SELECT status FROM outbox WHERE to_addr = '${contact.email}'`), 'sent', 'outbox row sent');
  }, { timeout: 120000 });

  test('portal: a contact opens a ticket, sees it in its list with the status, gets the confirmation mail', async () => {
    const c = await portalUser(base, portal);
    const subject = `Broken ${uniq(5)}`;
    const id = await openTicket(c, subject);
    const view = expectStatus(await c.get(`/tickets/${id}`), 200);
    ok(view.text.includes(subject) && view.text.includes('It does not print.'), 'ticket page shows subject and description', view);
    const list = expectStatus(await c.get('/tickets'), 200);
    ok(list.text.includes(subject) && list.text.includes('Open'), 'list shows the ticket and its status', list);
    const mail = await waitMail(c.contact.email, /received/i);
    ok(mail.includes(`T-${String(id).padStart(6, '0')}`), 'the mail carries the ticket number', { text: mail });
    eq(sql(`SELECT CONCAT(status, ' ', priority, ' ', category) FROM tickets WHERE id = ${id}`), 'open high problem', 'stored');
  });

  test('portal: a ticket subject with accents reaches the mail Subject as RFC 2047 encoded words, whole', async () => {
    const c = await portalUser(base, portal);
    const subject = `Stampante è guasta — Müller ${uniq(5)}`;
    const id = await openTicket(c, subject);
    const mail = await waitMail(c.contact.email, /received/i);
    const raw = (mail.match(/^Subject: (.*(?:\r?\n[ \t].*)*)/m) || [])[1] || '';
    ok(/^=\?UTF-8\?B\?/.test(raw), `the Subject is encoded: ${raw}`, { text: mail });
    ok(!/[^\x00-\x7f]/.test(raw), 'the raw Subject header is ASCII only', { text: mail });
    ok(raw.split(/\r?\n/).every((l) => l.length <= 76), 'folded lines of at most 76 characters', { text: mail });
    eq(subjectOf(mail), `Ticket T-${String(id).padStart(6, '0')} received: ${subject}`, 'the decoded Subject');
  });

  test('portal: staff see the ticket on the contact page, reply and change status; the contact reads the thread, comments and closes', async () => {
    const c = await portalUser(base, portal);
    const subject = `Thread ${uniq(5)}`;
    const id = await openTicket(c, subject);
    const s = await staffWeb(base);
    const cp = expectStatus(await s.page(`/contacts/${c.contact.id}`), 200);
    ok(cp.text.includes(`/contacts/tickets/${id}`) && cp.text.includes(subject), 'contact page lists the ticket', cp);
    await s.page(`/contacts/tickets/${id}`);
    expectRedirect(await s.post(`/contacts/tickets/${id}/comments`, { form: { csrf_token: s.csrf, body: 'Please restart it.' } }), `/contacts/tickets/${id}`);
    expectRedirect(await s.post(`/contacts/tickets/${id}`, { form: { csrf_token: s.csrf, status: 'waiting' } }), `/contacts/tickets/${id}`);
    const upd = await waitMail(c.contact.email, /updated/i);
    ok(upd.includes('Please restart it.'), 'the reply mailed to the contact', { text: upd });
    const view = expectStatus(await c.get(`/tickets/${id}`), 200);
    ok(view.text.includes('Please restart it.') && view.text.includes('Waiting for you'), 'contact reads the reply and the status', view);
    const form = parseForm(view.text, { action: new RegExp(`/tickets/${id}/comments`) });
    expectRedirect(await c.post(`/tickets/${id}/comments`, { form: { ...form.fields, body: 'Restarted, works.' } }), `/tickets/${id}`);
    eq(sql(`SELECT status FROM tickets WHERE id = ${id}`), 'open', 'a comment of the contact reopens a waiting ticket');
    const close = parseForm((await c.get(`/tickets/${id}`)).text, { action: new RegExp(`/tickets/${id}/close`) });
    expectRedirect(await c.post(`/tickets/${id}/close`, { form: close.fields }), `/tickets/${id}`);
    eq(sql(`SELECT status, closed_at IS NOT NULL FROM tickets WHERE id = ${id}`), 'closed\t1', 'closed');
    const st = expectStatus(await s.get(`/contacts/tickets/${id}`), 200);
    ok(st.text.includes('Restarted, works.'), 'staff read the contact comment', st);
  });

  test('portal: another contact\'s ticket answers 404 (read, comment, close)', async () => {
    const owner = await portalUser(base, portal);
    const id = await openTicket(owner);
    const other = await portalUser(base, portal);
    const csrf = parseForm((await other.get('/tickets/new')).text, { action: /\/tickets$/ }).fields.csrf_token;
    expectStatus(await other.get(`/tickets/${id}`), 404);
    expectStatus(await other.post(`/tickets/${id}/comments`, { form: { csrf_token: csrf, body: 'hijack' } }), 404);
    expectStatus(await other.post(`/tickets/${id}/close`, { form: { csrf_token: csrf } }), 404);
    eq(sql(`SELECT CONCAT(status, ' ', (SELECT COUNT(*) FROM ticket_comments WHERE ticket_id = ${id}))  FROM tickets WHERE id = ${id}`), 'open 0', 'nothing changed');
  });

  test('portal: block_auto_emails: no ticket mail to the contact while the assigned staff user still gets one', async () => {
    const c = await portalUser(base, portal, { block_auto_emails: true });
    const id = await openTicket(c);
    const assignee = await dedicatedUser('passignee');
    const assigneeId = sql(`SELECT id FROM users WHERE login = '${assignee}'`);
    const s = await staffWeb(base);
    await s.page(`/contacts/tickets/${id}`);
    expectRedirect(await s.post(`/contacts/tickets/${id}`, { form: { csrf_token: s.csrf, assigned_user_id: assigneeId } }), `/contacts/tickets/${id}`);
    const first = await waitMail(`${assignee}@example.test`.toLowerCase(), /updated/i);
    ok(first, 'the assigned user is told');
    const form = parseForm((await c.get(`/tickets/${id}`)).text, { action: new RegExp(`/tickets/${id}/comments`) });
    expectRedirect(await c.post(`/tickets/${id}/comments`, { form: { ...form.fields, body: 'Any news?' } }), `/tickets/${id}`);
    await waitMailWith(`${assignee}@example.test`.toLowerCase(), 'Any news?');
    await sleep(300);
    eq(mailsTo(c.contact.email, /ticket/i).length, 0, 'no ticket mail to the contact');
    eq(sql(`SELECT COUNT(*) FROM outbox WHERE to_addr = '${c.contact.email}' AND template LIKE 'ticket%'`), '0', 'none queued either');
  });

  test('portal: an uploaded document is stored under a random name with its SHA-256, listed, and served as an attachment with nosniff', async () => {
    const c = await portalUser(base, portal);
    const res = await upload(c, '/documents', '/documents', '../../etc/Offer 2026.pdf', PDF);
    expectRedirect(res, '/documents');
    const row = sql(`SELECT id, stored_name, original_name, kind, size, sha256 FROM documents WHERE uploaded_by_contact_id = ${c.contact.id}`).split('\t');
    const [id, stored, original, kind, size, sha] = row;
    eq(original, 'Offer 2026.pdf', 'display name without the path');
    eq(kind, 'pdf', 'kind sniffed');
    eq(Number(size), PDF.length, 'size');
    ok(/^[0-9a-f]{64}$/.test(stored), 'stored under a random name');
    const { createHash } = await import('node:crypto');
    eq(sha, createHash('sha256').update(PDF).digest('hex'), 'checksum');
    ok(fs.readFileSync(path.join(uploadsDir(), stored)).equals(PDF), 'the file is under app.uploads');
    const list = expectStatus(await c.get('/documents'), 200);
    ok(list.text.includes(`/documents/${id}`) && list.text.includes('Offer 2026.pdf'), 'listed', list);
    const dl = await c.get(`/documents/${id}`);
    expectStatus(dl, 200);
    ok(/^attachment;/.test(dl.headers.get('content-disposition') || ''), `attachment (${dl.headers.get('content-disposition')})`);
    eq(dl.headers.get('x-content-type-options'), 'nosniff', 'nosniff');
    eq(dl.headers.get('content-type'), 'application/pdf', 'type from the content');
    eq(dl.text, PDF.toString(), 'the bytes');
  });

  test('portal: an upload over the size limit is refused and nothing is stored', async () => {
    const c = await portalUser(base, portal);
    const before = fs.readdirSync(uploadsDir()).length;
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    const res = await upload(c, '/documents', '/documents', 'big.txt', big);
    expectStatus(res, 413);
    ok(/larger than the upload limit/.test(res.text), 'clear message', res);
    eq(sql(`SELECT COUNT(*) FROM documents WHERE uploaded_by_contact_id = ${c.contact.id}`), '0', 'no row');
    eq(fs.readdirSync(uploadsDir()).length, before, 'no file');
  }, { timeout: 120000 });

  test('portal: a file whose content is not on the whitelist is refused whatever its name', async () => {
    const c = await portalUser(base, portal);
    const res = await upload(c, '/documents', '/documents', 'invoice.pdf', Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00binary\x00\x01'));
    expectStatus(res, 415);
    eq(sql(`SELECT COUNT(*) FROM documents WHERE uploaded_by_contact_id = ${c.contact.id}`), '0', 'no row');
  });

  test('portal: another contact\'s document answers 404; shared with its customer it is visible, unshared it is gone again', async () => {
    const owner = await portalUser(base, portal);
    expectRedirect(await upload(owner, '/documents', '/documents', 'mine.txt', Buffer.from('private notes\n')), '/documents');
    const id = sql(`SELECT id FROM documents WHERE uploaded_by_contact_id = ${owner.contact.id}`);
    const other = await portalUser(base, portal);
    expectStatus(await other.get(`/documents/${id}`), 404);
    ok(!(await other.get('/documents')).text.includes(`/documents/${id}"`), 'not listed');
    // staff share a document with the customer of the other contact
    const customer = Number(sql(`INSERT INTO customers SET name = 'Doc customer ${RUN} ${uniq(4)}', type = 'customer'; SELECT LAST_INSERT_ID()`));
    sql(`INSERT INTO connections SET contact_id = ${other.contact.id}, customer_id = ${customer}, is_primary = 1`);
    const s = await staffWeb(base);
    const up = await upload(s, `/connections/customers/${customer}?tab=documents`, '/contacts/documents', 'price list.csv',
      Buffer.from('item;price\nA;1\n'), { customer_id: customer, share: 1 });
    expectRedirect(up, `/connections/customers/${customer}?tab=documents`);
    const doc = sql(`SELECT id FROM documents WHERE customer_id = ${customer}`);
    const tab = expectStatus(await s.get(`/connections/customers/${customer}?tab=documents`), 200);
    ok(tab.text.includes('price list.csv'), 'the customer profile lists it', tab);
    const seen = await other.get(`/documents/${doc}`);
    expectStatus(seen, 200);
    eq(seen.headers.get('content-type'), 'text/csv; charset=utf-8', 'csv');
    expectStatus(await owner.get(`/documents/${doc}`), 404);
    const t = (/name="csrf_token" value="([0-9a-f]{64})"/.exec(tab.text) || [])[1];
    expectRedirect(await s.post(`/contacts/documents/${doc}/share`, { form: { csrf_token: t, customer_id: customer, share: 0 } }), `/connections/customers/${customer}?tab=documents`);
    expectStatus(await other.get(`/documents/${doc}`), 404);
  });

  test('portal: staff upload a document on the contact page and share it with the contact; a ticket attachment shows on both sides', async () => {
    const c = await portalUser(base, portal);
    const s = await staffWeb(base);
    expectRedirect(await upload(s, `/contacts/${c.contact.id}`, '/contacts/documents', 'contract.pdf', PDF, { contact_id: c.contact.id }),
      `/contacts/${c.contact.id}`);
    const doc = sql(`SELECT id FROM documents WHERE contact_id = ${c.contact.id} AND uploaded_by_user_id IS NOT NULL`);
    expectStatus(await c.get(`/documents/${doc}`), 404);
    const page = await s.get(`/contacts/${c.contact.id}`);
    const t = (/name="csrf_token" value="([0-9a-f]{64})"/.exec(page.text) || [])[1];
    expectRedirect(await s.post(`/contacts/documents/${doc}/share`, { form: { csrf_token: t, contact_id: c.contact.id, share: 1 } }), `/contacts/${c.contact.id}`);
    expectStatus(await c.get(`/documents/${doc}`), 200);
    const tid = await openTicket(c);
    expectRedirect(await upload(c, `/tickets/${tid}`, '/documents', 'screenshot.png', Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1'), { ticket_id: tid }), `/tickets/${tid}`);
    ok((await c.get(`/tickets/${tid}`)).text.includes('screenshot.png'), 'portal ticket shows the attachment');
    ok((await s.get(`/contacts/tickets/${tid}`)).text.includes('screenshot.png'), 'staff ticket page shows the attachment');
    const other = await portalUser(base, portal);
    const r2 = await upload(other, '/documents', '/documents', 'x.txt', Buffer.from('x'), { ticket_id: tid });
    expectStatus(r2, 404);
  });

  test('portal: the contact edits its profile (portal-context additional fields) and grants and withdraws a consent with source portal', async () => {
    const k = `pp${RUN}${uniq(3)}`.toLowerCase();
    const pf = sql(`INSERT INTO custom_fields SET field_key = '${k}_shoe', label_en = 'Shoe size ${k}', type = 'text', ctx_backoffice = 1, ctx_portal = 1, active = 1; SELECT LAST_INSERT_ID()`);
    sql(`INSERT INTO custom_fields SET field_key = '${k}_staff', label_en = 'Staff only ${k}', type = 'text', ctx_backoffice = 1, ctx_portal = 0, active = 1`);
    const cid = sql(`INSERT INTO consents SET code = '${k}_news', title_en = 'News ${k}', active = 1; SELECT LAST_INSERT_ID()`);
    sql(`INSERT INTO consent_versions SET consent_id = ${cid}, version = 1, text_en = 'We may write to you.', text_it = ''`);
    try {
      const c = await portalUser(base, portal, { custom: { [`${k}_staff`]: 'secret rating' } });
      const page = expectStatus(await c.get('/profile'), 200);
      ok(page.text.includes(`Shoe size ${k}`), 'portal field shown', page);
      ok(!page.text.includes(`Staff only ${k}`) && !page.text.includes('secret rating'), 'staff-only field not shown', page);
      const form = parseForm(page.text, { action: /\/profile/ });
      const res = await c.post('/profile', { form: { ...form.fields, first_name: 'Paola', job_title: 'Buyer', [`custom_${k}_shoe`]: '42',
        [`consent_${k}_news`]: '1', email: 'hijack@example.test' } });
      expectRedirect(res, '/profile?saved=1');
      eq(sql(`SELECT CONCAT(first_name, '|', job_title, '|', email) FROM contacts WHERE id = ${c.contact.id}`), `Paola|Buyer|${c.contact.email}`, 'fields saved, email untouched');
      eq(sql(`SELECT v_text FROM contact_custom WHERE contact_id = ${c.contact.id} AND field_id = ${pf}`), '42', 'portal field saved');
      eq(sql(`SELECT COUNT(*) FROM contact_custom cc JOIN custom_fields f ON f.id = cc.field_id WHERE cc.contact_id = ${c.contact.id} AND f.field_key = '${k}_staff'`), '1', 'staff-only value kept');
      eq(sql(`SELECT CONCAT(granted, ' ', source, ' ', actor_contact_id, ' ', actor_user_id IS NULL) FROM consent_events WHERE contact_id = ${c.contact.id} AND consent_id = ${cid}`),
        `1 portal ${c.contact.id} 1`, 'consent granted by the contact in the portal');
      ok(Number(sql(`SELECT COUNT(*) FROM history WHERE entity = 'contact' AND entity_id = ${c.contact.id} AND field = 'first_name' AND user_id IS NULL`)) >= 1, 'history without a staff user');
      const again = parseForm((await c.get('/profile')).text, { action: /\/profile/ });
      ok(again.fields[`consent_${k}_news`] === '1', 'consent shown as granted');
      delete again.fields[`consent_${k}_news`];
      expectRedirect(await c.post('/profile', { form: again.fields }), '/profile?saved=1');
      eq(sql(`SELECT granted FROM contact_consents WHERE contact_id = ${c.contact.id} AND consent_id = ${cid}`), '0', 'withdrawn');
      const stale = await c.post('/profile', { form: { ...form.fields, first_name: 'Old' } });
      expectStatus(stale, 409);
    } finally {
      sql(`UPDATE custom_fields SET active = 0 WHERE field_key LIKE '${k}%'`);
      sql(`UPDATE consents SET active = 0 WHERE id = ${cid}`);
    }
  });

  test('portal: a signed-in contact can also use a password link and the reset form (its session\'s csrf token)', async () => {
    const c = await portalUser(base, portal);
    const page = await c.get('/forgot');
    const form = parseForm(page.text, { action: /\/forgot/ });
    expectStatus(await c.post('/forgot', { form: { ...form.fields, email: c.contact.email } }), 200);
    const token = tokenOf(await waitMail(c.contact.email, /new password/i));
    const set = parseForm((await c.get(`/password?token=${token}`)).text, { action: /\/password/ });
    expectRedirect(await c.post('/password', { form: { ...set.fields, password: 'Another-pw-123', password2: 'Another-pw-123' } }), '/login?saved=1');
  });

  test('portal: bulk deactivate on the contacts list ends the portal sessions of the deactivated contacts', async () => {
    const c = await portalUser(base, portal);
    expectStatus(await c.get('/home'), 200);
    const s = await staffWeb(base);
    const list = await s.get('/contacts');
    const csrf = (/name="csrf_token" value="([0-9a-f]{64})"/.exec(list.text) || [])[1];
    const pairs = new URLSearchParams([['csrf_token', csrf], ['action', 'deactivate'], ['ids', String(c.contact.id)]]);
    expectRedirect(await s.post('/contacts/bulk', { body: pairs.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }), '/contacts');
    eq(sql(`SELECT active FROM contacts WHERE id = ${c.contact.id}`), '0', 'deactivated');
    expectRedirect(await c.get('/home'), /^\/login/);
  });
}
