import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';

/** `toride lifecycle …` as an operator runs it, against a throw-away data directory (SQLite). */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'toride-lifecycle-cli-'));
const env = { ...process.env, TORIDE_DATA_DIR: dataDir, TORIDE_LOG_LEVEL: 'silent', TORIDE_DATABASE_URL: '', TORIDE_SECRET_KEY: '', TORIDE_NOW: '', TORIDE_ALLOW_CLOCK_OVERRIDE: '' };
const toride = (args: string[], extra: Record<string, string> = {}) => run('node', ['bin/toride.mjs', ...args], { cwd: root, env: { ...env, ...extra }, timeout: 100_000 });
const failure = (p: Promise<unknown>) => p.then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => error);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('toride lifecycle CLI (issue 5 §5)', { timeout: 120_000 }, () => {
  it('prints the public key; verifies a receipt of this deployment; a tampered one fails with a clear message', async () => {
    const app = await buildApp(loadConfig({}, { dataDir, logLevel: 'silent' }), { logger: pino({ level: 'silent' }) });
    const file = await app.lifecycle.signer.sign({ receiptId: 'r1', orgId: 'org-1', scope: 'org', startedAt: '2027-07-01T00:00:00.000Z', completedAt: '2027-07-01T00:10:00.000Z', backupsExpireAt: '2027-07-31T00:10:00.000Z', deleted: [{ module: 'projects', region: 'us-west', kind: 'issues', rows: 3 }], totalRows: 3, issuedAt: '2027-07-01T00:10:00.000Z' });
    await app.close();
    const good = path.join(dataDir, 'receipt.json');
    writeFileSync(good, JSON.stringify(file));
    const { stdout: pem } = await toride(['lifecycle', 'public-key']);
    expect(pem).toContain('BEGIN PUBLIC KEY');
    writeFileSync(path.join(dataDir, 'key.pem'), pem);
    expect((await toride(['lifecycle', 'verify-receipt', good, '--public-key', path.join(dataDir, 'key.pem')])).stdout).toContain('Receipt r1 verifies');
    expect((await toride(['lifecycle', 'verify-receipt', good])).stdout).toContain('3 rows deleted');
    const bad = path.join(dataDir, 'tampered.json');
    writeFileSync(bad, JSON.stringify({ ...file, receipt: { ...file.receipt, totalRows: 2 } }));
    const failed = await failure(toride(['lifecycle', 'verify-receipt', bad, '--public-key', path.join(dataDir, 'key.pem')]));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('does NOT verify');
  });

  it('set-state validates its input and names an unknown org', async () => {
    const wrong = await failure(toride(['lifecycle', 'set-state', 'org-x', 'chat', 'paid']));
    expect(wrong.code).toBe(2);
    const unknown = await failure(toride(['lifecycle', 'set-state', 'org-x', 'workspace', 'paid']));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('org.not_found');
  });

  it('a clock override needs TORIDE_ALLOW_CLOCK_OVERRIDE=1 and a loopback listener (exit 2)', async () => {
    const refused = await failure(toride(['--now', '2027-01-01T00:00:00Z', 'lifecycle', 'public-key']));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('TORIDE_ALLOW_CLOCK_OVERRIDE=1');
    const remote = await failure(toride(['lifecycle', 'public-key'], { TORIDE_NOW: '2027-01-01T00:00:00Z', TORIDE_ALLOW_CLOCK_OVERRIDE: '1', TORIDE_HOST: '0.0.0.0', TORIDE_PUBLIC_URL: 'https://x.test', TORIDE_TRUSTED_PROXY: '127.0.0.1' }));
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('non-loopback');
    expect((await toride(['--now', '2027-01-01T00:00:00Z', 'lifecycle', 'public-key'], { TORIDE_ALLOW_CLOCK_OVERRIDE: '1' })).stdout).toContain('BEGIN PUBLIC KEY');
  });
});
