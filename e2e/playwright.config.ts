import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end in Debian's Chromium (never a downloaded browser) against the real server on
 * SQLite in a throw-away data directory. The data dir travels to the specs through the
 * environment so they can read the mail outbox with the `toride` CLI, as an operator would.
 */
const port = Number(process.env.TORIDE_E2E_PORT ?? 3137);
process.env.TORIDE_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'toride-e2e-'));
process.env.TORIDE_E2E_BASE_URL = `http://127.0.0.1:${port}`;
// The managed-accounts spec answers DNS here (dns2) so domain verification runs for real (W8.3).
process.env.TORIDE_E2E_DNS_PORT ??= '5391';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // Multi-step specs took up to 54 s on a loaded 2-core machine; 3 min leaves room, the specs that wait on TOTP steps set more.
  timeout: 180_000,
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: process.env.TORIDE_E2E_BASE_URL,
    locale: 'en-US',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node bin/toride.mjs serve',
    cwd: path.resolve(import.meta.dirname, '..'),
    url: `${process.env.TORIDE_E2E_BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      TORIDE_PORT: String(port),
      TORIDE_DATA_DIR: process.env.TORIDE_E2E_DATA_DIR,
      TORIDE_PUBLIC_URL: process.env.TORIDE_E2E_BASE_URL,
      TORIDE_LOG_LEVEL: 'warn',
      TORIDE_DNS_SERVERS: `127.0.0.1:${process.env.TORIDE_E2E_DNS_PORT}`,
      // The SSO spec's OIDC provider is on http://127.0.0.1 (discovery and token calls from the server).
      TORIDE_OUTBOUND_PRIVATE_TARGETS: 'on',
      // Every browser here signs up from 127.0.0.1, so per-address request limits would stop later
      // specs; the limits themselves are tested in the vitest suite (lock-out after failed sign-ins stays on).
      TORIDE_RATE_LIMITS: 'off',
    },
  },
});
