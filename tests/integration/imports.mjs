// Staged imports (issue 7): upload, the mapping screen and saved mappings, batches with progress, Resume after a
// killed worker, dry run report, refused rows as CSV, idempotent re-run and revert — as a manager sees them.
import fs from 'node:fs';
import path from 'node:path';
import { test, ok, eq, expectStatus, expectJson, expectJsonError, login, getCsrf, formValues, merged, sleep, env, Client, createToken } from '../lib/harness.mjs';
import { dedicatedUser, once, PASSWORD, RUN } from './fixtures.mjs';
import { parseCsv } from './data.mjs';
import { sql } from './mail.mjs';

function web(base, role) {
  const roles = { manager: ['crm_manager'], sales: ['crm_sales'] }[role];
  return once(`imports-web:${base}:${role}`, async () => login(base, await dedicatedUser('i' + role, roles), PASSWORD));
}

let seq = 0;
function mark() { seq += 1; return `Ix${RUN}n${seq}`; }
const PHONE_BASE = 1000000 + Math.floor(Math.random() * 7000000);

/** Uploads a file as a staged import; the job id (from the redirect to its mapping screen). */
async function upload(c, csv, name = 'contacts.csv') {
  const page = await c.get('/contacts/import');
  expectStatus(page, 200);
  ok(page.text.includes('formaction="/contacts/imports"'), 'the import page offers the staged upload', page);
  const fd = new FormData();
  fd.append('csrf_token', getCsrf(page.text));
  fd.append('on_duplicate', 'skip');
  fd.append('file', new Blob([csv], { type: 'text/csv' }), name);
  const res = await c.post('/contacts/imports', { body: fd, timeout: 60000 });
  expectStatus(res, 303);
  const m = /\/contacts\/import\/(\d+)\/mapping$/.exec(res.location || '');
  ok(m, 'redirected to the mapping screen', res);
  return Number(m[1]);
}

/** Submits the mapping form as shown, with changes (col_N, on_duplicate, save_as) and action dry|run. */
async function submitMapping(c, id, changes, action) {
  const page = await c.get(`/contacts/import/${id}/mapping`);
  expectStatus(page, 200);
  const f = formValues(page.text, { id: 'mapping-form' });
  ok(f, 'the mapping form', page);
  const res = await c.post(`/contacts/import/${id}/mapping`, { form: merged(f.fields, { ...changes, action }) });
  expectStatus(res, 303);
  return res;
}

function jobStatus(text) { return (/id="job-status" class="status-([a-z]+)"/.exec(text) || [])[1]; }
function num(text, id) { return Number((new RegExp(`id="${id}">(\\d+)<`).exec(text) || [])[1]); }

/** Polls the progress page until the job is in one of the statuses; the last page. */
async function waitJob(c, id, statuses, timeoutMs = 240000) {
  const t0 = Date.now();
  for (;;) {
    const page = await c.get(`/contacts/import/${id}`);
    expectStatus(page, 200);
    if (statuses.includes(jobStatus(page.text))) return page;
    ok(Date.now() - t0 < timeoutMs, `job ${id} still ${jobStatus(page.text)} after ${timeoutMs} ms`, page);
    await sleep(300);
  }
}

function rows(m, n, from = 0) {
  const lines = ['first_name,last_name,email,mobile_phone'];
  for (let i = from; i < from + n; i++) lines.push(`F${i},${m},f${i}.${m}@example.com,+39 349 ${String(PHONE_BASE + i).padStart(7, '0')}`);
  return lines.join('\n') + '\n';
}
function count(m) { return Number(sql(`SELECT COUNT(*) FROM contacts WHERE last_name = '${m}' AND deleted_at IS NULL`)); }

