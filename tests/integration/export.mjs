// Bulk CSV export of selected contacts: canonical headers, every role of the matrix, no formula injection.
import { test, ok, eq, login, getCsrf, expectStatus } from '../lib/harness.mjs';
import { dedicatedUser, PASSWORD } from './fixtures.mjs';

async function createContact(c, fields) {
  const page = await c.get('/contacts/new');
  const res = await c.post('/contacts', { form: { csrf_token: getCsrf(page.text), active: '1', action: 'save', create_anyway: '1', ...fields } });
  expectStatus(res, 303);
  return Number(/\/contacts\/(\d+)\//.exec(res.headers.get('location'))[1]);
}

async function exportIds(c, ids) {
  const page = await c.get('/contacts');
  const body = new URLSearchParams({ csrf_token: getCsrf(page.text), action: 'export' });
  for (const id of ids) body.append('ids', String(id));
  return c.request('POST', '/contacts/bulk', { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

export function registerExportTests(staff) {
  test('[nginx] bulk export: selected contacts as CSV with canonical headers, phones kept, formulas defused', async () => {
    const c = await login(staff, await dedicatedUser('xmarketeer', ['crm_marketeer']), PASSWORD);
    const a = await createContact(c, { first_name: '=HYPERLINK("http://evil")', last_name: 'Csvtest', mobile_phone: '+39 333 1234567', notes: 'line1\nline "two"' });
    const b = await createContact(c, { first_name: 'Bea', last_name: 'Csvtest', email: 'bea.csv@example.com' });
    const res = await exportIds(c, [a, b]);
    expectStatus(res, 200);
    ok(/^text\/csv/.test(res.headers.get('content-type')), 'content type text/csv', res);
    ok(/attachment/.test(res.headers.get('content-disposition') || ''), 'served as an attachment', res);
    const lines = res.text.split('\r\n');
    ok(lines[0].startsWith('id,first_name,middle_name,last_name,birthday,contact_type'), 'canonical header line', res);
    ok(res.text.includes(`"'=HYPERLINK(""http://evil"")"`), 'a formula is prefixed with an apostrophe and quotes doubled', res);
    ok(res.text.includes('"+39 333 1234567"'), 'a phone number stays as typed', res);
    ok(res.text.includes('"line1\nline ""two"""'), 'newlines and quotes are quoted (RFC 4180)', res);
    eq(lines.filter((l) => /^\d+,/.test(l)).length, 2, 'one line per selected contact', res);
  });

  test('[nginx] bulk export: a user without a role is refused (403)', async () => {
    const c = await login(staff, await dedicatedUser('xnorole', []), PASSWORD);
    const page = await c.get('/contacts');	// the 403 page still carries the session's token
    const token = getCsrf(page.text);
    ok(token, 'the error page carries the csrf token (so the 403 below is the permission, not CSRF)', page);
    const res = await c.post('/contacts/bulk', { form: { csrf_token: token, action: 'export', ids: '1' } });
    expectStatus(res, 403);
    ok(!/csv/.test(res.headers.get('content-type') || ''), 'no CSV is sent', res);
  });
}
