// Faults under load: while several clients keep creating contacts, a worker is SIGKILLed or the
// database is stopped and started again. Requests may fail meanwhile (clearly: 502/503), but every
// write acknowledged with 2xx is there afterwards, and writes succeed again without restarting anything.
import { readFileSync, readdirSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import {
  Client, test, ok, eq, env, stack, sleep, expectJson, expectRedirect, expectStatus, login, crmctl,
} from '../lib/harness.mjs';
import { adminToken, dedicatedUser, PASSWORD, RUN } from './fixtures.mjs';
import { sql } from './mail.mjs';
import { portalUser, upload, mailsTo } from './portal.mjs';

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

// ---------------------------------------------------------------------------------------------------------------
// Disk full for uploads, SMTP down under load.

/** Runs a command; resolves {code, stderr}. */
function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, (err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, stderr: String(stderr || err?.message || '') }));
  });
}

function uploadsDir() {
  return /^app\.uploads\s*=\s*(.*)$/m.exec(readFileSync(env('CRM_CONFIG'), 'utf8'))[1].trim();
}

export function registerDiskFaultTests(base, portal) {
  test('[faults] uploads directory full (1 MB tmpfs): 507 with a clear message, no documents row, no file or temp file left; a file that fits is stored', async () => {
    const dir = uploadsDir();
    // a tmpfs over the uploads directory while this test runs (the files already there are hidden, not touched)
    const m = await run('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'crm-test-full', dir]);
    if (m.code !== 0) {
      console.log(`# skip: cannot mount a tmpfs over ${dir} (${m.stderr.trim() || `exit ${m.code}`}); run the tests as root to prove the disk-full case`);
      return;
    }
    try {
      const p = await portalUser(base, portal);
      const before = Number(sql(`SELECT COUNT(*) FROM documents`));
      // what fits is stored, so a refusal below is the full disk and not a broken upload path
      const fits = Buffer.alloc(300 * 1024, 0x61);
      expectRedirect(await upload(p, '/documents', '/documents', 'fits.txt', fits), '/documents');
      eq(Number(sql('SELECT COUNT(*) FROM documents')), before + 1, 'documents rows after the upload that fits');
      const stored = readdirSync(dir);
      eq(stored.length, 1, `files in the tmpfs after the upload that fits (${stored})`);
      // the portal and the staff upload of a file larger than the space left
      const big = Buffer.alloc(900 * 1024, 0x62);
      const s = await login(base, await dedicatedUser('fdisk'), PASSWORD);
      for (const [who, res] of [
        ['portal', await upload(p, '/documents', '/documents', 'big.txt', big)],
        ['staff', await upload(s, `/contacts/${p.contact.id}`, '/contacts/documents', 'big.txt', big, { contact_id: p.contact.id })],
      ]) {
        eq(res.status, 507, `${who} upload on a full disk: status`, res);
        ok(/not enough disk space/i.test(res.text), `${who}: the page says the disk is full`, res);
        ok(!/ENOSPC|No space left|\/uploads|\.tmp-/i.test(res.text), `${who}: no internals in the answer`, res);
      }
      eq(Number(sql('SELECT COUNT(*) FROM documents')), before + 1, 'documents rows after the refused uploads');
      eq(readdirSync(dir).join(','), stored.join(','), 'files in the tmpfs after the refused uploads (no temp file, no partial file)');
      // and the portal still answers, the worker lives on
      expectStatus(await p.get('/documents'), 200);
    } finally {
      const u = await run('umount', [dir]);
      ok(u.code === 0, `umount ${dir}: ${u.stderr}`);
    }
  }, { timeout: 120000 });

  test('[faults] SMTP down under load: 40 access mails made by 8 concurrent clients wait queued, every request succeeds; back up, each goes out exactly once', async () => {
    const token = await adminToken();
    const addrs = [];
    await stack('smtp-stop');
    try {
      let n = 0;
      const loop = async (w) => {
        const c = new Client(base);
        c.headers.authorization = 'Bearer ' + token;
        for (let i = 0; i < 5; i++) {
          n += 1;
          const email = `smtpload-${RUN}-${w}-${i}@example.test`.toLowerCase();
          const res = await c.post('/api/v1/contacts', { json: { first_name: 'Sam', last_name: `SmtpLoad${RUN}w${w}n${i}`, email, portal_user: true } });
          eq(res.status, 201, `POST /api/v1/contacts with portal_user while SMTP is down (${email})`, res);
          addrs.push(email);
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => loop(w)));
      eq(addrs.length, 40, 'contacts created');
      const list = addrs.map((a) => `'${a}'`).join(',');
      // a worker may still be trying the dead server after its last answer ('sending' for that moment)
      for (let i = 0; i < 100 && sql(`SELECT COUNT(*) FROM outbox WHERE to_addr IN (${list}) AND status = 'sending'`) !== '0'; i++) {
        await sleep(200);
      }
      const states = sql(`SELECT status, COUNT(*) FROM outbox WHERE to_addr IN (${list}) GROUP BY status`);
      eq(states, 'queued\t40', 'outbox rows while SMTP is down (status and count)');
      eq(mailsTo(addrs[0]).length, 0, 'nothing delivered');
    } finally {
      await stack('smtp-start');
    }
    const list = addrs.map((a) => `'${a}'`).join(',');
    // the backoff has elapsed; the outbox timer (crmctl outbox flush) runs, twice at the same time
    sql(`UPDATE outbox SET next_attempt_at = NOW() WHERE to_addr IN (${list}) AND status = 'queued'`);
    await Promise.all([crmctl(['outbox', 'flush']), crmctl(['outbox', 'flush'])]);
    for (let i = 0; i < 50 && sql(`SELECT COUNT(*) FROM outbox WHERE to_addr IN (${list}) AND status <> 'sent'`) !== '0'; i++) {
      await crmctl(['outbox', 'flush']);
      await sleep(100);
    }
    eq(sql(`SELECT status, COUNT(*) FROM outbox WHERE to_addr IN (${list}) GROUP BY status`), 'sent\t40', 'outbox rows after SMTP is back');
    await sleep(300);
    const counts = addrs.map((a) => mailsTo(a, /access/i).length);
    eq(counts.filter((x) => x !== 1).length, 0, `mails per address (each exactly one): ${JSON.stringify(counts)}`);
  }, { timeout: 180000 });
}
