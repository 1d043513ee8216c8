import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/** The real `toride` command, run as an operator would, against a throw-away data directory. */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'toride-cli-'));
const env = { ...process.env, TORIDE_DATA_DIR: dataDir, TORIDE_LOG_LEVEL: 'silent', TORIDE_DATABASE_URL: '', TORIDE_SECRET_KEY: '' };

function toride(args: string[], input?: string) {
  const child = run('node', ['bin/toride.mjs', ...args], { cwd: root, env, timeout: 100_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child;
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('toride CLI', { timeout: 120_000 }, () => {
  it('migrates every store and says where each lives', async () => {
    const { stdout } = await toride(['migrate']);
    expect(stdout).toContain('migrated identity@us-west');
    expect(stdout).toContain(path.join(dataDir, 'us-west', 'identity.db'));
  });

  it('creates an operator from a password on standard input and prints the TOTP secret once', async () => {
    const { stdout } = await toride(['operator', 'create', '--email', 'ops@example.test', '--name', 'Ops', '--password-stdin'], 'operator password 1\n');
    expect(stdout).toMatch(/secret: [A-Z2-7]{32}/);
    expect(stdout).toContain('otpauth://totp/');
    const again = await toride(['operator', 'create', '--email', 'ops@example.test', '--name', 'Ops', '--password-stdin'], 'operator password 1\n').catch((error: { code: number; stderr: string }) => error);
    expect((again as { code: number }).code).toBe(1);
    expect((again as { stderr: string }).stderr).toContain('operator.exists');
  });

  it('prints the mail outbox as JSON Lines', async () => {
    const { stdout } = await toride(['mail', 'outbox', '--json']);
    expect(stdout).toBe('');
  });

  it('stops with a message naming the bad setting', async () => {
    const failed = await run('node', ['bin/toride.mjs', 'migrate'], { cwd: root, env: { ...env, TORIDE_PORT: 'eighty' } }).catch((error: { code: number; stderr: string }) => error);
    expect((failed as { code: number }).code).toBe(2);
    expect((failed as { stderr: string }).stderr).toContain('TORIDE_PORT');
  });
});
