// Merge of two contacts (SPEC §6) and its undo, as a user sees them: the side-by-side page, the POST, the contact
// pages and the API before and after, the recycle bin, refusals and permissions.
import {
  test, ok, eq, expectJson, expectJsonError, expectStatus, expectRedirect, login, getCsrf, Client, createToken, textOf,
} from '../lib/harness.mjs';
import { dedicatedUser, once, PASSWORD, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';
import { upload } from './portal.mjs';

const ROLES = { admin: ['crm_admin'], manager: ['crm_manager'], sales: ['crm_sales'] };
function roleUser(role) { return dedicatedUser('mg' + role, ROLES[role]); }
async function api(base, role) {
  const token = await once(`merge-token:${role}`, async () => createToken(await roleUser(role)));
  const c = new Client(base);
  c.headers.authorization = 'Bearer ' + token;
  return c;
}
function web(base, role) {
  return once(`merge-web:${base}:${role}`, async () => login(base, await roleUser(role), PASSWORD));
}

let seq = 0;
function mark() { seq += 1; return `Mg${RUN}n${seq}`; }
const PHONE_BASE = 2000000 + Math.floor(Math.random() * 7000000);
function phone() { seq += 1; return `+39 348 ${PHONE_BASE + seq}`; }

/** Rows related to a contact, per table, as the merge moves them. */
function related(id) {
  const q = (s) => sql(s).split('\n').filter(Boolean).join(',');
  return {
    connections: q(`SELECT CONCAT(COALESCE(customer_id, 'l', lead_id), ':', COALESCE(is_primary, 0)) FROM connections WHERE contact_id = ${id} ORDER BY id`),
    comments: q(`SELECT id FROM comments WHERE contact_id = ${id} ORDER BY id`),
    consent_events: q(`SELECT id FROM consent_events WHERE contact_id = ${id} ORDER BY id`),
    consents: q(`SELECT CONCAT(consent_id, ':', granted) FROM contact_consents WHERE contact_id = ${id} ORDER BY consent_id`),
    tickets: q(`SELECT id FROM tickets WHERE contact_id = ${id} ORDER BY id`),
    documents: q(`SELECT id FROM documents WHERE contact_id = ${id} ORDER BY id`),
    lists: q(`SELECT list_id FROM marketing_list_members WHERE contact_id = ${id} ORDER BY list_id`),
    custom: q(`SELECT CONCAT(field_id, '=', COALESCE(v_text, '')) FROM contact_custom WHERE contact_id = ${id} ORDER BY field_id`),
  };
}

/** The fields of a contact as the API shows them, without what every write changes. */
function fieldsOf(c) {
  const { version, updated_at, updated_by, status, ...rest } = c;
  return rest;
}

/**
 * Two look-alike contacts, each with a connection, a comment, a consent event, a ticket, a document and a list
 * membership; they share one customer link and one list (which must not be doubled).
 */
async function pair(base) {
  const a = await api(base, 'manager');
  const adm = await api(base, 'admin');
  const m = mark();
  const code = `t${RUN}_mg${seq}`.toLowerCase();
  const fkey = `t${RUN}_mgf${seq}`.toLowerCase();
  expectJson(await adm.post('/api/v1/settings/consents', { json: { code, title: { en: 'Merge consent' }, text: { en: 'I agree (merge).' } } }), 201);
  expectJson(await adm.post('/api/v1/settings/fields', { json: { key: fkey, type: 'text', label: { en: `Merge field ${seq}` }, contexts: ['backoffice-crm-contacts'] } }), 201);
  const s = expectJson(await a.post('/api/v1/contacts', { json: {
    first_name: 'Anna', last_name: m, email: `${m}.s@example.com`.toLowerCase(), job_title: 'Survivor job',
    consents: { [code]: true }, custom: { [fkey]: 'survivor value' }, create_anyway: true,
  } }), 201);
  const o = expectJson(await a.post('/api/v1/contacts', { json: {
    first_name: 'Anna', last_name: m, email: `${m}.o@example.com`.toLowerCase(), mobile_phone: phone(),
    notes: `Other notes ${m}`, consents: { [code]: true }, custom: { [fkey]: 'other value' }, create_anyway: true,
  } }), 201);
  expectJson(await a.request('PATCH', `/api/v1/contacts/${o.id}`, { json: { version: o.version, consents: { [code]: false } } }), 200);
  const shared = expectJson(await a.post('/api/v1/customers', { json: { name: `Shared ${m}`, type: 'customer' } }), 201);
  const own = expectJson(await a.post('/api/v1/customers', { json: { name: `Own ${m}`, type: 'customer' } }), 201);
  for (const [ct, cu] of [[s, shared], [o, own], [o, shared]]) {
    expectJson(await a.post('/api/v1/connections', { json: { contact_id: ct.id, target: 'customer', target_id: cu.id } }), 201);
  }
  const listShared = expectJson(await a.post('/api/v1/marketing-lists', { json: { name: `Both ${m}` } }), 201);
  const listOwn = expectJson(await a.post('/api/v1/marketing-lists', { json: { name: `Other only ${m}` } }), 201);
  expectJson(await a.post(`/api/v1/marketing-lists/${listShared.id}/members`, { json: { contact_ids: [s.id, o.id] } }), 200);
  expectJson(await a.post(`/api/v1/marketing-lists/${listOwn.id}/members`, { json: { contact_ids: [o.id] } }), 200);
  const w = await web(base, 'manager');
  for (const ct of [s, o]) {
    expectJson(await a.post(`/api/v1/contacts/${ct.id}/activity`, { json: { body: `comment of ${ct.id} ${m}` } }), 201);
    sql(`INSERT INTO tickets SET contact_id = ${ct.id}, subject = 'Ticket of ${ct.id} ${m}', description = 'x'`);
    expectRedirect(await upload(w, `/contacts/${ct.id}`, '/contacts/documents', `doc-${ct.id}.pdf`,
      Buffer.from('%PDF-1.4\n% merge test\n'), { contact_id: ct.id }), `/contacts/${ct.id}`);
  }
  const get = async (id) => expectJson(await a.get(`/api/v1/contacts/${id}`), 200);
  return { m, code, fkey, s: await get(s.id), o: await get(o.id), shared, own, listShared, listOwn, a, get };
}

export function registerMergeTests(base) {
  const T = (name, fn, opts) => test(`[merge] ${name}`, fn, { timeout: 120000, ...opts });

  T('merge page: both contacts side by side, one radio per field, the survivor\'s value by default else the other\'s', async () => {
    const p = await pair(base);
    const w = await web(base, 'manager');
    const res = expectStatus(await w.get(`/contacts/${p.s.id}/merge?other=${p.o.id}`), 200);
    const checked = (name) => (new RegExp(`name="${name}" value="(survivor|other)" checked`).exec(res.text) || [])[1];
    eq(checked('pick_email'), 'survivor', 'both have an email: the survivor\'s', res);
    eq(checked('pick_notes'), 'other', 'only the other has notes', res);
    eq(checked('pick_mobile_phone'), 'other', 'only the other has a mobile', res);
    eq(checked('pick_job_title'), 'survivor', 'only the survivor has a job title', res);
    eq(checked(`pick_custom_${p.fkey}`), 'survivor', 'additional fields too', res);
    ok(res.text.includes(`${p.m}.o@example.com`.toLowerCase()) && res.text.includes(`${p.m}.s@example.com`.toLowerCase()), 'both values shown', res);
    ok(res.text.includes(`href="/contacts/${p.o.id}/merge?other=${p.s.id}"`), 'a link keeps the other contact instead', res);
    const page = expectStatus(await w.get(`/contacts/${p.s.id}`), 200);
    ok(page.text.includes(`href="/contacts/${p.s.id}/merge"`), 'the contact page has "Merge with…"', page);
    const pick = expectStatus(await w.get(`/contacts/${p.s.id}/merge`), 200);
    ok(pick.text.includes('name="other"'), '"Merge with…" asks for the other contact', pick);
  });

  T('merge: every connection, comment, consent event, ticket, document and list membership moves; chosen values win; the other is in the bin', async () => {
    const p = await pair(base);
    const before = { s: related(p.s.id), o: related(p.o.id) };
    const w = await web(base, 'manager');
    const form = expectStatus(await w.get(`/contacts/${p.s.id}/merge?other=${p.o.id}`), 200);
    const res = await w.post(`/contacts/${p.s.id}/merge`, { form: {
      csrf_token: getCsrf(form.text), other: p.o.id, pick_email: 'other', pick_job_title: 'survivor', [`pick_custom_${p.fkey}`]: 'other',
    } });
    expectStatus(res, 303);
    const mid = Number((/\/contacts\/\d+\?merged=(\d+)$/.exec(res.location) || [])[1]);
    ok(mid > 0, 'redirected to the survivor with the merge id', res);
    const page = expectStatus(await w.get(res.location), 200);
    const text = textOf(page.text);
    ok(page.text.includes(`href="/contacts/merges/${mid}"`), 'the notice offers the undo', page);
    for (const want of [`Shared ${p.m}`, `Own ${p.m}`, `comment of ${p.s.id} ${p.m}`, `comment of ${p.o.id} ${p.m}`,
      `Ticket of ${p.s.id} ${p.m}`, `Ticket of ${p.o.id} ${p.m}`, `doc-${p.s.id}.pdf`, `doc-${p.o.id}.pdf`, `Both ${p.m}`, `Other only ${p.m}`]) {
      ok(text.includes(want), `the survivor's page shows ${want}`, page);
    }
    ok(text.includes(`merged from #${p.o.id}`), 'history: merged from #N', page);
    const got = await p.get(p.s.id);
    eq(got.email, `${p.m}.o@example.com`.toLowerCase(), 'the chosen email (the other\'s) won');
    eq(got.job_title, 'Survivor job', 'the survivor\'s job title kept');
    eq(got.notes, `Other notes ${p.m}`, 'an empty field took the other\'s value');
    eq(got.custom[p.fkey], 'other value', 'the chosen additional value won');
    const after = related(p.s.id);
    eq(after.connections.split(',').length, 2, 'two connections: the shared customer is not doubled');
    eq(after.connections.split(',').filter((x) => x.endsWith(':1')).length, 1, 'exactly one primary');
    eq(after.lists.split(',').length, 2, 'two lists: the shared membership is not doubled');
    eq(after.comments.split(',').length, before.s.comments.split(',').length + before.o.comments.split(',').length, 'every comment');
    eq(after.consent_events.split(',').length, 3, 'every consent event (one of the survivor, two of the other)');
    eq(after.consents.split(',').length, 1, 'one consent state');
    ok(after.consents.endsWith(':0'), 'the more recent state (the other\'s withdrawal) wins');
    eq(after.tickets.split(',').length, 2, 'both tickets');
    eq(after.documents.split(',').length, 2, 'both documents');
    expectJsonError(await p.a.get(`/api/v1/contacts/${p.o.id}`), 404, 'not_found');
    const bin = expectStatus(await (await web(base, 'admin')).get('/contacts/bin'), 200);
    ok(bin.text.includes(`/contacts/${p.o.id}/restore`), 'the other contact is in the recycle bin', bin);
    const snap = JSON.parse(sql(`SELECT snapshot FROM contact_merges WHERE id = ${mid}`));
    ok(snap.moved && snap.moved.comments.length === 1 && snap.moved.tickets.length === 1, 'the snapshot names the moved rows', { text: JSON.stringify(snap) });
  });

  T('merge undo: both contacts come back exactly, fields and related rows (API merge, web undo)', async () => {
    const p = await pair(base);
    const before = { s: related(p.s.id), o: related(p.o.id) };
    const res = await p.a.post(`/api/v1/contacts/${p.s.id}/merge`, { json: { other_id: p.o.id, fields: { email: 'other', job_title: 'other', [`custom.${p.fkey}`]: 'other' } } });
    const merged = expectJson(res, 200);
    eq(merged.id, p.s.id, 'answers the survivor');
    eq(merged.email, p.o.email, 'with the chosen value');
    eq(merged.custom[p.fkey], 'other value', 'and the chosen additional value');
    ok(merged.merge_id > 0, 'and the merge id', res);
    const w = await web(base, 'manager');
    const confirm = expectStatus(await w.get(`/contacts/merges/${merged.merge_id}`), 200);
    const undo = await w.post(`/contacts/merges/${merged.merge_id}/undo`, { form: { csrf_token: getCsrf(confirm.text) } });
    expectRedirect(undo, `/contacts/${p.o.id}?unmerged=${merged.merge_id}`);
    const same = (x) => JSON.stringify(x);
    eq(same(fieldsOf(await p.get(p.s.id))), same(fieldsOf(p.s)), 'the survivor has its fields of before');
    eq(same(fieldsOf(await p.get(p.o.id))), same(fieldsOf(p.o)), 'the merged contact is back with its fields');
    eq(same(related(p.s.id)), same(before.s), 'the survivor\'s related rows are those of before');
    eq(same(related(p.o.id)), same(before.o), 'the merged contact\'s related rows are back');
    const page = expectStatus(await w.get(`/contacts/${p.o.id}`), 200);
    ok(textOf(page.text).includes(`comment of ${p.o.id} ${p.m}`), 'its comment is on its page again', page);
    ok(textOf(page.text).includes(`merge undone with #${p.s.id}`), 'the history says so', page);
    const again = await w.post(`/contacts/merges/${merged.merge_id}/undo`, { form: { csrf_token: getCsrf(confirm.text) } });
    expectStatus(again, 409);
    ok(textOf(again.text).includes('already been undone'), 'a second undo is refused clearly', again);
  });

  T('merge: crm_sales is refused (403) on the page, the POST and the API', async () => {
    const p = await pair(base);
    const s = await web(base, 'sales');
    expectStatus(await s.get(`/contacts/${p.s.id}/merge?other=${p.o.id}`), 403);
    const page = await s.get(`/contacts/${p.s.id}`);
    expectStatus(await s.post(`/contacts/${p.s.id}/merge`, { form: { csrf_token: getCsrf(page.text), other: p.o.id } }), 403);
    expectJsonError(await (await api(base, 'sales')).post(`/api/v1/contacts/${p.s.id}/merge`, { json: { other_id: p.o.id } }), 403, 'forbidden');
    ok(!page.text.includes(`/contacts/${p.s.id}/merge`), 'no "Merge with…" for sales', page);
    await p.get(p.o.id);
  });

  T('merge: a POST without the CSRF token is refused and merges nothing', async () => {
    const p = await pair(base);
    const w = await web(base, 'manager');
    expectStatus(await w.post(`/contacts/${p.s.id}/merge`, { form: { other: p.o.id } }), 403);
    await p.get(p.o.id);
    eq(sql(`SELECT COUNT(*) FROM contact_merges WHERE merged_id = ${p.o.id}`), '0', 'no merge recorded');
  });

  T('merge: with itself, with a contact in the bin, with a missing one: clear errors; undo after a purge is refused', async () => {
    const p = await pair(base);
    const w = await web(base, 'manager');
    const self = await w.get(`/contacts/${p.s.id}/merge?other=${p.s.id}`);
    expectStatus(self, 422);
    ok(textOf(self.text).includes('cannot be merged with itself'), 'itself: a clear message', self);
    expectJsonError(await p.a.post(`/api/v1/contacts/${p.s.id}/merge`, { json: { other_id: p.s.id } }), 422, 'merge_self');
    expectJsonError(await p.a.post(`/api/v1/contacts/${p.s.id}/merge`, { json: { other_id: 999999999 } }), 404, 'merge_other_missing');
    expectJsonError(await p.a.post(`/api/v1/contacts/999999999/merge`, { json: { other_id: p.s.id } }), 404, 'not_found');
    const bad = expectJsonError(await p.a.post(`/api/v1/contacts/${p.s.id}/merge`, { json: { other_id: p.o.id, fields: { email: 'both', nope: 'other' } } }), 422, 'invalid');
    ok(bad.error.fields.email && bad.error.fields.nope, 'bad choices are named', { text: JSON.stringify(bad) });
    expectJsonError(await p.a.post(`/api/v1/contacts/${p.s.id}/merge`, { json: {} }), 422, 'invalid');
    expectStatus(await p.a.request('DELETE', `/api/v1/contacts/${p.o.id}`), 204);
    const del = await w.get(`/contacts/${p.s.id}/merge?other=${p.o.id}`);
    expectStatus(del, 409);
    ok(textOf(del.text).includes('recycle bin'), 'deleted: a clear message', del);
    expectJsonError(await p.a.post(`/api/v1/contacts/${p.s.id}/merge`, { json: { other_id: p.o.id } }), 409, 'merge_deleted');
    // a real merge, then the merged contact purged: the undo cannot bring it back
    const q = await pair(base);
    const mg = expectJson(await q.a.post(`/api/v1/contacts/${q.s.id}/merge`, { json: { other_id: q.o.id } }), 200);
    const adm = await web(base, 'admin');
    const bin = await adm.get(`/contacts/${q.o.id}/purge`);
    expectStatus(bin, 200);
    expectRedirect(await adm.post(`/contacts/${q.o.id}/purge`, { form: { csrf_token: getCsrf(bin.text) } }), '/contacts/bin');
    expectJsonError(await q.a.post(`/api/v1/contacts/merges/${mg.merge_id}/undo`), 404, 'merge_purged');
    eq(sql(`SELECT snapshot FROM contact_merges WHERE id = ${mg.merge_id}`), '{}', 'the purged contact\'s values left the snapshot');
    expectJsonError(await q.a.post('/api/v1/contacts/merges/999999999/undo'), 404, 'not_found');
  });

  T('merge: a portal account moves to a survivor without one and back on undo; both with portal access is refused', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const mk = async (tag, portal) => expectJson(await a.post('/api/v1/contacts', { json: {
      first_name: 'Portal', last_name: `${m}${tag}`, email: `${m}.${tag}@example.com`.toLowerCase(), portal_user: portal, create_anyway: true,
    } }), 201);
    const s = await mk('s', false), o = await mk('o', true);
    const account = sql(`SELECT id FROM portal_accounts WHERE contact_id = ${o.id}`);
    ok(account, 'the other contact has a portal account');
    const mg = expectJson(await a.post(`/api/v1/contacts/${s.id}/merge`, { json: { other_id: o.id, fields: { email: 'other' } } }), 200);
    eq(mg.portal_user, true, 'portal access follows by default (on wins)');
    eq(sql(`SELECT contact_id FROM portal_accounts WHERE id = ${account}`), String(s.id), 'the account now belongs to the survivor');
    expectJson(await a.post(`/api/v1/contacts/merges/${mg.merge_id}/undo`), 200);
    eq(sql(`SELECT CONCAT(contact_id, ' ', email) FROM portal_accounts WHERE id = ${account}`), `${o.id} ${o.email}`, 'back with its login on undo');
    const x = await mk('x', true), y = await mk('y', true);
    const res = await a.post(`/api/v1/contacts/${x.id}/merge`, { json: { other_id: y.id } });
    const e = expectJsonError(res, 409, 'merge_portal');
    ok(/portal/.test(e.error.message), 'a clear message', res);
    eq(sql(`SELECT deleted_at IS NULL FROM contacts WHERE id = ${y.id}`), '1', 'nothing merged');
  });

  T('duplicate key: with a customer, a name matches only a contact of that primary customer; without one, any', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const c1 = expectJson(await a.post('/api/v1/customers', { json: { name: `Key one ${m}`, type: 'customer' } }), 201);
    const c2 = expectJson(await a.post('/api/v1/customers', { json: { name: `Key two ${m}`, type: 'customer' } }), 201);
    const e = expectJson(await a.post('/api/v1/contacts', { json: { first_name: 'Lía', last_name: m } }), 201);
    expectJson(await a.post('/api/v1/connections', { json: { contact_id: e.id, target: 'customer', target_id: c1.id } }), 201);
    const w = await web(base, 'manager');
    const post = async (customer) => {
      const page = await w.get(`/contacts/new?customer_id=${customer.id}`);
      return w.post('/contacts', { form: { csrf_token: getCsrf(page.text), active: '1', action: 'save', first_name: 'lia', last_name: m, customer_id: customer.id } });
    };
    const same = await post(c1);
    expectStatus(same, 409);
    ok(same.text.includes(`href="/contacts/${e.id}"`), 'the same name at the same customer is a likely duplicate', same);
    expectStatus(await post(c2), 303);
    eq(sql(`SELECT COUNT(*) FROM contacts c JOIN connections n ON n.contact_id = c.id WHERE c.last_name = '${m}' AND n.customer_id = ${c2.id}`), '1',
      'the same name at another customer is another person: created and connected');
    const e2 = expectJsonError(await a.post('/api/v1/contacts', { json: { first_name: 'Lia', last_name: m } }), 409, 'duplicate');
    ok(e2.error.candidates.some((x) => x.id === e.id), 'without a customer the name alone still matches', { text: JSON.stringify(e2) });
  });

  T('merge: the chosen values go through the form\'s validation (422 with the reasons, nothing merged)', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const s = expectJson(await a.post('/api/v1/contacts', { json: { first_name: 'Val', last_name: m, support_start_date: '2030-01-01' } }), 201);
    const o = expectJson(await a.post('/api/v1/contacts', { json: { first_name: 'Val', last_name: m, support_end_date: '2020-01-01', create_anyway: true } }), 201);
    const w = await web(base, 'manager');
    const form = expectStatus(await w.get(`/contacts/${s.id}/merge?other=${o.id}`), 200);
    const res = await w.post(`/contacts/${s.id}/merge`, { form: { csrf_token: getCsrf(form.text), other: o.id } });
    expectStatus(res, 422);
    ok(res.text.includes('id="merge-errors"') && /Support end/i.test(textOf(res.text)), 'the page names the field', res);
    ok(res.text.includes('name="pick_support_end_date" value="other" checked'), 'the choices are kept', res);
    const e = expectJsonError(await a.post(`/api/v1/contacts/${s.id}/merge`, { json: { other_id: o.id } }), 422, 'invalid');
    ok(e.error.fields.support_end_date, 'the API names the field', { text: JSON.stringify(e) });
    expectJson(await a.get(`/api/v1/contacts/${o.id}`), 200);
    eq(sql(`SELECT COUNT(*) FROM contact_merges WHERE merged_id = ${o.id}`), '0', 'nothing merged');
    // the survivor's value chosen for both dates: valid
    const ok2 = expectJson(await a.post(`/api/v1/contacts/${s.id}/merge`, { json: { other_id: o.id, fields: { support_end_date: 'survivor' } } }), 200);
    eq(ok2.support_end_date, null, 'merged with the survivor\'s empty end date');
  });

  T('merge undo: refused while a later merge into the same contact is not undone', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const mk = async (n) => expectJson(await a.post('/api/v1/contacts', { json: { first_name: `L${n}`, last_name: m, create_anyway: true } }), 201);
    const x = await mk(1), y = await mk(2), z = await mk(3);
    const first = expectJson(await a.post(`/api/v1/contacts/${x.id}/merge`, { json: { other_id: y.id } }), 200);
    const second = expectJson(await a.post(`/api/v1/contacts/${x.id}/merge`, { json: { other_id: z.id } }), 200);
    const e = expectJsonError(await a.post(`/api/v1/contacts/merges/${first.merge_id}/undo`), 409, 'merge_later');
    ok(/later merge/.test(e.error.message), 'a clear message', { text: JSON.stringify(e) });
    expectJson(await a.post(`/api/v1/contacts/merges/${second.merge_id}/undo`), 200);
    const back = expectJson(await a.post(`/api/v1/contacts/merges/${first.merge_id}/undo`), 200);
    eq(back.merged_id, y.id, 'then the first one');
    for (const c of [x, y, z]) expectJson(await a.get(`/api/v1/contacts/${c.id}`), 200);
  });

  T('duplicates report: a Merge link per look-alike pair opens the merge page', async () => {
    const a = await api(base, 'manager');
    const m = mark();
    const email = `0${m}@example.com`.toLowerCase();	// sorts first among groups of the same size
    const x = expectJson(await a.post('/api/v1/contacts', { json: { first_name: 'Dup', last_name: m, email } }), 201);
    const y = expectJson(await a.post('/api/v1/contacts', { json: { first_name: 'Dup2', last_name: `${m}b`, email, create_anyway: true } }), 201);
    const p = { s: x, o: y };
    const w = await web(base, 'manager');
    const res = expectStatus(await w.get('/contacts/duplicates'), 200);
    const lo = Math.min(p.s.id, p.o.id), hi = Math.max(p.s.id, p.o.id);
    const href = `/contacts/${lo}/merge?other=${hi}`;
    ok(res.text.includes(`href="${href}"`), 'the group links the merge of its contacts', res);
    expectStatus(await w.get(href), 200);
  });
}
