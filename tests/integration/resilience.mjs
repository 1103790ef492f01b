// Failure behaviour: a FastCGI worker killed, the database stopped and started again.
import { readFileSync, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import {
  Client, ok, expectStatus, expectJsonError, expectJson, env, stack, sleep,
} from '../lib/harness.mjs';
import { adminClient, adminToken } from './fixtures.mjs';

function children(pid) {
  return new Promise((resolve, reject) => {
    execFile('pgrep', ['-P', String(pid)], (err, stdout) => {
      if (err && err.code !== 1) return reject(err); // 1 = no match
      resolve(stdout.split('\n').map((s) => s.trim()).filter(Boolean).map(Number));
    });
  });
}

function isZombieOrGone(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return / Z /.test(stat.slice(stat.lastIndexOf(')') + 1, stat.lastIndexOf(')') + 4));
  } catch { return true; }
}

function masterPid(module) {
  const file = path.join(env('CRM_STATE'), 'pids', `${module}.pid`);
  ok(existsSync(file), `no pid file ${file}`);
  const pid = Number(readFileSync(file, 'utf8').trim());
  ok(Number.isInteger(pid) && pid > 1, `pid file ${file} holds ${JSON.stringify(readFileSync(file, 'utf8'))}`);
  ok(existsSync(`/proc/${pid}`), `master ${pid} from ${file} is not running`);
  return pid;
}

/** GET path until it answers `status` or `ms` pass; returns the last response (or throws the last request error). */
async function until(fn, ms, step = 100) {
  const deadline = Date.now() + ms;
  let last;
  let lastErr;
  for (;;) {
    try { last = await fn(); lastErr = null; if (last.done) return last; } catch (e) { lastErr = e; }
    if (Date.now() >= deadline) break;
    await sleep(step);
  }
  if (lastErr) throw lastErr;
  return last;
}

export async function killWorkerAndCheck(base) {
  const master = masterPid('contacts');
  const before = await children(master);
  ok(before.length > 0, `contacts master ${master} has no worker processes`);
  const admin = await adminClient(base);
  expectStatus(await admin.get('/contacts'), 200);

  const victim = before[0];
  process.kill(victim, 'SIGKILL');
  const killedAt = Date.now();

  // requests keep being answered: one retry window of ~2 s at most
  const first = await until(async () => {
    const r = await new Client(base).get('/login', { timeout: 2000 });
    return { done: r.status === 200, r };
  }, 2000);
  ok(first.done, `GET /login did not answer 200 within 2 s after killing worker ${victim} (last: ${first.r && first.r.status})`, first.r);
  for (let i = 0; i < 10; i++) {
    expectStatus(await new Client(base).get('/login'), 200);
    expectStatus(await admin.get('/contacts'), 200);
  }

  // the master replaces the dead worker (and reaps it)
  let now = before;
  while (Date.now() - killedAt < 3000) {
    now = await children(master);
    const fresh = now.filter((p) => !before.includes(p));
    if (fresh.length && now.filter((p) => !isZombieOrGone(p)).length >= before.length) break;
    await sleep(100);
  }
  const fresh = now.filter((p) => !before.includes(p));
  ok(fresh.length > 0, `no new worker within 3 s after killing ${victim} (workers before ${before.join(',')}, now ${now.join(',')})`);
  const alive = now.filter((p) => !isZombieOrGone(p));
  ok(alive.length >= before.length, `${alive.length} live workers after the restart, ${before.length} before`);
  ok(isZombieOrGone(victim), `killed worker ${victim} still runs`);
  await sleep(200);
  ok(!(await children(master)).includes(victim), `killed worker ${victim} was not reaped (zombie)`);
  // the new worker serves pages that need the database
  for (let i = 0; i < 2 * before.length; i++) expectStatus(await admin.get('/contacts'), 200);
}

export async function dbRestartCheck(base, otherBases = []) {
  const admin = await adminClient(base);
  const token = await adminToken();
  const api = new Client(base);
  api.headers.authorization = 'Bearer ' + token;
  expectStatus(await admin.get('/contacts'), 200);
  expectJson(await api.get('/api/v1/contacts?limit=1'), 200);

  let failure = null;
  try {
    await stack('db-stop');
    // the stop may take a moment to be visible
    const html = (await until(async () => {
      const r = await admin.get('/contacts');
      return { done: r.status !== 200, r };
    }, 5000)).r;
    expectStatus(html, 503);
    ok(/^text\/html\b/i.test(html.headers.get('content-type') || ''), `503 page is ${html.headers.get('content-type')}, not HTML`, html);
    ok(html.headers.get('x-frame-options'), '503 page without security headers', html);
    const json = await api.get('/api/v1/contacts?limit=1');
    expectJsonError(json, 503, 'unavailable');
    // login page with the database down: no crash, a clean answer
    const lp = await new Client(base).get('/login');
    ok(lp.status === 200 || lp.status === 503, `GET /login with the database down answered ${lp.status}`, lp);
  } catch (e) {
    failure = e;
  } finally {
    try {
      await stack('db-start');
    } catch (e) {
      failure = failure || e;
      if (failure !== e) failure.message += `\n(and db-start failed: ${e.message})`;
    }
  }
  if (failure) throw failure;

  // back without restarting anything: same session, same token
  const back = await until(async () => {
    const r = await admin.get('/contacts');
    return { done: r.status === 200, r };
  }, 10000, 200);
  ok(back.done, `GET /contacts still ${back.r && back.r.status} 10 s after db-start`, back.r);
  const apiBack = await until(async () => {
    const r = await api.get('/api/v1/contacts?limit=1');
    return { done: r.status === 200, r };
  }, 3000, 200);
  ok(apiBack.done, `API still ${apiBack.r && apiBack.r.status} after the database is back`, apiBack.r);
  for (const other of otherBases) {
    const c = new Client(other);
    c.headers.authorization = 'Bearer ' + token;
    const r = await until(async () => {
      const x = await c.get('/api/v1/contacts?limit=1');
      return { done: x.status === 200, r: x };
    }, 3000, 200);
    ok(r.done, `${other}: API still ${r.r && r.r.status} after the database is back`, r.r);
  }
  // every worker must have recovered, not just one: a few more requests in a row
  for (let i = 0; i < 8; i++) expectStatus(await admin.get('/contacts'), 200);
}
