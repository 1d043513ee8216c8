import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { listLogFiles } from './log-files';
import { formatSimulation, simulate, type Simulation } from './simulate';
import type { SunsetView } from './sunset.service';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../../bin/toride.mjs', import.meta.url));

const sunset = (over: Partial<SunsetView>): SunsetView => ({
  id: 's1',
  service: 'projects-classic',
  at: '2027-03-31T00:00:00.000Z',
  status: 'scheduled',
  createdAt: '2026-11-25T00:00:00.000Z',
  createdBy: 'operator:x',
  cancelledAt: null,
  startedAt: null,
  completedAt: null,
  purgeCompletesBy: '2027-04-10T00:00:00.000Z',
  backupsExpireAt: '2027-05-10T00:00:00.000Z',
  orgsPurged: 0,
  rowsDeleted: 0,
  ...over,
});

describe('lifecycle simulate (issue 5 §5)', () => {
  const base = {
    now: new Date('2026-11-25T12:00:00Z'),
    orgs: [
      { id: 'o1', name: 'Initech' },
      { id: 'o2', name: 'Globex' },
    ],
    logFiles: [],
  };

  it('merges the engine timeline, sunsets and audit retention per org, in time order, inside the window only', async () => {
    const result = await simulate({
      ...base,
      from: new Date('2027-01-01T00:00:00Z'),
      to: new Date('2027-04-30T23:59:59Z'),
      sunsets: [sunset({}), sunset({ id: 's2', service: 'pass', status: 'cancelled' })],
      timelineOf: async (orgId) =>
        orgId === 'o1'
          ? [
              { at: '2027-01-10T00:00:00.000Z', event: 'trial_ends', done: false },
              { at: '2027-02-09T00:00:00.000Z', event: 'org_deleted', done: false },
              { at: '2027-08-08T00:00:00.000Z', event: 'purge_starts', done: false },
            ]
          : [],
    });
    const o1 = result.orgs.find((o) => o.id === 'o1')!;
    expect(o1.events.map((e) => [e.at, e.kind])).toEqual([
      ['2027-01-01T03:15:00.000Z', 'audit_purge'],
      ['2027-01-10T00:00:00.000Z', 'trial_ends'],
      ['2027-02-09T00:00:00.000Z', 'org_deleted'],
      ['2027-03-31T00:00:00.000Z', 'sunset_purge_starts'],
      ['2027-04-10T00:00:00.000Z', 'sunset_purge_completes_by'],
    ]);
    expect(o1.events[1]!.text).toBe('trial ends');
    expect(o1.events[0]!.details).toMatchObject({ runs: 120, retentionDays: 400 });
    const o2 = result.orgs.find((o) => o.id === 'o2')!;
    expect(o2.events.map((e) => e.kind)).toEqual(['audit_purge', 'sunset_purge_starts', 'sunset_purge_completes_by']);
    // The cancelled pass sunset appears nowhere.
    expect(JSON.stringify(result)).not.toContain('"pass"');
    const text = formatSimulation(result);
    expect(text).toContain('Organization Initech (o1)');
    expect(text).toContain('2027-02-09T00:00:00.000Z  organization deleted');
    expect(text).toContain('(nothing is changed)');
  });

  it('includes the window edges to the second and nothing outside', async () => {
    const at = '2027-03-31T00:00:00.000Z';
    const edge = await simulate({ ...base, from: new Date(at), to: new Date(at), sunsets: [sunset({})] });
    expect(edge.deployment.map((e) => e.kind)).toEqual(['sunset_purge_starts']);
    const before = await simulate({ ...base, from: new Date('2027-03-30T00:00:00Z'), to: new Date(Date.parse(at) - 1000), sunsets: [sunset({})] });
    expect(before.deployment).toEqual([]);
    await expect(simulate({ ...base, from: new Date(at), to: new Date('2027-01-01'), sunsets: [] })).rejects.toThrow('--to');
  });

  it('lists existing log files on their day 545 and projects files not yet written', async () => {
    const dir = path.join(process.env.TMPDIR ?? '/tmp', `toride-sim-${process.pid}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    for (const name of ['access-2025-06-01.log', 'app-2025-06-02.log', 'app-2026-11-25.log', 'README.txt']) writeFileSync(path.join(dir, name), '');
    const result = await simulate({ ...base, from: new Date('2026-11-28T00:00:00Z'), to: new Date('2028-06-01T00:00:00Z'), sunsets: [], logFiles: listLogFiles(dir), logDir: dir });
    expect(result.deployment.map((e) => [e.at, e.kind, e.details?.file ?? e.details?.firstDay])).toEqual([
      ['2026-11-28T00:00:00.000Z', 'log_file_deleted', 'access-2025-06-01.log'],
      ['2026-11-29T00:00:00.000Z', 'log_file_deleted', 'app-2025-06-02.log'],
      ['2028-05-23T00:00:00.000Z', 'log_file_deleted', 'app-2026-11-25.log'],
      ['2028-05-24T00:00:00.000Z', 'log_files_deleted_daily', '2026-11-26'],
    ]);
    expect(result.deployment.at(-1)!.details).toMatchObject({ lastDay: '2026-12-04' });
  });
});

describe('toride lifecycle sunset / simulate (CLI)', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await signUpUser(t, { orgName: 'Cli Simulated Org' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('schedules a sunset and prints the simulation without changing anything', async () => {
    const env = {
      ...process.env,
      TORIDE_DATA_DIR: t.config.dataDir,
      TORIDE_SECRET_KEY: t.config.secretKey!,
      ...(t.config.databaseUrl ? { TORIDE_DATABASE_URL: t.config.databaseUrl, TORIDE_PG_SCHEMA_PREFIX: t.config.pgSchemaPrefix } : {}),
    };
    const scheduled = await run(process.execPath, [BIN, 'lifecycle', 'sunset', 'projects-classic', '--at', '2031-01-31', '--json'], { env, cwd: t.config.dataDir });
    expect(JSON.parse(scheduled.stdout)).toMatchObject({ service: 'projects-classic', at: '2031-01-31T00:00:00.000Z', status: 'scheduled' });
    const bad = await run(process.execPath, [BIN, 'lifecycle', 'sunset', 'projects-classic', '--at', 'tomorrow'], { env, cwd: t.config.dataDir }).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 2 });
    // The one list of service names: the old `projects` is unknown.
    const unknown = await run(process.execPath, [BIN, 'lifecycle', 'sunset', 'projects', '--at', '2031-01-31'], { env, cwd: t.config.dataDir }).catch((error: { code: number; stderr: string }) => error);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('workspace, pass, projects-classic') });

    const before = (await t.sunsets.list()).length;
    const simulated = await run(process.execPath, [BIN, 'lifecycle', 'simulate', '--from', '2031-01-01', '--to', '2031-02-28', '--json'], { env, cwd: t.config.dataDir });
    const result = JSON.parse(simulated.stdout) as Simulation;
    const org = result.orgs.find((o) => o.name === 'Cli Simulated Org');
    expect(org?.events.map((e) => e.kind)).toEqual(['audit_purge', 'sunset_purge_starts', 'sunset_purge_completes_by']);
    expect((await t.sunsets.list()).length).toBe(before);
    expect((await t.sunsets.list())[0]!.status).toBe('scheduled');
  }, 150_000);
});
