// Faults under load: while several clients keep creating contacts, a worker is SIGKILLed or the
// database is stopped and started again. Requests may fail meanwhile (clearly: 502/503), but every
// write acknowledged with 2xx is there afterwards, and writes succeed again without restarting anything.
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Client, test, ok, eq, env, stack, sleep, expectJson } from '../lib/harness.mjs';
import { adminToken, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';

const WRITERS = 6;

function workersOf(module) {
  const master = Number(readFileSync(path.join(env('CRM_STATE'), 'pids', `${module}.pid`), 'utf8').trim());
  return new Promise((resolve, reject) => {
    execFile('pgrep', ['-P', String(master)], (err, stdout) => {
      if (err && err.code !== 1) return reject(err);
      resolve(stdout.split('\n').map((s) => s.trim()).filter(Boolean).map(Number));
    });
  });
}

/** Runs WRITERS loops creating contacts until stop() is true; returns what each request got. */
async function writeLoad(base, token, tag, stopped) {
  const acked = [];
  const refused = {};
  let seq = 0;
  const loop = async (w) => {
    const c = new Client(base);
    c.headers.authorization = 'Bearer ' + token;
    while (!stopped()) {
      seq += 1;
      const last = `Fault${tag}${RUN}w${w}n${seq}`;
      let res;
      try {
        res = await c.post('/api/v1/contacts', { json: { first_name: 'Ada', last_name: last }, timeout: 20000 });
      } catch (e) {
        refused.network = (refused.network || 0) + 1;
        await sleep(50);
        continue;
      }
      if (res.status === 201) {
        acked.push({ id: res.json().id, last });
      } else {
        refused[res.status] = (refused[res.status] || 0) + 1;
        ok([502, 503, 504].includes(res.status), `a write answered ${res.status} during the fault`, res);
        await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => loop(w)));
  return { acked, refused };
}

/** Every acknowledged write is stored, under the id it was acknowledged with. */
function checkAcked(acked, what) {
  ok(acked.length > 0, `no write was acknowledged ${what}`);
  const tags = acked.map((a) => a.last);
  const stored = new Map(sql(`SELECT last_name, id FROM contacts WHERE last_name IN (${tags.map((t) => `'${t}'`).join(',')})`)
    .split('\n').filter(Boolean).map((l) => l.split('\t')).map(([l, id]) => [l, Number(id)]));
  const missing = acked.filter((a) => stored.get(a.last) !== a.id);
  eq(missing.length, 0, `acknowledged writes missing or under another id ${what}: ${JSON.stringify(missing.slice(0, 5))}`);
}

export function registerFaultTests(base) {
  test('[faults] a contacts worker SIGKILLed under write load: only clean errors meanwhile, every acknowledged write stored', async () => {
    const token = await adminToken();
    const workers = await workersOf('contacts');
    ok(workers.length > 0, 'no contacts workers');
    let stop = false;
    const load = writeLoad(base, token, 'k', () => stop);
    await sleep(1500);
    process.kill(workers[0], 'SIGKILL');
    await sleep(2500);
    stop = true;
    const { acked } = await load;
    checkAcked(acked, 'around the killed worker');
    const now = await workersOf('contacts');
    ok(!now.includes(workers[0]) && now.length === workers.length, `workers before ${workers}, after ${now}`);
  }, { timeout: 90000 });

  test('[faults] the database stopped and started under write load: 503 meanwhile, every acknowledged write stored, writes succeed again', async () => {
    const token = await adminToken();
    let stop = false;
    let failure = null;
    const load = writeLoad(base, token, 'd', () => stop);
    try {
      await sleep(1500);
      await stack('db-stop');
      await sleep(1500);
    } catch (e) {
      failure = e;
    } finally {
      try { await stack('db-start'); } catch (e) { failure = failure || e; }
    }
    await sleep(3000);
    stop = true;
    const { acked, refused } = await load;
    if (failure) throw failure;
    ok(refused[503] > 0, `no write was refused with 503 while the database was down: ${JSON.stringify(refused)}`);
    checkAcked(acked, 'around the database restart');
    // and the programs write again without a restart
    const c = new Client(base);
    c.headers.authorization = 'Bearer ' + token;
    expectJson(await c.post('/api/v1/contacts', { json: { first_name: 'Ada', last_name: `FaultAfter${RUN}` } }), 201);
  }, { timeout: 120000 });
}
