// Mail tests: the outbox delivers through a real SMTP sink, and an unreachable SMTP server loses nothing.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, ok, eq, crmctl, env, sleep } from '../lib/harness.mjs';

export function sql(query) {
  return execFileSync('mariadb', ['--no-defaults', '-S', env('CRM_DB_SOCKET'), '-uroot', 'crm', '-N', '-B', '-e', query],
    { encoding: 'utf8' }).trim();
}

function mailFiles() {
  const dir = path.join(env('CRM_MAIL_DIR'), 'new');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}

export function registerMailTests() {
  test('outbox: a queued mail is delivered over SMTP to the sink by crmctl outbox flush', async () => {
    const to = `mailtest-${Date.now()}@example.com`;
    await crmctl(['mail', 'test', to]);
    const out = await crmctl(['outbox', 'flush']);
    ok(/[1-9]\d* mail\(s\) delivered/.test(out), `flush output: ${out}`);
    let found;
    for (let i = 0; i < 20 && !found; i++) {
      found = mailFiles().find((m) => m.includes(to));
      if (!found) await sleep(100);
    }
    ok(found, `no message for ${to} in ${env('CRM_MAIL_DIR')}/new`);
    ok(/^Subject: CRM test mail$/m.test(found), 'subject header missing');
    eq(sql(`SELECT status FROM outbox WHERE to_addr = '${to}'`), 'sent', 'outbox status');
  });

  test('outbox: with SMTP unreachable the mail stays queued with the error and a later retry time', async () => {
    const to = `smtpdown-${Date.now()}@example.com`;
    const conf = fs.readFileSync(env('CRM_CONFIG'), 'utf8').replace(/^mail\.smtp_url\s*=.*$/m, 'mail.smtp_url = smtp://127.0.0.1:9');
    const downConf = path.join(env('CRM_STATE'), 'crm-smtp-down.conf');
    fs.writeFileSync(downConf, conf, { mode: 0o600 });
    const bin = path.join(env('CRM_ROOT'), 'build', 'crmctl');
    execFileSync(bin, ['--config', downConf, 'mail', 'test', to]);
    const out = execFileSync(bin, ['--config', downConf, 'outbox', 'flush'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    ok(/0 mail\(s\) delivered/.test(out), `flush output: ${out}`);
    const row = sql(`SELECT status, attempts, last_error <> '', next_attempt_at > NOW() FROM outbox WHERE to_addr = '${to}'`);
    eq(row, 'queued\t1\t1\t1', 'outbox row after a failed delivery (status, attempts, error kept, retry later)');
    ok(!mailFiles().some((m) => m.includes(to)), 'mail must not reach the sink through a dead server');
  });
}

