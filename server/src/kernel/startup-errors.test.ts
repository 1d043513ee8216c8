import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { loadConfig } from '../config';

/**
 * Issue 12 §6: a store that cannot be opened at start-up says which store, where, the driver's code
 * and the fix — not a bare SQLITE_CANTOPEN. Never the database password.
 */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'toride-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const silent = pino({ level: 'silent' });
const configFor = (overrides: Record<string, string>) => loadConfig({}, { secretKey: Buffer.alloc(32, 7).toString('base64'), logLevel: 'silent', ...overrides });

describe('start-up errors name the store, the path and the fix (issue 12 §6)', () => {
  it('a store file that cannot be opened (SQLITE_CANTOPEN)', async () => {
    const dataDir = path.join(scratch, 'cantopen');
    // A folder where the database file should be: even root cannot open it (chmod would not stop root).
    mkdirSync(path.join(dataDir, 'us-west', 'platform.db'), { recursive: true });
    const error = (await buildApp(configFor({ dataDir }), { logger: silent }).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe('SQLITE_CANTOPEN');
    expect(error.message).toContain('store platform@us-west');
    expect(error.message).toContain(path.join(dataDir, 'us-west', 'platform.db'));
    expect(error.message).toMatch(/Fix: make .* writable by the user running Toride.*TORIDE_DATA_DIR/);
  });

  it('a data folder that cannot be created, through the real CLI', async () => {
    writeFileSync(path.join(scratch, 'a-file'), 'not a folder');
    const dataDir = path.join(scratch, 'a-file', 'data');
    const failed = (await run('node', ['bin/toride.mjs', 'migrate'], {
      cwd: root,
      env: { ...process.env, TORIDE_DATA_DIR: dataDir, TORIDE_DATABASE_URL: '', TORIDE_SECRET_KEY: '', TORIDE_LOG_LEVEL: 'silent' },
      timeout: 100_000,
    }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('toride: ENOTDIR: Cannot open store platform@us-west at ');
    expect(failed.stderr).toContain(path.join(dataDir, 'us-west', 'platform.db'));
    expect(failed.stderr).toContain('Fix: ');
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('a PostgreSQL server that is not there: host and port named, password not', async () => {
    const error = (await buildApp(configFor({ databaseUrl: 'postgres://toride:hunter2@127.0.0.1:1/toride', pgSchemaPrefix: 'nowhere_' }), { logger: silent }).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toContain('store platform@us-west');
    expect(error.message).toContain('127.0.0.1:1, database toride');
    expect(error.message).toContain('Fix: start PostgreSQL');
    expect(error.message).not.toContain('hunter2');
  });
});
