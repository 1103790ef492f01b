// Settings module (issue 5): users and roles, API tokens, email templates, contact rules, outbox and the admin
// history, as an administrator (and the users they manage) see them over HTTP; stored rows checked with sql().
import {
  test, ok, eq, fail, expectStatus, expectRedirect, expectJson, expectJsonError, Client, login, submitLogin, createUser,
  getCsrf, findTag, findTags, elementInner, textOf, decodeEntities, sleep,
} from '../lib/harness.mjs';
import { once, dedicatedUser, PASSWORD, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';

const XSS = '<script>alert(1)</script>';

let seq = 0;
/** A login name unique to this run and call. */
function uname(tag) { seq += 1; return `s${RUN}${tag}${seq}`.replace(/[^a-z0-9]/gi, ''); }

function userId(loginName) { return Number(sql(`SELECT id FROM users WHERE login = '${loginName}'`)); }
function rolesOf(id) { return sql(`SELECT IFNULL(GROUP_CONCAT(role ORDER BY role), '') FROM user_roles WHERE user_id = ${Number(id)}`); }

/** A fresh signed-in admin client (its own user, so its sessions are its own) with c.csrf set. */
async function adminOf(base, tag = 'sadmin') {
  const c = await login(base, await dedicatedUser(tag, ['crm_admin']), PASSWORD);
  const page = expectStatus(await c.get('/settings/users'), 200);
  c.csrf = getCsrf(page.text);
  ok(c.csrf, 'no csrf token on /settings/users', page);
  return c;
}

/** A new staff user made with crmctl; returns {login, id}. */
async function staffUser(tag, roles = ['crm_sales']) {
  const name = uname(tag);
  await createUser(name, roles, PASSWORD, { email: `${name}@example.test`, name: `Settings ${tag}` });
  return { login: name, id: userId(name) };
}

/** The user edit form as a browser would submit it, with changes: [[name, value], …] pairs (roles repeat). */
function userForm(c, u, { login: l = u.login, active = true, roles = ['crm_sales'], language = 'en', email } = {}) {
  const pairs = [['csrf_token', c.csrf], ['login', l], ['display_name', `Settings ${l}`], ['email', email ?? `${l}@example.test`],
    ['language', language]];
  if (active) pairs.push(['active', '1']);
  for (const r of roles) pairs.push(['roles', r]);
  return pairs;
}

/** Text of the field error next to `field` (`<span class="field-error" id="err-FIELD">`), or null. */
function fieldError(html, field) {
  const t = findTags(html, 'span').find((s) => s.attrs.id === `err-${field}`);
  return t ? textOf(elementInner(html.slice(t.index), 'span')) : null;
}

function api(base, c) {
  return {
    get: (p) => c.get(p),
    send: (method, p, json) => c.request(method, p, { json, headers: { 'x-csrf-token': c.csrf } }),
  };
}

function templateRow(code, lang) {
  const [id, subject, body] = sql(`SELECT id, HEX(subject), HEX(body) FROM mail_templates WHERE code = '${code}' AND language = '${lang}'`).split('\t');
  return { id: Number(id), subject: Buffer.from(subject, 'hex').toString('utf8'), body: Buffer.from(body, 'hex').toString('utf8') };
}

function restoreTemplate(t) {
  sql(`UPDATE mail_templates SET subject = UNHEX('${Buffer.from(t.subject).toString('hex')}'), `
    + `body = UNHEX('${Buffer.from(t.body).toString('hex')}') WHERE id = ${t.id}`);
}

/** The rules form as the page renders it: checked mandatory boxes and the selected group of every field. */
async function rulesForm(c) {
  const page = expectStatus(await c.get('/settings/rules'), 200);
  const pairs = [['csrf_token', getCsrf(page.text)]];
  for (const t of findTags(page.text, 'input')) {
    if (t.attrs.name === 'mandatory' && 'checked' in t.attrs) pairs.push(['mandatory', t.attrs.value]);
  }
  const re = /<select\b[^>]*name="(group_[a-z0-9_]+)"[^>]*>([\s\S]*?)<\/select>/g;
  let m;
  while ((m = re.exec(page.text))) {
    const sel = findTags(m[2], 'option').find((o) => 'selected' in o.attrs);
    pairs.push([m[1], sel ? sel.attrs.value : '0']);
  }
  return pairs;
}

function setPair(pairs, name, value) {
  const out = pairs.filter(([k]) => k !== name);
  if (value !== null) out.push([name, value]);
  return out;
}

async function waitFor(what, fn, ms = 20000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) fail(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

/** Waits until no re-evaluation of contact statuses is queued or running. */
function refreshDone() {
  return waitFor('the status re-evaluation to finish', () => /^done\b/.test(sql("SELECT v FROM settings WHERE k = 'contact.status_refresh'")));
}

export function registerSettingsTests(name, base) {
  const T = (title, fn, opts) => test(`[${name}] settings: ${title}`, fn, opts);

  // ------------------------------------------------------------ users and roles

  T('crm_admin creates a staff user with two roles through the form; the list shows it', async () => {
    const c = await adminOf(base);
    const l = uname('new');
    const res = await c.post('/settings/users', { form: [...userForm(c, { login: l }, { roles: ['crm_sales', 'crm_marketeer'] }), ['password', 'a-long-password-1']] });
    const u = expectRedirect(res, /^\/settings\/users\/\d+\?created=1$/);
    const id = Number(u.pathname.split('/')[3]);
    eq(rolesOf(id), 'crm_marketeer,crm_sales', 'stored roles');
    const list = expectStatus(await c.get('/settings/users'), 200);
    ok(list.text.includes(`>${l}</a>`), 'the new user is not listed', list);
    await login(base, l, 'a-long-password-1');
  });

  T('a new user without a password gets a generated one, shown once, that signs in', async () => {
    const c = await adminOf(base);
    const l = uname('gen');
    const res = expectStatus(await c.post('/settings/users', { form: userForm(c, { login: l }) }), 200);
    const code = elementInner(res.text, 'code', { id: 'secret' });
    ok(code && code.length >= 12, 'no generated password on the page', res);
    await login(base, l, decodeEntities(code));
    const again = expectStatus(await c.get(`/settings/users/${userId(l)}`), 200);
    ok(!again.text.includes(code), 'the generated password is shown a second time', again);
    ok(!sql(`SELECT password_hash FROM users WHERE login = '${l}'`).includes(code), 'password stored in clear');
  });

  T('a taken login and a bad email are refused next to their fields, and nothing is stored', async () => {
    const c = await adminOf(base);
    const other = await staffUser('taken');
    const before = Number(sql('SELECT COUNT(*) FROM users'));
    let res = expectStatus(await c.post('/settings/users', { form: userForm(c, { login: other.login }) }), 422);
    ok(fieldError(res.text, 'login'), 'no error next to login', res);
    res = expectStatus(await c.post('/settings/users', { form: userForm(c, { login: uname('bad') }, { email: 'not-an-email' }) }), 422);
    ok(fieldError(res.text, 'email'), 'no error next to email', res);
    eq(Number(sql('SELECT COUNT(*) FROM users')), before, 'users after two refused creates');
  });

  T("a deactivated user's session stops at once (page → /login, API → 401) and sign-in is refused; reactivated, they sign in", async () => {
    const c = await adminOf(base);
    const u = await staffUser('deact');
    const victim = await login(base, u.login, PASSWORD);
    expectStatus(await victim.get('/contacts'), 200);
    expectRedirect(await c.post(`/settings/users/${u.id}`, { form: userForm(c, u, { active: false }) }), `/settings/users/${u.id}?saved=1`);
    eq(sql(`SELECT active FROM users WHERE id = ${u.id}`), '0', 'active after deactivation');
    eq(sql(`SELECT COUNT(*) FROM sessions WHERE user_id = ${u.id}`), '0', 'sessions left');
    expectRedirect(await victim.get('/contacts'), '/login?next=%2Fcontacts');
    expectJsonError(await victim.get('/api/v1/contacts'), 401, 'unauthorized');
    const again = new Client(base);
    const res = await submitLogin(again, u.login, PASSWORD);
    ok(res.status !== 303 && !again.jar.has('crm_session'), `an inactive user signed in (status ${res.status})`, res);
    expectRedirect(await c.post(`/settings/users/${u.id}`, { form: userForm(c, u, { active: true }) }), `/settings/users/${u.id}?saved=1`);
    await login(base, u.login, PASSWORD);
  });

  T('a password reset by the admin ends the user\'s sessions; the new password works, the old one not', async () => {
    const c = await adminOf(base);
    const u = await staffUser('pw');
    const victim = await login(base, u.login, PASSWORD);
    const short = expectStatus(await c.post(`/settings/users/${u.id}/password`, { form: { csrf_token: c.csrf, password: 'short' } }), 422);
    ok(fieldError(short.text, 'password'), 'no error next to a too short password', short);
    expectStatus(await victim.get('/contacts'), 200);
    expectRedirect(await c.post(`/settings/users/${u.id}/password`, { form: { csrf_token: c.csrf, password: 'brand-new-pass-42', action: 'set' } }),
      `/settings/users/${u.id}?password=1`);
    expectRedirect(await victim.get('/contacts'), '/login?next=%2Fcontacts');
    const old = new Client(base);
    eq((await submitLogin(old, u.login, PASSWORD)).status, 401, 'sign-in with the old password');
    await login(base, u.login, 'brand-new-pass-42');
  });

  T('a generated password reset is shown once and signs in', async () => {
    const c = await adminOf(base);
    const u = await staffUser('pwgen');
    const res = expectStatus(await c.post(`/settings/users/${u.id}/password`, { form: { csrf_token: c.csrf, action: 'generate' } }), 200);
    const code = elementInner(res.text, 'code', { id: 'secret' });
    ok(code, 'no generated password shown', res);
    await login(base, u.login, decodeEntities(code));
  });

  T('an API token created in settings works as Bearer and is shown once; revoked, it gets 401', async () => {
    const c = await adminOf(base);
    const u = await staffUser('tok');
    const res = expectStatus(await c.post(`/settings/users/${u.id}/tokens`, { form: { csrf_token: c.csrf, label: `label ${XSS}` } }), 200);
    const token = decodeEntities(elementInner(res.text, 'code', { id: 'secret' }) || '');
    ok(/^crm_[0-9a-f]{64}$/.test(token), `no token shown: ${token}`, res);
    ok(!res.text.includes(XSS), 'the label is not escaped', res);
    const bearer = new Client(base);
    bearer.headers.authorization = `Bearer ${token}`;
    expectStatus(await bearer.get('/api/v1/contacts?limit=1'), 200);
    const page = expectStatus(await c.get(`/settings/users/${u.id}`), 200);
    ok(!page.text.includes(token), 'the token is shown again on the user page', page);
    const tid = Number(sql(`SELECT MAX(id) FROM api_tokens WHERE user_id = ${u.id}`));
    ok(findTag(page.text, 'form', { action: `/settings/users/${u.id}/tokens/${tid}/revoke` }), 'no revoke button', page);
    expectRedirect(await c.post(`/settings/users/${u.id}/tokens/${tid}/revoke`, { form: { csrf_token: c.csrf } }), `/settings/users/${u.id}?revoked=1`);
    expectJsonError(await bearer.get('/api/v1/contacts?limit=1'), 401, 'unauthorized');
    expectStatus(await c.post(`/settings/users/${u.id}/tokens/${tid}/revoke`, { form: { csrf_token: c.csrf } }), 404);
  });

  T("roles edit changes what the user may do: crm_sales gets 403 on delete, with crm_manager added 200, removed again 403", async () => {
    const c = await adminOf(base);
    const u = await staffUser('roles');
    const contact = Number(sql(`INSERT INTO contacts SET first_name = 'Role', last_name = 'S${RUN}${seq}'; SELECT LAST_INSERT_ID()`));
    const s = await login(base, u.login, PASSWORD);
    expectStatus(await s.get(`/contacts/${contact}/delete`), 403);
    expectRedirect(await c.post(`/settings/users/${u.id}`, { form: userForm(c, u, { roles: ['crm_sales', 'crm_manager'] }) }), `/settings/users/${u.id}?saved=1`);
    expectStatus(await s.get(`/contacts/${contact}/delete`), 200);
    expectRedirect(await c.post(`/settings/users/${u.id}`, { form: userForm(c, u, { roles: ['crm_sales'] }) }), `/settings/users/${u.id}?saved=1`);
    expectStatus(await s.get(`/contacts/${contact}/delete`), 403);
    expectRedirect(await c.post(`/settings/users/${u.id}`, { form: userForm(c, u, { roles: [] }) }), `/settings/users/${u.id}?saved=1`);
    eq(rolesOf(u.id), '', 'roles after removing all');
    expectStatus(await s.get('/contacts'), 403);
  });

  T('the last active admin can neither be deactivated nor lose crm_admin (form and API, 422 with the reason); nothing changes', async () => {
    const c = await adminOf(base, 'lastadmin');
    const me = userId(await dedicatedUser('lastadmin', ['crm_admin']));
    const others = sql(`SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'crm_admin' WHERE u.active = 1 AND u.id <> ${me}`)
      .split('\n').filter(Boolean);
    try {
      if (others.length) sql(`UPDATE users SET active = 0 WHERE id IN (${others.join(',')})`);
      const meRow = { login: sql(`SELECT login FROM users WHERE id = ${me}`) };
      let res = expectStatus(await c.post(`/settings/users/${me}`, { form: userForm(c, meRow, { roles: ['crm_sales'] }) }), 422);
      ok(/last active administrator/i.test(fieldError(res.text, 'roles') || ''), 'no last-admin error next to the roles', res);
      res = expectStatus(await c.post(`/settings/users/${me}`, { form: userForm(c, meRow, { active: false, roles: ['crm_admin'] }) }), 422);
      ok(/last active administrator/i.test(fieldError(res.text, 'active') || ''), 'no last-admin error next to active', res);
      const a = api(base, c);
      const body = expectJsonError(await a.send('PATCH', `/api/v1/settings/users/${me}`, { roles: [] }), 422, 'invalid');
      ok(body.error.fields && body.error.fields.roles, 'API error without fields.roles', { text: JSON.stringify(body) });
      expectJsonError(await a.send('PATCH', `/api/v1/settings/users/${me}`, { active: false }), 422, 'invalid');
      eq(sql(`SELECT active FROM users WHERE id = ${me}`), '1', 'still active');
      eq(rolesOf(me), 'crm_admin', 'still crm_admin');
      expectStatus(await c.get('/settings/users'), 200);
    } finally {
      if (others.length) sql(`UPDATE users SET active = 1 WHERE id IN (${others.join(',')})`);
    }
  });

  // ------------------------------------------------------------ API: users and tokens

  T('API: users list, create (201, roles), get, patch; invalid input 422 with fields; unknown id 404', async () => {
    const c = await adminOf(base);
    const a = api(base, c);
    const l = uname('api');
    const created = expectJson(await a.send('POST', '/api/v1/settings/users', { login: l, email: `${l}@example.test`, roles: ['crm_sales'], password: 'api-pass-12345' }), 201);
    eq(created.login, l, 'login');
    eq(JSON.stringify(created.roles), '["crm_sales"]', 'roles');
    eq(created.active, true, 'active');
    ok(!('password' in created) && !JSON.stringify(created).includes('api-pass'), 'password in the answer');
    const list = expectJson(await a.get('/api/v1/settings/users'), 200);
    ok(list.items.some((x) => x.id === created.id), 'not in the list');
    const patched = expectJson(await a.send('PATCH', `/api/v1/settings/users/${created.id}`, { display_name: 'Renamed', roles: ['crm_manager', 'crm_sales'] }), 200);
    eq(patched.display_name, 'Renamed', 'display_name');
    eq(JSON.stringify(patched.roles), '["crm_manager","crm_sales"]', 'roles after patch');
    eq(patched.email, `${l}@example.test`, 'email kept');
    const bad = expectJsonError(await a.send('PATCH', `/api/v1/settings/users/${created.id}`, { email: 'x', roles: ['crm_boss'] }), 422, 'invalid');
    ok(bad.error.fields.email && bad.error.fields.roles, 'fields of the 422', { text: JSON.stringify(bad) });
    expectJsonError(await a.send('POST', '/api/v1/settings/users', { login: l }), 422, 'invalid');
    expectJsonError(await a.get('/api/v1/settings/users/999999999'), 404, 'not_found');
    await login(base, l, 'api-pass-12345');
  });

  T('API: POST …/users/#/tokens returns the token once (201); it works; DELETE revokes it (204) and it gets 401', async () => {
    const c = await adminOf(base);
    const a = api(base, c);
    const u = await staffUser('apitok');
    const t = expectJson(await a.send('POST', `/api/v1/settings/users/${u.id}/tokens`, { label: 'integration' }), 201);
    ok(/^crm_[0-9a-f]{64}$/.test(t.token), 'token shape');
    const bearer = new Client(base);
    bearer.headers.authorization = `Bearer ${t.token}`;
    expectStatus(await bearer.get('/api/v1/contacts?limit=1'), 200);
    const user = expectJson(await a.get(`/api/v1/settings/users/${u.id}`), 200);
    const listed = user.tokens.find((x) => x.id === t.id);
    ok(listed && listed.label === 'integration' && listed.revoked_at === null && listed.last_used_at, 'token row in the user');
    ok(!JSON.stringify(user).includes(t.token), 'token shown again');
    eq((await a.send('DELETE', `/api/v1/settings/users/${u.id}/tokens/${t.id}`)).status, 204, 'DELETE status');
    expectJsonError(await bearer.get('/api/v1/contacts?limit=1'), 401, 'unauthorized');
    expectJsonError(await a.send('DELETE', `/api/v1/settings/users/${u.id}/tokens/${t.id}`), 404, 'not_found');
  });

  // ------------------------------------------------------------ email templates

  T('the template list shows every code in English and Italian with an edit link', async () => {
    const c = await adminOf(base);
    const res = expectStatus(await c.get('/settings/email-templates'), 200);
    for (const code of ['portal_access', 'ticket_created', 'ticket_updated', 'password_reset']) {
      for (const lang of ['en', 'it']) {
        const id = templateRow(code, lang).id;
        ok(findTag(res.text, 'a', { href: `/settings/email-templates/${id}` }), `no link to ${code} (${lang})`, res);
      }
    }
    ok(res.text.includes('Registration and access data'), 'portal_access is not named', res);
  });

  T('a template with an unknown placeholder is refused by the form (422, error next to the body) and by the API; nothing changes', async () => {
    const c = await adminOf(base);
    const t = templateRow('portal_access', 'en');
    const res = expectStatus(await c.post(`/settings/email-templates/${t.id}`, {
      form: { csrf_token: c.csrf, subject: 'Welcome', body: 'Hi {{contact.first_name}}, {{contact.password}}', action: 'save' } }), 422);
    ok(/\{\{contact\.password\}\}/.test(fieldError(res.text, 'body') || ''), 'the error does not name the placeholder', res);
    ok(elementInner(res.text, 'textarea', { name: 'body' }).includes('{{contact.password}}'), 'the input is not kept', res);
    const a = api(base, c);
    const body = expectJsonError(await a.send('PATCH', `/api/v1/settings/email-templates/${t.id}`, { subject: 'Hi {{ticket.number}}' }), 422, 'invalid');
    ok(/ticket\.number/.test(body.error.fields.subject || ''), 'API error does not name the placeholder', { text: JSON.stringify(body) });
    const now = templateRow('portal_access', 'en');
    eq(now.subject, t.subject, 'stored subject');
    eq(now.body, t.body, 'stored body');
  });

  T('unbalanced braces, an empty subject and a two-line subject are refused, each next to its field', async () => {
    const c = await adminOf(base);
    const a = api(base, c);
    const t = templateRow('password_reset', 'it');
    let b = expectJsonError(await a.send('PATCH', `/api/v1/settings/email-templates/${t.id}`, { body: 'Link: {{reset.link}' }), 422, 'invalid');
    ok(/bilanciate|unbalanced/i.test(b.error.fields.body || ''), 'unbalanced braces', { text: JSON.stringify(b) });
    b = expectJsonError(await a.send('PATCH', `/api/v1/settings/email-templates/${t.id}`, { subject: '  ' }), 422, 'invalid');
    ok(b.error.fields.subject, 'empty subject', { text: JSON.stringify(b) });
    const res = expectStatus(await c.post(`/settings/email-templates/${t.id}`, {
      form: { csrf_token: c.csrf, subject: 'One\r\nBcc: x@example.com', body: 'ok {{reset.link}}' } }), 422);
    ok(fieldError(res.text, 'subject'), 'no error next to the two-line subject', res);
    eq(templateRow('password_reset', 'it').subject, t.subject, 'stored subject');
  });

  T('a valid template change is saved (form and API) and recorded; the API lists codes, languages and placeholders', async () => {
    const c = await adminOf(base);
    const t = templateRow('ticket_updated', 'en');
    try {
      expectRedirect(await c.post(`/settings/email-templates/${t.id}`, {
        form: { csrf_token: c.csrf, subject: `Update ${RUN} {{ticket.number}}`, body: 'Status: {{ ticket.status }}\n{{comment.body}}' } }),
      `/settings/email-templates/${t.id}?saved=1`);
      eq(templateRow('ticket_updated', 'en').subject, `Update ${RUN} {{ticket.number}}`, 'stored subject');
      const a = api(base, c);
      const one = expectJson(await a.send('PATCH', `/api/v1/settings/email-templates/${t.id}`, { body: 'Hello {{contact.first_name}}' }), 200);
      eq(one.body, 'Hello {{contact.first_name}}', 'body after PATCH');
      eq(one.subject, `Update ${RUN} {{ticket.number}}`, 'subject kept by PATCH');
      ok(one.placeholders.includes('comment.body'), 'placeholders');
      const list = expectJson(await a.get('/api/v1/settings/email-templates'), 200);
      eq(list.items.length >= 8, true, 'at least 8 templates');
      ok(list.items.every((x) => Number.isInteger(x.id) && x.code && /^(en|it)$/.test(x.language)), 'item shape');
      expectJsonError(await a.get('/api/v1/settings/email-templates/999999999'), 404, 'not_found');
    } finally {
      restoreTemplate(t);
    }
  });

  T('the preview fills the sample contact\'s values, escaped, without saving', async () => {
    const c = await adminOf(base);
    const t = templateRow('portal_access', 'it');
    const first = `Ann${XSS}`;
    const cid = Number(sql(`INSERT INTO contacts SET first_name = '${first}', last_name = 'Prev${RUN}', email = 'prev${RUN}@example.test'; SELECT LAST_INSERT_ID()`));
    const res = expectStatus(await c.post(`/settings/email-templates/${t.id}`, {
      form: { csrf_token: c.csrf, subject: 'Ciao {{contact.first_name}}', body: 'Login {{portal.login}} <b>{{portal.link}}</b>', contact_id: String(cid), action: 'preview' } }), 200);
    ok(!res.text.includes(XSS) && !res.text.includes('<b>{{'), 'raw markup in the page', res);
    const subject = decodeEntities(elementInner(res.text, 'span', { id: 'preview-subject' }) || '');
    eq(subject, `Ciao ${first}`, 'preview subject');
    const body = decodeEntities(elementInner(res.text, 'pre', { id: 'preview-body' }) || '');
    ok(body.startsWith(`Login prev${RUN}@example.test <b>http`) && body.includes('</b>'), `preview body: ${body}`, res);
    eq(templateRow('portal_access', 'it').subject, t.subject, 'the preview saved the subject');
    // the edit page itself previews the stored text with the first active contact
    const page = expectStatus(await c.get(`/settings/email-templates/${t.id}`), 200);
    ok(elementInner(page.text, 'pre', { id: 'preview-body' }), 'no preview on the edit page', page);
  });

  // ------------------------------------------------------------ contact rules

  T('making first_name mandatory makes a contact save without first_name fail with a field error', async () => {
    const c = await adminOf(base);
    const old = sql("SELECT v FROM settings WHERE k = 'contact.mandatory'");
    try {
      const form = await rulesForm(c);
      expectRedirect(await c.post('/settings/rules', { form: [...form, ['mandatory', 'first_name']] }), '/settings/rules?saved=1');
      ok(sql("SELECT v FROM settings WHERE k = 'contact.mandatory'").split(',').includes('first_name'), 'first_name is not stored as mandatory');
      const page = expectStatus(await c.get('/contacts/new'), 200);
      const res = expectStatus(await c.post('/contacts', { form: { csrf_token: getCsrf(page.text), last_name: `Mand${RUN}`, action: 'save' } }), 422);
      ok(fieldError(res.text, 'first_name'), 'no error next to first_name', res);
      eq(sql(`SELECT COUNT(*) FROM contacts WHERE last_name = 'Mand${RUN}'`), '0', 'stored contacts');
      const bad = expectStatus(await c.post('/settings/rules', { form: [...form, ['mandatory', 'password_hash']] }), 422);
      ok(fieldError(bad.text, 'mandatory'), 'an unknown field is not refused', bad);
      const none = expectStatus(await c.post('/settings/rules', { form: form.map(([k, v]) => [k, k.startsWith('group_') ? '0' : v]) }), 422);
      ok(fieldError(none.text, 'groups'), 'a rule without any counted field is not refused', none);
    } finally {
      sql(`UPDATE settings SET v = '${old}' WHERE k = 'contact.mandatory'`);
    }
  });

  T("changing the completeness rule re-evaluates an existing contact's status after the response", async () => {
    const c = await adminOf(base);
    await refreshDone();
    const cid = Number(sql(`INSERT INTO contacts SET first_name = 'Comp', last_name = 'L${RUN}', status = 'draft'; SELECT LAST_INSERT_ID()`));
    const cust = Number(sql(`INSERT INTO customers SET name = 'Comp${RUN}'; SELECT LAST_INSERT_ID()`));
    sql(`INSERT INTO connections SET contact_id = ${cid}, customer_id = ${cust}`);
    const form = await rulesForm(c);
    try {
      // first and last name are enough: no channel group any more
      const names = form.map(([k, v]) => [k, k.startsWith('group_') ? ({ group_first_name: '1', group_last_name: '2' }[k] || '0') : v]);
      const t0 = Date.now();
      expectRedirect(await c.post('/settings/rules', { form: names }), '/settings/rules?saved=1');
      ok(Date.now() - t0 < 5000, 'the save waited for the re-evaluation');
      eq(sql("SELECT v FROM settings WHERE k = 'contact.complete'"), 'first_name,last_name', 'stored rule');
      await waitFor('the contact to become a contact person', () => sql(`SELECT status FROM contacts WHERE id = ${cid}`) === 'contact');
      await refreshDone();
      const page = expectStatus(await c.get('/settings/rules'), 200);
      ok(/First name<\/li>\s*<li>Last name<\/li>/.test(page.text), 'the page does not show the new rule', page);
      ok(textOf(elementInner(page.text, 'p', { id: 'refresh-state' }) || ''), 'no re-evaluation state shown', page);
    } finally {
      expectRedirect(await c.post('/settings/rules', { form }), '/settings/rules?saved=1');
      await waitFor('the contact to be a draft again', () => sql(`SELECT status FROM contacts WHERE id = ${cid}`) === 'draft');
      await refreshDone();
    }
  }, { timeout: 90000 });

  // ------------------------------------------------------------ outbox and history

  T('the outbox lists mail newest first with a status filter, and Retry sends a failed mail again', async () => {
    const c = await adminOf(base);
    const to = `retry${RUN}@example.test`;
    const id = Number(sql(`INSERT INTO outbox SET to_addr = '${to}', subject = 'Retry ${XSS}', body = 'x', status = 'failed', attempts = 12, `
      + `last_error = 'connection refused', template = 'portal_access'; SELECT LAST_INSERT_ID()`));
    const list = expectStatus(await c.get('/settings/outbox?status=failed'), 200);
    const row = elementInner(list.text, 'tr', { id: `mail-${id}` });
    ok(row && row.includes(to) && row.includes('connection refused') && row.includes('portal_access'), 'the failed mail is not listed', list);
    ok(!list.text.includes(XSS), 'the subject is not escaped', list);
    ok(!elementInner(list.text, 'tbody').includes('mail-sent'), 'the failed filter shows sent mail', list);
    const ids = findTags(list.text, 'tr').map((t) => Number((t.attrs.id || '').replace('mail-', ''))).filter(Boolean);
    eq(JSON.stringify(ids), JSON.stringify([...ids].sort((x, y) => y - x)), 'newest first');
    expectRedirect(await c.post(`/settings/outbox/${id}/retry`, { form: { csrf_token: c.csrf } }), '/settings/outbox?retried=1');
    await waitFor('the retried mail to be sent', () => sql(`SELECT status FROM outbox WHERE id = ${id}`) === 'sent');
    eq(sql(`SELECT attempts FROM outbox WHERE id = ${id}`), '13', 'attempts');
    expectStatus(await c.post(`/settings/outbox/${id}/retry`, { form: { csrf_token: c.csrf } }), 409);
    expectStatus(await c.post('/settings/outbox/999999999/retry', { form: { csrf_token: c.csrf } }), 404);
    expectStatus(await c.get('/settings/outbox?status=bogus'), 200);
  });

  T('the admin history lists each change with its actor, newest first, and never a password or token', async () => {
    const c = await adminOf(base, 'histadmin');
    const actor = await dedicatedUser('histadmin', ['crm_admin']);
    const a = api(base, c);
    const since = Number(sql('SELECT IFNULL(MAX(id), 0) FROM admin_history'));
    const l = uname('hist');
    const u = { login: l, id: 0 };
    expectRedirect(await c.post('/settings/users', { form: [...userForm(c, u), ['password', 'hist-pass-1234']] }), /\?created=1$/);
    u.id = userId(l);
    await c.post(`/settings/users/${u.id}`, { form: userForm(c, u, { roles: ['crm_marketeer'] }) });
    await c.post(`/settings/users/${u.id}`, { form: userForm(c, u, { roles: ['crm_marketeer'], active: false }) });
    await c.post(`/settings/users/${u.id}`, { form: userForm(c, u, { roles: ['crm_marketeer'], active: true }) });
    const gen = await c.post(`/settings/users/${u.id}/password`, { form: { csrf_token: c.csrf, action: 'generate' } });
    const password = decodeEntities(elementInner(gen.text, 'code', { id: 'secret' }) || 'none');
    const tok = expectJson(await a.send('POST', `/api/v1/settings/users/${u.id}/tokens`, { label: 'hist' }), 201);
    await a.send('DELETE', `/api/v1/settings/users/${u.id}/tokens/${tok.id}`);
    const t = templateRow('ticket_created', 'it');
    try {
      expectJson(await a.send('PATCH', `/api/v1/settings/email-templates/${t.id}`, { subject: `Hist ${RUN} {{ticket.number}}` }), 200);
    } finally {
      restoreTemplate(t);
    }
    const form = await rulesForm(c);
    const mandatory = sql("SELECT v FROM settings WHERE k = 'contact.mandatory'");
    try {
      expectRedirect(await c.post('/settings/rules', { form: [...form, ['mandatory', 'job_title']] }), '/settings/rules?saved=1');
    } finally {
      sql(`UPDATE settings SET v = '${mandatory}' WHERE k = 'contact.mandatory'`);
    }
    const mail = Number(sql(`INSERT INTO outbox SET to_addr = 'hist${RUN}@example.test', subject = 's', body = 'b', status = 'failed'; SELECT LAST_INSERT_ID()`));
    expectRedirect(await c.post(`/settings/outbox/${mail}/retry`, { form: { csrf_token: c.csrf } }), '/settings/outbox?retried=1');

    const page = expectStatus(await c.get('/settings/history'), 200);
    const rows = findTags(page.text, 'tr').filter((r) => /^h-\d+$/.test(r.attrs.id || '')).map((r) => {
      const inner = elementInner(page.text.slice(r.index), 'tr');
      const cell = (cls) => textOf(elementInner(inner, 'td', { class: cls }) || '');
      const action = findTag(inner, 'td', { class: 'action' });
      return { id: Number(r.attrs.id.slice(2)), actor: cell('actor'), action: action && action.attrs['data-action'], target: cell('target'), details: cell('details') };
    }).filter((r) => r.id > since);
    eq(JSON.stringify(rows.map((r) => r.id)), JSON.stringify(rows.map((r) => r.id).sort((x, y) => y - x)), 'newest first');
    const mine = rows.filter((r) => r.actor === actor);
    const want = [['create', l], ['roles', l], ['deactivate', l], ['reactivate', l], ['password_reset', l], ['token_create', l],
      ['token_revoke', l], ['update', 'ticket_created (it)'], ['update', 'contact'], ['retry', `hist${RUN}@example.test`]];
    for (const [action, target] of want) {
      ok(mine.some((r) => r.action === action && r.target.includes(target)), `no history row "${action}" of ${target} by ${actor}`, page);
    }
    ok(mine.find((r) => r.action === 'roles').details.includes('crm_sales → crm_marketeer'), 'roles row without old → new', page);
    ok(!page.text.includes(password) && !page.text.includes(tok.token) && !page.text.includes('hist-pass-1234'), 'a secret in the history', page);
  }, { timeout: 90000 });

  T('every settings page renders in Italian with the tab bar and nothing untranslated from the settings block', async () => {
    const c = await adminOf(base);
    c.setCookie('crm_lang', 'it');
    const uid = userId(await dedicatedUser('sadmin', ['crm_admin']));
    const tid = templateRow('portal_access', 'it').id;
    for (const p of ['/settings', '/settings/users', '/settings/users/new', `/settings/users/${uid}`, '/settings/email-templates',
      `/settings/email-templates/${tid}`, '/settings/rules', '/settings/outbox', '/settings/history']) {
      const res = expectStatus(await c.get(p), 200);
      ok(res.text.includes('<html lang="it">'), `${p}: not Italian`, res);
      ok(findTag(res.text, 'nav', { class: 'settings-tabs' }), `${p}: no tab bar`, res);
      ok(!/Settings\.[A-Z]/.test(textOf(res.text)), `${p}: a language key is shown instead of its text`, res);
    }
  });
}
