// Shared test data: users with roles and API tokens, created once per run with crmctl (names unique per run,
// so the suite can run again against a kept database).
import { randomBytes } from 'node:crypto';
import { createUser, createToken, env, login, uniq } from '../lib/harness.mjs';

const memo = new Map();
/** Memoize an async factory by key; a failure is remembered too (every dependent test reports it). */
export function once(key, factory) {
  if (!memo.has(key)) memo.set(key, Promise.resolve().then(factory));
  return memo.get(key);
}

export const RUN = uniq(6);
export const PASSWORD = 'Pw-' + randomBytes(9).toString('base64url');

/** Login names: letters and digits only, unique per run. */
export const users = {
  admin: `t${RUN}admin`,
  sales: `t${RUN}sales`,
  marketeer: `t${RUN}mkt`,
  norole: `t${RUN}none`,
  lang: `t${RUN}lang`,
  logout: `t${RUN}logout`,
};

const roles = {
  admin: ['crm_admin'],
  sales: ['crm_sales'],
  marketeer: ['crm_marketeer'],
  norole: [],
  lang: ['crm_sales'],
  logout: ['crm_sales'],
};

/** Create every shared user (once). */
export function setupUsers() {
  return once('users', async () => {
    for (const [k, login] of Object.entries(users)) {
      await createUser(login, roles[k], PASSWORD, { email: `${login}@example.test`, name: `Test ${k} ${RUN}` });
    }
    return users;
  });
}

/** A dedicated user (created on first use) for tests that fail logins on purpose (throttling counts per login). */
export function dedicatedUser(tag, userRoles = ['crm_sales']) {
  return once('user:' + tag, async () => {
    const login = `t${RUN}${tag}`.replace(/[^a-z0-9]/gi, '');
    await createUser(login, userRoles, PASSWORD, { email: `${login}@example.test`, name: `Test ${tag} ${RUN}` });
    return login;
  });
}

export const admin = { login: () => env('CRM_ADMIN_LOGIN'), password: () => env('CRM_ADMIN_PASSWORD') };

/** API token of the configured admin (CRM_ADMIN_LOGIN). */
export function adminToken() {
  return once('token:admin', () => createToken(admin.login()));
}

/** API token of the user without roles. */
export function noRoleToken() {
  return once('token:norole', async () => { await setupUsers(); return createToken(users.norole); });
}

/** A logged-in client of the configured admin on `base` (shared by read-only tests). */
export function adminClient(base) {
  return once('admin@' + base, () => login(base, admin.login(), admin.password()));
}

/** A fresh logged-in client for one of the shared users. */
export async function loginAs(base, key) {
  await setupUsers();
  return login(base, users[key], PASSWORD);
}
