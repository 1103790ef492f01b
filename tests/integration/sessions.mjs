// Session tests: lifetime and revocation are enforced by the server, not by the cookie.
import { test, eq, createUser, login, crmctl, expectRedirect } from '../lib/harness.mjs';
import { sql } from './mail.mjs';

export function registerSessionTests(base) {
  test('an expired session is refused: GET /contacts redirects to /login', async () => {
    const name = `expiry${Date.now()}`;
    await createUser(name, ['crm_sales'], 'expiry-pass-123');
    const c = await login(base, name, 'expiry-pass-123');
    eq((await c.get('/contacts')).status, 200, 'fresh session works');
    sql(`UPDATE sessions s JOIN users u ON u.id = s.user_id SET s.expires_at = NOW() - INTERVAL 1 SECOND WHERE u.login = '${name}'`);
    expectRedirect(await c.get('/contacts'), '/login?next=%2Fcontacts');
  });

  test('crmctl user passwd ends the user\'s sessions', async () => {
    const name = `passwd${Date.now()}`;
    await createUser(name, ['crm_sales'], 'first-pass-123');
    const c = await login(base, name, 'first-pass-123');
    eq((await c.get('/contacts')).status, 200, 'session works before the change');
    await crmctl(['user', 'passwd', name, '--password-stdin'], 'second-pass-456\n');
    expectRedirect(await c.get('/contacts'), '/login?next=%2Fcontacts');
    await login(base, name, 'second-pass-456');
  });
}
