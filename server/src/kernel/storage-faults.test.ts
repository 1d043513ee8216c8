import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog } from '../test/backlog-client';
import { PASSWORD, signUpUser, type TestUser } from '../test/factories';
import { TestClient } from '../test/client';
import { buildTestApp, testDialect, type TestApp } from '../test/harness';
import { capturedLogger, createScratchDatabase, eventually, type ScratchDatabase } from '../test/scratch-database';
import { classifyStorageError, storageFaultOf, tagStoreError } from './storage-faults';

/**
 * Issue 12 §3: a full, read-only or busy store answers 503 with Retry-After and a stable code on
 * every surface, the log names the store and the real cause once per episode (never "cannot
 * rollback"), /readyz fails while the store cannot write, and all of it ends by itself.
 * Real engines: SQLite's own SQLITE_FULL (max_page_count), SQLITE_READONLY (query_only) and
 * SQLITE_BUSY (a second connection holding the write lock); PostgreSQL set read-only like a standby.
 */
const log = capturedLogger();
let t: TestApp;
let scratch: ScratchDatabase | null = null;
let admin: TestUser;
let apiKey: string;

beforeAll(async () => {
  if (testDialect === 'postgres') scratch = await createScratchDatabase();
  t = await buildTestApp({ logger: log.logger, ...(scratch ? { config: { databaseUrl: scratch.url } } : {}) });
  admin = await signUpUser(t);
  apiKey = await apiKeyOf(admin);
});
afterAll(async () => {
  await t.close();
  await scratch?.drop();
});

const storeOf = (module: string) => t.kernel.stores.list().find((s) => s.module === module)!;
const errorLines = (code: RegExp) => log.lines.filter((l) => l.level === 50 && code.test(String(l.code)));
const createKey = () => admin.client.post('/api/v1/me/api-keys', { name: 'k', orgId: admin.orgId });

