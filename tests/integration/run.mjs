// Integration tests: the CRM as a user or an attacker sees it over HTTP, through nginx and through Apache.
// Run by tests/run.sh with CRM_* variables set (see tests/lib/harness.mjs and the README of tests/).
import { test, run, ok } from '../lib/harness.mjs';
import { setupUsers } from './fixtures.mjs';
import { registerWebTests } from './web.mjs';
import { dbRestartCheck } from './resilience.mjs';
import { registerMailTests } from './mail.mjs';
import { registerSessionTests } from './sessions.mjs';
import { registerExportTests } from './export.mjs';
import { registerContactTests } from './contacts.mjs';
import { registerContactActionTests } from './contacts_actions.mjs';
import { registerConnectionTests } from './connections.mjs';
import { registerRouteTests } from './routes.mjs';
import { registerInjectionTests } from './injection.mjs';
import { registerSettingsTests } from './settings.mjs';
import { registerFieldTests } from './fields.mjs';
import { registerFaultTests, registerDiskFaultTests } from './faults.mjs';
import { registerSoakTests } from './soak.mjs';
import { registerPortalTests } from './portal.mjs';
import { registerDataTests } from './data.mjs';
import { registerMergeTests } from './merge.mjs';
import { registerImportTests } from './imports.mjs';
import { registerAttackTests } from './attacks.mjs';

const servers = [
  { name: 'nginx', staff: process.env.CRM_STAFF_URL, portal: process.env.CRM_PORTAL_URL },
  { name: 'apache', staff: process.env.CRM_APACHE_STAFF_URL, portal: process.env.CRM_APACHE_PORTAL_URL },
];

const missing = ['CRM_ROOT', 'CRM_STATE', 'CRM_CONFIG', 'CRM_STACK', 'CRM_ADMIN_LOGIN', 'CRM_ADMIN_PASSWORD',
  'CRM_STAFF_URL', 'CRM_PORTAL_URL', 'CRM_APACHE_STAFF_URL', 'CRM_APACHE_PORTAL_URL'].filter((v) => !process.env[v]);

test('environment: every CRM_* variable the tests need is set', () => {
  ok(missing.length === 0, `not set: ${missing.join(', ')}`);
});

test('setup: crmctl creates the test users', async () => {
  await setupUsers();
});

for (const s of servers) {
  if (s.staff && s.portal) registerWebTests({ ...s, staff: s.staff.replace(/\/+$/, ''), portal: s.portal.replace(/\/+$/, '') });
}

registerMailTests();
if (servers[0].staff) registerExportTests(servers[0].staff.replace(/\/+$/, ''));
if (servers[0].staff) registerSessionTests(servers[0].staff.replace(/\/+$/, ''));
for (const s of servers) if (s.staff) registerContactTests(s.name, s.staff.replace(/\/+$/, ''));
if (servers[0].staff) registerContactActionTests(servers[0].staff.replace(/\/+$/, ''));
for (const s of servers) if (s.staff) registerConnectionTests(s.name, s.staff.replace(/\/+$/, ''));
if (servers[0].staff) registerSettingsTests(servers[0].name, servers[0].staff.replace(/\/+$/, ''));
if (servers[0].staff && servers[0].portal) registerRouteTests(servers[0].name, servers[0].staff.replace(/\/+$/, ''), servers[0].portal.replace(/\/+$/, ''));
if (servers[0].staff) registerInjectionTests(servers[0].name, servers[0].staff.replace(/\/+$/, ''));
if (servers[0].staff) registerFieldTests(servers[0].staff.replace(/\/+$/, ''));
if (servers[0].staff) registerDataTests(servers[0].staff.replace(/\/+$/, ''));
if (servers[0].staff) registerMergeTests(servers[0].staff.replace(/\/+$/, ''));
if (servers[0].staff) registerImportTests(servers[0].staff.replace(/\/+$/, ''));

if (servers[0].staff && servers[0].portal) registerPortalTests(servers[0].staff.replace(/\/+$/, ''), servers[0].portal.replace(/\/+$/, ''));
if (servers[0].staff && servers[0].portal) {
  const strip = (u) => (u ? u.replace(/\/+$/, '') : u);
  registerAttackTests(strip(servers[0].staff), strip(servers[0].portal), strip(servers[1].staff), strip(servers[1].portal));
}

// faults last but one: they stop the database and kill workers under load
if (servers[0].staff) registerSoakTests(servers[0].staff.replace(/\/+$/, ''));
if (servers[0].staff) registerFaultTests(servers[0].staff.replace(/\/+$/, ''));
if (servers[0].staff && servers[0].portal) registerDiskFaultTests(servers[0].staff.replace(/\/+$/, ''), servers[0].portal.replace(/\/+$/, ''));

const nginx = servers[0];
if (nginx.staff) {
  test('[nginx] database stopped: 503 HTML and 503 JSON unavailable; started again: 200 without restarting anything', async () => {
    await dbRestartCheck(nginx.staff.replace(/\/+$/, ''), servers.slice(1).map((s) => s.staff).filter(Boolean));
  }, { timeout: 120000 });
}

await run();
