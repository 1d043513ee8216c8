import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './test/harness';
import { listenOnLoopback } from './test/backlog-client';

/**
 * Issue 12 §4: a client that sends headers and one byte of a declared body must not hold its socket
 * for ever, nor keep SIGTERM from finishing. Real sockets against a listening server.
 */
const root = path.resolve(import.meta.dirname, '../..');
const STALLED_REQUEST = 'POST /api/v1/signup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{';

/** Opens a socket, sends headers and 1 byte of a 100-byte body; resolves when the server closes it. */
function stall(port: number): { socket: Socket; closed: Promise<{ afterMs: number; received: string }> } {
  const socket = connect({ host: '127.0.0.1', port });
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  socket.write(STALLED_REQUEST);
  const closed = new Promise<{ afterMs: number; received: string }>((resolve) => socket.on('close', () => resolve({ afterMs: Date.now() - started, received })));
  return { socket, closed };
}

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('request timeouts and a bounded shutdown (issue 12 §4)', () => {
  it('answers 408 and closes a socket whose body stalls, within the request timeout', async () => {
    t = await buildTestApp({ config: { requestTimeoutSeconds: 1 } });
    const port = await listenOnLoopback(t);
    const { closed } = stall(port);
    const { afterMs, received } = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeGreaterThanOrEqual(900);
    // 1 s timeout + at most one 250 ms check interval; the rest is slack for a loaded CI machine (without the timeout it never closes).
    expect(afterMs).toBeLessThan(5000);
  });

  it('close() finishes within the shutdown bound with a stalled socket open, and cuts it', async () => {
    t = await buildTestApp({ config: { requestTimeoutSeconds: 600, shutdownTimeoutSeconds: 1 } });
    const port = await listenOnLoopback(t);
    const { closed } = stall(port);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const app = t;
    t = null;
    await app.close();
    const tookMs = Date.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(900);
    expect(tookMs).toBeLessThan(5000);
    expect((await closed).afterMs).toBeLessThan(4000);
  });

  it('the real `toride serve` exits 0 on SIGTERM within the bound while a client stalls mid-body', async () => {
    // The server process runs on SQLite in both test runs: this is about sockets, not storage.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'toride-sigterm-'));
    const child = spawn('node', ['bin/toride.mjs', 'serve'], {
      cwd: root,
      env: { ...process.env, TORIDE_DATA_DIR: dataDir, TORIDE_PORT: '0', TORIDE_LOG_LEVEL: 'info', TORIDE_DATABASE_URL: '', TORIDE_SECRET_KEY: '', TORIDE_SHUTDOWN_TIMEOUT_SECONDS: '1', TORIDE_REQUEST_TIMEOUT_SECONDS: '600', TORIDE_WEB_DIR: path.join(dataDir, 'no-web') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const ready = out.split('\n').find((line) => line.includes('Toride is ready'));
          if (ready) resolve((JSON.parse(ready) as { port: number }).port);
        });
        child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}`)));
      });
      const { closed } = stall(port);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      const tookMs = Date.now() - started;
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(8000);
      expect((await closed).afterMs).toBeLessThan(5000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
