import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock, DAY, SECOND } from '../../kernel/clock';
import { signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { listLogFiles } from './log-files';
import { simulateDeployment, type Simulation } from './simulate';

/**
 * Two years on the simulated clock (issue 5 §6), for the deployment-wide rows of W4: access/app log
 * files (W4.7) and a service sunset (W4.8). What `simulate` predicts on day 0 is what the jobs do,
 * at the predicted second: nothing a second early, everything at the time.
 */
const START = '2026-11-25T09:00:00.000Z';
const SUNSET_AT = '2027-06-01T00:00:00.000Z';

let t: TestApp;
let logDir: string;
let admin: TestUser;
let prediction: Simulation;

beforeAll(async () => {
  logDir = mkdtempSync(path.join(tmpdir(), 'toride-scenario-logs-'));
  t = await buildTestApp({ clock: createTestClock(START), config: { logDir, backupRetentionDays: 35 } });
  admin = await signUpUser(t, { orgName: 'Two Year Co' });
});
afterAll(async () => {
  await t.close();
  rmSync(logDir, { recursive: true, force: true });
});

const at = (iso: string, offsetMs = 0) => t.clock.set(new Date(Date.parse(iso) + offsetMs));
const predicted = (kind: string, match: (details: Record<string, unknown> | undefined) => boolean = () => true) =>
  prediction.deployment.filter((e) => e.kind === kind && match(e.details)).map((e) => e.at);

describe('two-year visibility scenario: log files and a sunset (W4.7, W4.8)', () => {
  it('day 0: traffic writes the day files; a sunset of pass is scheduled; simulate predicts the dates', async () => {
    expect((await admin.client.get('/api/v1/me')).status).toBe(200);
    expect(listLogFiles(logDir).map((f) => f.name)).toEqual(['access-2026-11-25.log']);
    const sunset = await t.sunsets.schedule({ service: 'pass', at: new Date(SUNSET_AT), actor: { type: 'system', name: 'scenario' } });
    expect(sunset).toMatchObject({ purgeCompletesBy: '2027-06-11T00:00:00.000Z', backupsExpireAt: '2027-07-16T00:00:00.000Z' });

    prediction = await simulateDeployment(
      { now: t.clock.now(), logDir, listOrganizations: () => t.identity.listOrganizationsMetadata(), listSunsets: () => t.sunsets.list() },
      { from: t.clock.now(), to: new Date(Date.parse(START) + 730 * DAY) },
    );
    expect(predicted('log_file_deleted', (d) => d?.file === 'access-2026-11-25.log')).toEqual(['2028-05-23T00:00:00.000Z']);
    expect(predicted('sunset_purge_starts')).toEqual([SUNSET_AT]);
    const org = prediction.orgs.find((o) => o.id === admin.orgId);
    expect(org?.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['sunset_purge_starts', 'sunset_purge_completes_by', 'sunset_backups_expire', 'audit_purge']));
  });

  it('a day later the next request opens the next day file; the first stays', async () => {
    at('2026-11-26T00:00:00.000Z');
    expect((await admin.client.get('/api/v1/me')).status).toBe(200);
    expect(listLogFiles(logDir).map((f) => f.name)).toEqual(['access-2026-11-25.log', 'access-2026-11-26.log']);
  });

  it('the sunset starts at its second, not before, and each org gets an audit event', async () => {
    at(SUNSET_AT, -SECOND);
    await t.jobs.tick();
    expect((await t.sunsets.list())[0]).toMatchObject({ status: 'scheduled' });
    at(SUNSET_AT);
    await t.jobs.tick();
    const done = (await t.sunsets.list())[0]!;
    expect(done).toMatchObject({ status: 'completed', startedAt: SUNSET_AT, completedAt: SUNSET_AT });
    expect(done.backupsExpireAt).toBe(new Date(Date.parse(SUNSET_AT) + 35 * DAY).toISOString());
    expect(Date.parse(done.purgeCompletesBy)).toBeLessThanOrEqual(Date.parse(SUNSET_AT) + 10 * DAY);
    // The pass sunset took the org's audit log with it: the record is in the platform chain.
    const orgEvents = (await t.kernel.audit.list({ orgId: null, action: 'lifecycle.sunset.org_purged' })).filter((e) => e.details?.orgId === admin.orgId);
    expect(orgEvents).toHaveLength(1);
    expect(orgEvents[0]!.at).toBe(SUNSET_AT);
  });

  it('log files go on their day 545 at 00:00 UTC as predicted, not a second before', async () => {
    const [due] = predicted('log_file_deleted', (d) => d?.file === 'access-2026-11-25.log');
    at(due!, -SECOND);
    await t.jobs.tick();
    expect(existsSync(path.join(logDir, 'access-2026-11-25.log'))).toBe(true);
    at(due!);
    await t.jobs.tick();
    expect(existsSync(path.join(logDir, 'access-2026-11-25.log'))).toBe(false);
    expect(existsSync(path.join(logDir, 'access-2026-11-26.log'))).toBe(true);
    at(due!, DAY);
    await t.jobs.tick();
    expect(existsSync(path.join(logDir, 'access-2026-11-26.log'))).toBe(false);
  });

  it('two years in: only recent files remain, and every deletion was audited at its time', async () => {
    at('2028-11-24T12:00:00.000Z');
    expect((await admin.client.get('/api/v1/me')).status).toBeLessThan(500);
    await t.jobs.tick();
    const names = listLogFiles(logDir).map((f) => f.name);
    expect(names).toContain('access-2028-11-24.log');
    expect(names.filter((n) => n.startsWith('access-2026'))).toEqual([]);
    const deletions = await t.kernel.audit.list({ action: 'lifecycle.log_file.deleted', limit: 50 });
    expect(deletions.map((d) => [d.target?.id, d.at]).sort()).toEqual([
      ['access-2026-11-25.log', '2028-05-23T00:00:00.000Z'],
      ['access-2026-11-26.log', '2028-05-24T00:00:00.000Z'],
    ]);
  });
});