describe('classification', () => {
  it('maps driver codes to stable 503 codes and leaves other errors alone', () => {
    const fault = storageFaultOf(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    expect(fault).toMatchObject({ status: 503, code: 'storage.full', headers: { 'retry-after': '60' } });
    expect(storageFaultOf(Object.assign(new Error('x'), { code: 'SQLITE_READONLY_DBMOVED' }))?.code).toBe('storage.read_only');
    expect(storageFaultOf(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))?.code).toBe('storage.busy');
    expect(storageFaultOf(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeUndefined();
    // A webhook's refused connection is not a storage fault; the same error from a store is.
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyStorageError(refused)).toBeUndefined();
    tagStoreError(refused, { module: 'identity', region: 'us-west', location: 'schema identity_us_west' });
    expect(classifyStorageError(refused)?.kind).toBe('unavailable');
    expect(storageFaultOf(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ENOSPC' }) }))?.code).toBe('storage.full');
  });
});

describe.runIf(testDialect === 'sqlite')('SQLite: full, read-only and busy stores (issue 12 §3)', () => {
  it('a full store answers 503 storage.full on the Backlog surface, logs SQLITE_FULL once, fails readiness and recovers', async () => {
    const project = await backlog(t, apiKey, 'POST', '/projects', { name: 'Full', key: 'FULL' });
    expect(project.status).toBe(201);
    const types = await backlog(t, apiKey, 'GET', `/projects/${project.body.id}/issueTypes`);
    const store = storeOf('projects');
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(store.db);

    const issue = { projectId: project.body.id, summary: 'Big', issueTypeId: types.body[0].id, priorityId: 3, description: 'x'.repeat(60_000) };
    for (let i = 0; i < 3; i += 1) {
      const answer = await backlog(t, apiKey, 'POST', '/issues', issue);
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('60');
      expect(answer.body.errors[0]).toMatchObject({ code: 1 });
    }
    const full = errorLines(/^SQLITE_FULL/);
    expect(full).toHaveLength(1);
    expect(full[0]).toMatchObject({ store: `projects@${store.region}`, location: store.location, fault: 'full' });
    expect(log.raw.join('\n')).not.toMatch(/cannot rollback/);

    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', faults: [{ store: `projects@${store.region}`, fault: 'full' }] });
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // Reads go on while the store cannot grow.
    expect((await backlog(t, apiKey, 'GET', `/projects/${project.body.id}`)).status).toBe(200);

    await sql`pragma max_page_count = 1073741823`.execute(store.db);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    expect(log.lines.filter((l) => /^store projects@.* recovered/.test(String(l.msg)))).toHaveLength(1);
    expect((await backlog(t, apiKey, 'POST', '/issues', issue)).status).toBe(201);
  });

  it('a read-only store answers 503 storage.read_only on /api/v1 and readiness fails until it writes again', async () => {
    const identity = storeOf('identity');
    await sql`pragma query_only = 1`.execute(identity.db);
    try {
      const answer = await createKey();
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('60');
      expect(answer.body.error).toMatchObject({ code: 'storage.read_only', details: { retryAfterSeconds: 60 } });
      expect(JSON.stringify(answer.body)).not.toMatch(/SQLITE|readonly database/);
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      expect(errorLines(/^SQLITE_READONLY/)).toHaveLength(1);
    } finally {
      await sql`pragma query_only = 0`.execute(identity.db);
    }
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await createKey()).status).toBe(201);
  });

  it('a store locked by another process answers 503 storage.busy with a short Retry-After; readiness stays up', async () => {
    const identity = storeOf('identity');
    await sql`pragma busy_timeout = 50`.execute(identity.db);
    const other = new SqliteDatabase(identity.location);
    other.exec('BEGIN IMMEDIATE');
    try {
      const answer = await createKey();
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('storage.busy');
      expect(answer.headers['retry-after']).toBe('2');
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await sql`pragma busy_timeout = 5000`.execute(identity.db);
    }
    expect((await createKey()).status).toBe(201);
  });
});

describe.runIf(testDialect === 'sqlite')('SQLite: a store opened on first use that cannot be opened', () => {
  it('answers 503 storage.unavailable, logs SQLITE_CANTOPEN with the store and path once, and opens once it can', async () => {
    const ja = await signUpUser(t, { locale: 'ja' });
    const key = await apiKeyOf(ja);
    // A folder where the projects database of the ja region should be created.
    const blocked = path.join(t.config.dataDir, t.config.regionProjectsJa, 'projects.db');
    mkdirSync(blocked, { recursive: true });
    try {
      for (let i = 0; i < 2; i += 1) {
        const answer = await backlog(t, key, 'GET', '/projects');
        expect(answer.status).toBe(503);
        expect(answer.headers['retry-after']).toBe('5');
      }
      const lines = errorLines(/^SQLITE_CANTOPEN/).filter((l) => l.store === `projects@${t.config.regionProjectsJa}`);
      expect(lines).toHaveLength(1);
      expect(String(lines[0]!.msg)).toContain(blocked);
    } finally {
      rmSync(blocked, { recursive: true, force: true });
    }
    expect((await backlog(t, key, 'GET', '/projects')).status).toBe(200);
  });
});

describe.runIf(testDialect === 'postgres')('PostgreSQL: a read-only server, as after a failover to a standby (issue 12 §3)', () => {
  it('answers 503 storage.read_only with Retry-After, logs 25006 once per store, fails readiness and recovers', async () => {
    await scratch!.readOnly();
    try {
      await eventually(async () => (await createKey()).status === 503, 10_000);
      const answer = await createKey();
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('storage.read_only');
      expect(answer.headers['retry-after']).toBe('60');
      expect(errorLines(/^25006$/).filter((l) => String(l.store).startsWith('identity@'))).toHaveLength(1);
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().faults).toEqual(expect.arrayContaining([expect.objectContaining({ fault: 'read_only' })]));
    } finally {
      await scratch!.writable();
    }
    await eventually(async () => (await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 15_000);
    await eventually(async () => (await createKey()).status === 201, 15_000);
  });
});

/** A tiny tmpfs needs root with CAP_SYS_ADMIN (CI containers usually have it; laptops may not). */
function mountTmpfs(megabytes: number): string | null {
  const dir = mkdtempSync(path.join(tmpdir(), 'toride-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

const tinyDisk = testDialect === 'sqlite' ? mountTmpfs(24) : null;

describe.runIf(testDialect === 'sqlite')('SQLite on a real full disk (a tmpfs filled to ENOSPC)', () => {
  // Visible as skipped where tmpfs cannot be mounted; the max_page_count test above still runs.
  it.runIf(tinyDisk !== null)('answers 503 storage.full with SQLITE_FULL in the log, never "cannot rollback", and serves again when space returns', async () => {
    const disk = tinyDisk!;
    const diskLog = capturedLogger();
    const onDisk = await buildTestApp({ logger: diskLog.logger, config: { dataDir: path.join(disk, 'data') } });
    const filler = path.join(disk, 'filler');
    try {
      const user = await signUpUser(onDisk);
      try {
        writeFileSync(filler, Buffer.alloc(24 * 1024 * 1024));
      } catch {
        // ENOSPC: the disk is now full, which is the point
      }
      const keyOf = () => user.client.post('/api/v1/me/api-keys', { name: 'k', orgId: user.orgId });
      // Sign-up writes in a transaction: SQLite rolls it back itself on SQLITE_FULL, and a second
      // ROLLBACK used to replace the cause with "cannot rollback - no transaction is active".
      const signUp = (i: number) => new TestClient(onDisk.app).post('/api/v1/signup', { email: `full-${i}@example.test`, password: PASSWORD, name: 'Full', orgName: 'Full', locale: 'en' });
      for (let i = 0; i < 3; i += 1) {
        for (const answer of [await keyOf(), await signUp(i)]) {
          expect(answer.status).toBe(503);
          expect(answer.body.error.code).toBe('storage.full');
          expect(answer.headers['retry-after']).toBe('60');
        }
      }
      const text = diskLog.raw.join('\n');
      expect(text).not.toMatch(/cannot rollback/);
      const full = diskLog.lines.filter((l) => l.level === 50 && String(l.code).startsWith('SQLITE_FULL'));
      expect(full.length).toBeGreaterThanOrEqual(1);
      // Once per store per episode, however many requests failed.
      expect(new Set(full.map((l) => l.store)).size).toBe(full.length);
      expect((await onDisk.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);

      rmSync(filler);
      expect((await onDisk.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect((await keyOf()).status).toBe(201);
    } finally {
      rmSync(filler, { force: true });
      await onDisk.close();
    }
  });
});

afterAll(() => {
  if (!tinyDisk) return;
  // Lazy unmount: never fail the suite because a handle lingers on the tmpfs.
  execFileSync('umount', ['-l', tinyDisk], { stdio: 'ignore' });
  rmSync(tinyDisk, { recursive: true, force: true });
});