export function registerImportTests(base) {
  const T = (name, fn, opts) => test(`[import jobs] ${name}`, fn, opts);

  T('upload: the mapping screen lists each column with samples and the automatic mapping; a remapped column imports into the chosen field; the mapping is saved and applied again', async () => {
    const c = await web(base, 'manager');
    const m = mark();
    const csv = `Nome;Cognome;Email;Anything\nLuca;${m};luca.${m}@example.com;met at the fair\nSara;${m};sara.${m}@example.com;call back\n`;
    const id = await upload(c, csv);
    const page = await c.get(`/contacts/import/${id}/mapping`);
    expectStatus(page, 200);
    ok(page.text.includes('>Nome</label>') && page.text.includes('>Anything</label>'), 'each header is listed', page);
    ok(page.text.includes('Luca · Sara') && page.text.includes('met at the fair · call back'), 'with sample values', page);
    const f = formValues(page.text, { id: 'mapping-form' }).fields;
    eq(`${f.col_0}|${f.col_1}|${f.col_2}|${f.col_3}`, 'first_name|last_name|email|', 'Italian labels map automatically; the unknown column is ignored', page);
    ok(f.csrf_token, 'the form carries the csrf token', page);
    const name = `map ${m}`;
    await submitMapping(c, id, { col_3: 'notes', save_as: name }, 'run');
    const done = await waitJob(c, id, ['done']);
    eq(num(done.text, 'n-created'), 2, 'two created', done);
    eq(sql(`SELECT GROUP_CONCAT(notes ORDER BY first_name) FROM contacts WHERE last_name = '${m}'`), 'met at the fair,call back', 'the remapped column went into notes');
    eq(sql(`SELECT source FROM contacts WHERE email = 'luca.${m}@example.com'`), 'import', 'source is import');
    // a second file with the same headers: the saved mapping is offered and applied
    const m2 = mark();
    const id2 = await upload(c, `Nome;Cognome;Email;Anything\nPia;${m2};pia.${m2}@example.com;from the saved mapping\n`);
    const p2 = await c.get(`/contacts/import/${id2}/mapping`);
    const mid = sql(`SELECT id FROM import_mappings WHERE name = '${name}'`);
    ok(mid && p2.text.includes(`<option value="${mid}"`), 'the saved mapping is listed', p2);
    eq(formValues(p2.text, { id: 'mapping-form' }).fields.col_3, '', 'not applied before it is chosen', p2);
    const p3 = await c.get(`/contacts/import/${id2}/mapping?saved=${mid}`);
    eq(formValues(p3.text, { id: 'mapping-form' }).fields.col_3, 'notes', 'applied by header', p3);
    const f3 = formValues(p3.text, { id: 'mapping-form' }).fields;
    expectStatus(await c.post(`/contacts/import/${id2}/mapping`, { form: { ...f3, action: 'run' } }), 303);
    await waitJob(c, id2, ['done']);
    eq(sql(`SELECT notes FROM contacts WHERE last_name = '${m2}'`), 'from the saved mapping', 'imported with the saved mapping');
    // a target that does not exist is refused; no csrf token is refused
    const bad = await c.post(`/contacts/import/${id2}/mapping`, { form: { ...f3, col_0: 'password_hash', action: 'run' } });
    ok([303, 422].includes(bad.status), 'an unknown target is refused or the job is already done', bad);
    expectStatus(await c.post(`/contacts/import/${id2}/mapping`, { form: { col_0: 'first_name', action: 'run', on_duplicate: 'skip' } }), 403);
  }, { timeout: 120000 });

  T('12,000 rows import across several batches; the progress page refreshes while running and reaches done with the right counts', async () => {
    const c = await web(base, 'manager');
    const m = mark();
    const id = await upload(c, rows(m, 12000), 'big.csv');
    const map = await c.get(`/contacts/import/${id}/mapping`);
    ok(/id="n-total">12000</.test(map.text), 'the mapping screen counts the rows', map);
    const t0 = Date.now();
    await submitMapping(c, id, {}, 'run');
    let sawRefresh = false, sawPartial = false;
    for (;;) {
      const page = await c.get(`/contacts/import/${id}`);
      if (jobStatus(page.text) === 'done') break;
      if (page.text.includes('http-equiv="refresh"')) sawRefresh = true;
      const done = num(page.text, 'n-done');
      if (done > 0 && done < 12000) sawPartial = true;
      ok(Date.now() - t0 < 600000, 'finishes in time', page);
      await sleep(500);
    }
    const ms = Date.now() - t0;
    console.log(`    staged import of 12,000 rows in ${ms} ms (${Math.round(12000 / (ms / 1000))} rows/s)`);
    const page = await c.get(`/contacts/import/${id}`);
    eq(`${num(page.text, 'n-created')}/${num(page.text, 'n-refused')}/${num(page.text, 'n-done')}`, '12000/0/12000', 'all created', page);
    ok(page.text.includes('id="percent">100%'), '100%', page);
    ok(!page.text.includes('http-equiv="refresh"'), 'no refresh once done', page);
    ok(sawRefresh, 'the page refreshed itself while running');
    ok(sawPartial, 'progress was visible between batches');
    eq(count(m), 12000, 'stored');
    eq(Number(sql(`SELECT COUNT(*) FROM import_rows WHERE import_id = ${id} AND dry = 0`)), 12000, 'one outcome per row');
    ok(page.text.includes(`?from=`), 'the report pages through the lines', page);
    sql(`DELETE FROM contacts WHERE last_name = '${m}'`);
  }, { timeout: 660000 });

  T('kill safety: a worker killed in the middle of a job leaves whole batches; Resume after the lease ran out ends with exactly the file', async () => {
    const c = await web(base, 'manager');
    const m = mark();
    const N = 9000;
    const id = await upload(c, rows(m, N, 20000), 'kill.csv');
    await submitMapping(c, id, {}, 'run');
    let holder;
    const t0 = Date.now();
    for (;;) {
      const r = sql(`SELECT rows_done, status, locked_by FROM imports WHERE id = ${id}`).split('\t');
      if (r[1] !== 'running') break;
      if (Number(r[0]) >= 1000) { holder = Number(r[2].split(':')[0]); break; }
      ok(Date.now() - t0 < 300000, 'the first batch commits');
      await sleep(100);
    }
    ok(holder, 'the job was caught running after its first batch (the machine was too fast to test a kill)');
    process.kill(holder, 'SIGKILL');
    await sleep(500);
    const mid = sql(`SELECT rows_done, status FROM imports WHERE id = ${id}`).split('\t');
    eq(mid[1], 'running', 'still running after the kill');
    eq(count(m), Number(mid[0]), 'exactly the committed batches are stored: no half batch');
    eq(Number(mid[0]) % 1000, 0, 'whole batches');
    // the lease runs out (made to now instead of waiting a minute)
    sql(`UPDATE imports SET locked_until = NOW() - INTERVAL 1 SECOND WHERE id = ${id}`);
    const page = await c.get(`/contacts/import/${id}`);
    ok(page.text.includes('id="resume"'), 'a Resume button once the lease expired', page);
    ok(!page.text.includes('http-equiv="refresh"'), 'no refresh while nothing runs', page);
    const f = formValues(page.text, { id: 'resume-form' });
    expectStatus(await c.post(`/contacts/import/${id}/resume`, { form: f.fields }), 303);
    const done = await waitJob(c, id, ['done']);
    eq(`${num(done.text, 'n-created')}/${num(done.text, 'n-done')}`, `${N}/${N}`, 'every row once', done);
    eq(count(m), N, 'exactly N contacts');
    eq(Number(sql(`SELECT COUNT(DISTINCT email) FROM contacts WHERE last_name = '${m}'`)), N, 'no duplicates');
    sql(`DELETE FROM contacts WHERE last_name = '${m}'`);
  }, { timeout: 660000 });

  T('one bad row: the dry run reports its line and stores nothing; the real run imports the rest; the refused rows download as CSV with the reason', async () => {
    const c = await web(base, 'manager');
    const m = mark();
    const csv = 'first_name,last_name,email,birthday\n' +
      `Ann,${m},ann.${m}@example.com,1980-02-03\n` +
      `Bad,${m},not-an-email,2999-01-01\n` +
      `Cid,${m},cid.${m}@example.com,\n`;
    const id = await upload(c, csv);
    await submitMapping(c, id, {}, 'dry');
    const dry = await waitJob(c, id, ['checked']);
    eq(`${num(dry.text, 'n-created')}/${num(dry.text, 'n-refused')}`, '2/1', 'two would be created, one refused', dry);
    const bad = dry.text.split('<tr class="result-refused">')[1] || '';
    ok(/^<td>3<\/td>/.test(bad) && bad.includes('email:') && bad.includes('birthday:'), 'line 3 with its reasons', dry);
    eq(count(m), 0, 'the dry run stored nothing');
    const csv1 = await c.get(`/contacts/import/${id}/refused.csv`);
    expectStatus(csv1, 200);
    const run = formValues(dry.text, { id: 'run-form' });
    ok(run, 'a button runs the import for real after the dry run', dry);
    expectStatus(await c.post(`/contacts/import/${id}/run`, { form: run.fields }), 303);
    const done = await waitJob(c, id, ['done']);
    eq(`${num(done.text, 'n-created')}/${num(done.text, 'n-refused')}`, '2/1', 'two created, one refused', done);
    eq(count(m), 2, 'the good rows are stored');
    const res = await c.get(`/contacts/import/${id}/refused.csv`);
    expectStatus(res, 200);
    ok(/^text\/csv/.test(res.headers.get('content-type')), 'a CSV', res);
    const got = parseCsv(res.text);
    eq(got[0].join('|'), 'line|first_name|last_name|email|birthday|reason', 'the header plus line and reason', res);
    eq(got.length, 2, 'one refused row', res);
    eq(got[1].slice(0, 5).join('|'), `3|Bad|${m}|not-an-email|2999-01-01`, 'the original cells', res);
    ok(/email: .+; birthday: .+|birthday: .+; email: .+/.test(got[1][5]), 'and the reason', res);
  }, { timeout: 120000 });

  T('re-running a file with skip changes nothing; revert deletes what the import created and restores what it updated', async () => {
    const c = await web(base, 'manager');
    const m = mark();
    const email = `old.${m}@example.com`;
    sql(`INSERT INTO contacts (first_name, last_name, email, job_title) VALUES ('Old', '${m}', '${email}', 'Before')`);
    const oldId = sql(`SELECT id FROM contacts WHERE email = '${email}'`);
    const csv = `first_name,last_name,email,job_title\nNew1,${m},n1.${m}@example.com,A\nNew2,${m},n2.${m}@example.com,B\nOld,${m},${email},After\n`;
    const id = await upload(c, csv);
    await submitMapping(c, id, { on_duplicate: 'update' }, 'run');
    const done = await waitJob(c, id, ['done']);
    eq(`${num(done.text, 'n-created')}/${num(done.text, 'n-updated')}`, '2/1', 'two created, one updated', done);
    eq(sql(`SELECT job_title FROM contacts WHERE id = ${oldId}`), 'After', 'updated');
    const before = sql(`SELECT GROUP_CONCAT(CONCAT(id, ':', version, ':', job_title) ORDER BY id) FROM contacts WHERE last_name = '${m}'`);
    // the same file again with skip: nothing changes
    const again = await upload(c, csv);
    await submitMapping(c, again, { on_duplicate: 'skip' }, 'run');
    const p2 = await waitJob(c, again, ['done']);
    eq(`${num(p2.text, 'n-created')}/${num(p2.text, 'n-updated')}/${num(p2.text, 'n-skipped')}`, '0/0/3', 'all skipped', p2);
    eq(sql(`SELECT GROUP_CONCAT(CONCAT(id, ':', version, ':', job_title) ORDER BY id) FROM contacts WHERE last_name = '${m}'`), before, 'nothing changed');
    // revert the first import
    const confirm = await c.get(`/contacts/import/${id}/revert`);
    expectStatus(confirm, 200);
    const f = formValues(confirm.text, { action: `/contacts/import/${id}/revert` });
    ok(f && f.fields.csrf_token, 'a confirmation form with the csrf token', confirm);
    expectStatus(await c.post(`/contacts/import/${id}/revert`, { form: f.fields }), 303);
    await waitJob(c, id, ['reverted']);
    eq(count(m), 1, 'the created contacts are gone');
    eq(Number(sql(`SELECT COUNT(*) FROM contacts WHERE email IN ('n1.${m}@example.com', 'n2.${m}@example.com')`)), 0, 'deleted, not in the bin');
    eq(sql(`SELECT CONCAT(first_name, '|', job_title) FROM contacts WHERE id = ${oldId}`), 'Old|Before', 'the updated contact has its old values back');
    ok(Number(sql(`SELECT COUNT(*) FROM history WHERE action = 'import_revert' AND entity = 'contact' AND entity_id IN (SELECT contact_id FROM import_rows WHERE import_id = ${id} AND outcome = 'created')`)) === 2, 'the deletion is in the history');
    const again2 = await c.get(`/contacts/import/${id}/revert`);
    ok(!again2.text.includes('id="revert-confirm"'), 'a reverted import cannot be reverted twice', again2);
  }, { timeout: 120000 });

  T('revert puts back the additional-field values an update replaced (and clears one the contact did not have)', async () => {
    const admin = new Client(base);
    admin.headers.authorization = 'Bearer ' + await once('imports-admin-token', async () => createToken(await dedicatedUser('iadmin', ['crm_admin'])));
    seq += 1;
    const fk = `t${RUN}_rv${seq}`.toLowerCase();
    const field = expectJson(await admin.post('/api/v1/settings/fields', { json: { key: fk, type: 'text', label: { en: `Revert ${fk}` } } }), 201);
    const c = await web(base, 'manager');
    const m = mark();
    sql(`INSERT INTO contacts (first_name, last_name, email) VALUES ('Had', '${m}', 'had.${m}@example.com'), ('Hadnot', '${m}', 'hadnot.${m}@example.com')`);
    const had = sql(`SELECT id FROM contacts WHERE email = 'had.${m}@example.com'`);
    const hadnot = sql(`SELECT id FROM contacts WHERE email = 'hadnot.${m}@example.com'`);
    sql(`INSERT INTO contact_custom (contact_id, field_id, v_text) VALUES (${had}, ${field.id}, 'Before')`);
    const value = (id) => sql(`SELECT COALESCE((SELECT v_text FROM contact_custom WHERE contact_id = ${id} AND field_id = ${field.id}), '(none)')`);
    const id = await upload(c, `email,${fk}\nhad.${m}@example.com,After1\nhadnot.${m}@example.com,After2\n`);
    await submitMapping(c, id, { on_duplicate: 'update' }, 'run');
    const done = await waitJob(c, id, ['done']);
    eq(num(done.text, 'n-updated'), 2, 'both updated', done);
    eq(`${value(had)} ${value(hadnot)}`, 'After1 After2', 'the file\'s values are stored');
    const confirm = await c.get(`/contacts/import/${id}/revert`);
    const f = formValues(confirm.text, { action: `/contacts/import/${id}/revert` });
    ok(f && f.fields.csrf_token, 'a confirmation form', confirm);
    expectStatus(await c.post(`/contacts/import/${id}/revert`, { form: f.fields }), 303);
    await waitJob(c, id, ['reverted']);
    eq(`${value(had)} ${value(hadnot)}`, 'Before (none)', 'after the revert: the old value back, and none where there was none');
  }, { timeout: 120000 });

  T('duplicates found for a whole batch at once: against the database and earlier rows of the file, by email case, phone typing, accents', async () => {
    const c = await web(base, 'manager');
    const m = mark();
    const ph = `+39 346 ${PHONE_BASE + 5}`;
    sql(`INSERT INTO contacts (first_name, last_name, email, mobile_phone, mobile_phone_norm) VALUES ('Jose', 'ROSSI${m}', 'db.${m}@example.com', '${ph}', '${ph.replace(/ /g, '')}')`);
    const csv = 'first_name,last_name,email,work_phone\n' +
      `José,Rossi${m},,\n` + //                      name without accent in the database
      `Other,A${m},DB.${m}@EXAMPLE.COM,\n` + //       email case
      `Third,B${m},,${ph.replace('+39 346 ', '0039 (346) ')}\n` + // phone typed differently, other slot
      `Zoë,Verdi${m},,\n` + //                        created
      `Zoe,VERDI${m},,\n` + //                        the row above, in the same batch
      `Čeněk,Dvořák${m},,\n` + //                     outside Latin-1: looked up one by one
      `čeněk,DVOŘÁK${m},,\n` +
      `New,C${m},new.${m}@example.com,\n`;
    const id = await upload(c, csv);
    await submitMapping(c, id, { on_duplicate: 'skip' }, 'run');
    const done = await waitJob(c, id, ['done']);
    eq(`${num(done.text, 'n-created')}/${num(done.text, 'n-skipped')}`, '3/5', 'three created, five skipped', done);
    const skipped = sql(`SELECT GROUP_CONCAT(line ORDER BY line) FROM import_rows WHERE import_id = ${id} AND outcome = 'skipped'`);
    eq(skipped, '2,3,4,6,8', 'the duplicate lines', done);
  }, { timeout: 120000 });

  T('API: staged=1 takes a file over 5,000 rows as a job (202) whose state GET /api/v1/contacts/imports/ID follows to done', async () => {
    const token = await once('imports-token:manager', async () => createToken(await dedicatedUser('imanager', ['crm_manager'])));
    const a = new Client(base);
    a.headers.authorization = 'Bearer ' + token;
    const m = mark();
    const csv = rows(m, 6000, 40000);
    const res = await a.request('POST', '/api/v1/contacts/import?staged=1&on_duplicate=skip', { body: csv, headers: { 'content-type': 'text/csv' }, timeout: 60000 });
    const job = expectJson(res, 202);
    ok(job.id > 0 && job.total === 6000 && ['running', 'done'].includes(job.status), 'a running job of 6,000 rows', res);
    eq(res.location, `/api/v1/contacts/imports/${job.id}`, 'Location of the job', res);
    let state;
    const t0 = Date.now();
    for (;;) {
      state = expectJson(await a.get(`/api/v1/contacts/imports/${job.id}`), 200);
      if (state.status === 'done') break;
      ok(Date.now() - t0 < 300000, `job still ${state.status}`);
      await sleep(500);
    }
    eq(`${state.created}/${state.done}/${state.percent}`, '6000/6000/100', 'all created', res);
    eq(count(m), 6000, 'stored');
    expectJsonError(await a.request('POST', '/api/v1/contacts/import?staged=1', { body: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nEND:VCARD\r\n', headers: { 'content-type': 'text/vcard' } }), 422, 'invalid');
    expectJsonError(await a.get('/api/v1/contacts/imports/999999999'), 404, 'not_found');
    sql(`DELETE FROM contacts WHERE last_name = '${m}'`);
  }, { timeout: 360000 });

  // CRM_IMPORT_BENCH=100000: rows/s of a staged import of that many generated rows (not part of the normal run)
  const benchRows = Number(process.env.CRM_IMPORT_BENCH || 0);
  if (benchRows > 0) T(`bench: ${benchRows} rows through the staged import`, async () => {
    const c = await web(base, 'manager');
    const m = mark();
    const id = await upload(c, rows(m, benchRows, 100000), 'bench.csv');
    const t0 = Date.now();
    await submitMapping(c, id, {}, 'run');
    const done = await waitJob(c, id, ['done'], 3600000);
    const ms = Date.now() - t0;
    eq(num(done.text, 'n-created'), benchRows, 'all created', done);
    console.log(`    staged import of ${benchRows} rows in ${ms} ms (${Math.round(benchRows / (ms / 1000))} rows/s)`);
    const logs = fs.readdirSync(path.join(env('CRM_STATE'), 'log')).map((f) => path.join(env('CRM_STATE'), 'log', f));
    for (const f of logs) for (const l of fs.readFileSync(f, 'utf8').split('\n')) if (l.includes(`import ${id}:`)) console.log(`    ${l}`);
    sql(`DELETE FROM contacts WHERE last_name = '${m}'`);
  }, { timeout: 3600000 });

  T('crm_sales cannot see or start staged imports; a bad upload gets a clear error', async () => {
    const s = await web(base, 'sales');
    expectStatus(await s.get('/contacts/imports'), 403);
    expectStatus(await s.get('/contacts/import/1'), 403);
    const c = await web(base, 'manager');
    const page = await c.get('/contacts/import');
    const fd = new FormData();
    fd.append('csrf_token', getCsrf(page.text));
    fd.append('file', new Blob([''], { type: 'text/csv' }), 'empty.csv');
    const res = await c.post('/contacts/imports', { body: fd });
    expectStatus(res, 400);
    ok(res.text.includes('id="import-error"'), 'an error on the import page', res);
    expectStatus(await c.get('/contacts/import/999999999'), 404);
  });
}
