import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock, DAY, SECOND } from '../../kernel/clock';
import { accessPath, createLogger, DailyFileStream, LogFiles } from '../../kernel/logger';
import { buildTestApp, type TestApp } from '../../test/harness';
import { deleteExpiredLogFiles, listLogFiles, LOG_FILE_RETENTION_DAYS, logFileDeletionDate } from './log-files';

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'toride-logs-'));

describe('daily log files (W4.7)', () => {
  it('rotates at the UTC day boundary on the injectable clock without losing a line', () => {
    const dir = tempDir();
    const clock = createTestClock('2026-11-25T23:59:59.000Z');
    const stream = new DailyFileStream(dir, 'app', clock);
    for (let i = 0; i < 500; i += 1) {
      stream.write(`${JSON.stringify({ i })}\n`);
      // 500 lines over 2 s: the first 250 before midnight, the rest after.
      clock.advance(4);
    }
    stream.close();
    expect(readdirSync(dir).sort()).toEqual(['app-2026-11-25.log', 'app-2026-11-26.log']);
    const before = lines(path.join(dir, 'app-2026-11-25.log')).map((l) => l.i);
    const after = lines(path.join(dir, 'app-2026-11-26.log')).map((l) => l.i);
    expect(before).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(after).toEqual(Array.from({ length: 250 }, (_, i) => i + 250));
    rmSync(dir, { recursive: true });
  });

  it('keeps appending to the day file after a restart', () => {
    const dir = tempDir();
    const clock = createTestClock('2026-11-25T10:00:00.000Z');
    const first = new DailyFileStream(dir, 'access', clock);
    first.write('{"n":1}\n');
    first.close();
    const second = new DailyFileStream(dir, 'access', clock);
    second.write('{"n":2}\n');
    second.close();
    expect(lines(path.join(dir, 'access-2026-11-25.log')).map((l) => l.n)).toEqual([1, 2]);
    rmSync(dir, { recursive: true });
  });

  it('application logs go to stdout and to the app file, timestamped by the clock', () => {
    const dir = tempDir();
    const clock = createTestClock('2026-11-25T12:00:00.000Z');
    const files = new LogFiles(dir, clock);
    const logger = createLogger({ logLevel: 'info' }, 2, files, clock);
    logger.info({ body: { password: 'hunter2' } }, 'hello');
    logger.debug('below the level');
    files.close();
    const [line] = lines(path.join(dir, 'app-2026-11-25.log'));
    expect(line).toMatchObject({ msg: 'hello', time: '2026-11-25T12:00:00.000Z', body: { password: '[redacted]' } });
    expect(lines(path.join(dir, 'app-2026-11-25.log'))).toHaveLength(1);
    rmSync(dir, { recursive: true });
  });

  it('redacts secret-looking query parameters in access paths', () => {
    expect(accessPath('/api/v1/x')).toBe('/api/v1/x');
    expect(accessPath('/api/v2/issues?apiKey=abc&count=20')).toBe('/api/v2/issues?apiKey=[redacted]&count=20');
    expect(accessPath('/sso/callback?code=1&state=2&iss=x')).toBe('/sso/callback?code=[redacted]&state=[redacted]&iss=x');
    expect(accessPath('/reset?token=t0k3n')).toBe('/reset?token=[redacted]');
    expect(accessPath('/a?')).toBe('/a');
  });
});

describe('access log of a running app (W4.7)', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    t = await buildTestApp({ clock: createTestClock('2026-11-25T23:59:59.500Z'), config: { logDir: dir } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one line per request to the day file, then to the next day file after midnight', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/healthz?token=secret-value' });
    t.clock.set('2026-11-26T00:00:00.000Z');
    const second = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    const day1 = lines(path.join(dir, 'access-2026-11-25.log'));
    const day2 = lines(path.join(dir, 'access-2026-11-26.log'));
    expect(day1).toHaveLength(1);
    expect(day1[0]).toMatchObject({ method: 'GET', path: '/healthz?token=[redacted]', status: 200, requestId: first.headers['x-request-id'], ip: '127.0.0.1', time: '2026-11-25T23:59:59.500Z' });
    expect(typeof day1[0]!.ms).toBe('number');
    expect(JSON.stringify(day1)).not.toContain('secret-value');
    expect(day2).toHaveLength(1);
    expect(day2[0]).toMatchObject({ path: '/api/v1/nothing-here', status: 404, requestId: second.headers['x-request-id'] });
  });

  it('the daily job deletes files on day 545 exactly, audits each deletion, and leaves other files alone', async () => {
    const today = '2028-05-20'; // the access files of the previous test (2026-11-25/26) are 542 days old and stay
    const dayOffset = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * DAY).toISOString().slice(0, 10);
    const kept = [`access-${dayOffset(544)}.log`, `app-${dayOffset(544)}.log`, `app-${dayOffset(0)}.log`];
    const due = [`access-${dayOffset(545)}.log`, `app-${dayOffset(546)}.log`, `access-${dayOffset(900)}.log`];
    const unrelated = ['notes.txt', 'app-latest.log', 'access-2026-13-45.log', `access-${dayOffset(900)}.log.gz`];
    for (const name of [...kept, ...due, ...unrelated]) writeFileSync(path.join(dir, name), '{}\n');
    expect(logFileDeletionDate(dayOffset(545)).toISOString()).toBe(`${today}T00:00:00.000Z`);
    expect(listLogFiles(dir).map((f) => f.name)).not.toContain('access-2026-13-45.log');

    // One second before day 545 begins, the 545-day-old file is still 544 days old: nothing goes.
    t.clock.set(`${today}T00:00:00.000Z`);
    t.clock.advance(-SECOND);
    const early = await deleteExpiredLogFiles(dir, t.clock.now(), t.kernel.audit);
    expect(early.sort()).toEqual([`access-${dayOffset(900)}.log`, `app-${dayOffset(546)}.log`].sort());

    // At 00:00 UTC the daily job runs and takes the 545-day-old file.
    t.clock.advance(SECOND);
    expect(await t.jobs.tick()).toBeGreaterThan(0);
    for (const name of due) expect(existsSync(path.join(dir, name)), name).toBe(false);
    for (const name of [...kept, ...unrelated]) expect(existsSync(path.join(dir, name)), name).toBe(true);

    const audited = await t.kernel.audit.list({ action: 'lifecycle.log_file.deleted', limit: 10 });
    expect(audited.map((a) => a.target?.id).sort()).toEqual([...due].sort());
    const last = audited.find((a) => a.target?.id === `access-${dayOffset(545)}.log`);
    expect(last).toMatchObject({ at: `${today}T00:00:00.000Z`, outcome: 'success', actor: { type: 'system' } });
    expect(last?.details).toMatchObject({ retentionDays: LOG_FILE_RETENTION_DAYS, day: dayOffset(545) });
  });
});
