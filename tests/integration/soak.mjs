// Soak: mixed load (list, search, contact page, create, update) through nginx for CRM_SOAK_SECONDS
// (15 in make test, 600 in make check-deep): no 5xx, every acknowledged write stored, worker memory flat.
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Client, test, ok, eq, env, sleep } from '../lib/harness.mjs';
import { adminToken, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';

const SECONDS = Number(process.env.CRM_SOAK_SECONDS || 15);
const CLIENTS = Number(process.env.CRM_SOAK_CLIENTS || 8);

function workers(module) {
  const master = Number(readFileSync(path.join(env('CRM_STATE'), 'pids', `${module}.pid`), 'utf8').trim());
  return new Promise((resolve, reject) => {
    execFile('pgrep', ['-P', String(master)], (err, stdout) => {
      if (err && err.code !== 1) return reject(err);
      resolve(stdout.split('\n').map((s) => s.trim()).filter(Boolean).map(Number));
    });
  });
}

/** Resident set of a process in KiB (0 when it is gone). */
function rssKiB(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}

export function registerSoakTests(base) {
  test(`[soak] ${SECONDS} s of mixed load by ${CLIENTS} clients: no 5xx, every acknowledged write stored, worker memory flat`, async () => {
    const token = await adminToken();
    const pids = await workers('contacts');
    ok(pids.length > 0, 'no contacts workers');
    // warm-up so that the first figures are not the workers' start-up
    const warm = new Client(base);
    warm.headers.authorization = 'Bearer ' + token;
    for (let i = 0; i < 20; i++) await warm.get('/api/v1/contacts?limit=50');
    const rssStart = Object.fromEntries(pids.map((p) => [p, rssKiB(p)]));

    const deadline = Date.now() + SECONDS * 1000;
    const counts = { requests: 0, errors5xx: 0, other: 0 };
    const acked = [];
    const fails = [];
    let seq = 0;
    const client = async (n) => {
      const c = new Client(base);
      c.headers.authorization = 'Bearer ' + token;
      const mine = [];
      while (Date.now() < deadline) {
        seq += 1;
        const kind = seq % 10;
        let res;
        if (kind < 3) {
          res = await c.get('/api/v1/contacts?limit=50');
        } else if (kind < 5) {
          res = await c.get('/api/v1/contacts?limit=50&q=' + ['ros', 'mar', 'gio', 'smi', 'ada'][seq % 5]);
        } else if (kind < 7 && mine.length) {
          res = await c.get(`/api/v1/contacts/${mine[seq % mine.length].id}`);
        } else if (kind < 9 || !mine.length) {
          const last = `Soak${RUN}c${n}n${seq}`;
          res = await c.post('/api/v1/contacts', { json: { first_name: 'Ada', last_name: last, email: `${last.toLowerCase()}@example.com` } });
          if (res.status === 201) {
            const body = res.json();
            mine.push({ id: body.id, version: body.version, last });
            acked.push({ id: body.id, last });
          }
        } else {
          const target = mine[seq % mine.length];
          const city = `Soak${seq}`;
          res = await c.request('PATCH', `/api/v1/contacts/${target.id}`, { json: { version: target.version, job_title: city } });
          if (res.status === 200) target.version = res.json().version;
        }
        counts.requests += 1;
        if (res.status >= 500) {
          counts.errors5xx += 1;
          if (fails.length < 5) fails.push(`${res.method} ${res.url} → ${res.status}`);
        } else if (![200, 201].includes(res.status)) {
          counts.other += 1;
          if (fails.length < 5) fails.push(`${res.method} ${res.url} → ${res.status}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    await sleep(200);
    const rssEnd = Object.fromEntries(pids.map((p) => [p, rssKiB(p)]));
    const growth = pids.map((p) => rssEnd[p] - rssStart[p]);
    console.log(`  # soak: ${counts.requests} requests in ${SECONDS} s (${Math.round(counts.requests / SECONDS)}/s), `
      + `${acked.length} contacts created, worker RSS KiB start ${JSON.stringify(rssStart)} end ${JSON.stringify(rssEnd)}`);
    eq(counts.errors5xx, 0, `5xx answers: ${fails.join('; ')}`);
    eq(counts.other, 0, `answers other than 200/201: ${fails.join('; ')}`);
    // every acknowledged create is stored
    const stored = Number(sql(`SELECT COUNT(*) FROM contacts WHERE last_name LIKE 'Soak${RUN}c%'`));
    eq(stored, acked.length, 'contacts stored vs creates acknowledged');
    // the same workers, memory flat: a worker may grow a little as caches fill, not with the request count
    const now = await workers('contacts');
    ok(pids.every((p) => now.includes(p)), `a worker was replaced during the soak: before ${pids}, after ${now}`);
    // under AddressSanitizer the heap keeps freed memory in quarantine: RSS says nothing there
    if (process.env.CRM_SANITIZE !== '1') ok(growth.every((g) => g < 4096), `worker RSS grew by ${growth.join(', ')} KiB (start ${JSON.stringify(rssStart)}, end ${JSON.stringify(rssEnd)})`);
  }, { timeout: (SECONDS + 120) * 1000 });
}
