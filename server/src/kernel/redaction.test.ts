import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf } from '../test/backlog-client';
import { signUpUser } from '../test/factories';
import { buildTestApp, type TestApp } from '../test/harness';
import { loggerOptions } from './logger';
import { redactText, redactUrl, redactValue } from './redaction';

/**
 * Issue 12 §5: Backlog clients pass `?apiKey=`; it used to be logged in full in `url` at the
 * default level. The app runs with the real logger options (level info) writing into memory and
 * with TORIDE_LOG_DIR files; every captured line is scanned for the secrets used.
 */
const lines: string[] = [];
const logDir = mkdtempSync(path.join(tmpdir(), 'toride-redaction-logs-'));
let t: TestApp;
let apiKey: string;

beforeAll(async () => {
  const logger = pino(loggerOptions({ logLevel: 'info' }), { write: (line: string) => void lines.push(line) });
  t = await buildTestApp({ logger, config: { logLevel: 'info', logDir } });
  apiKey = await apiKeyOf(await signUpUser(t));
});
afterAll(async () => {
  await t.close();
  rmSync(logDir, { recursive: true, force: true });
});

const SECRETS = ['s3cr3t-access-token', 's3cr3t-typetalk', 's3cr3t-oauth-code', 's3cr3t-oauth-state', 's3cr3t-password', 's3cr3t-bearer', 's3cr3t-cookie'];

describe('credentials never reach the logs or the audit log (issue 12 §5)', () => {
  it('redacts ?apiKey= and other credential parameters and headers in every request log line and the access log', async () => {
    const query = `apiKey=${encodeURIComponent(apiKey)}`;
    expect((await t.app.inject({ method: 'GET', url: `/api/v2/users/myself?${query}` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v2/no-such-thing?${query}&count=5` })).statusCode).toBe(404);
    await t.app.inject({
      method: 'GET',
      url: `/api/v1/me?access_token=${SECRETS[0]}&typetalkToken=${SECRETS[1]}&code=${SECRETS[2]}&state=${SECRETS[3]}&new_password=${SECRETS[4]}&page=2`,
      headers: { authorization: `Bearer ${SECRETS[5]}`, cookie: `toride_session=${SECRETS[6]}` },
    });
    t.kernel.logger.error({ err: new Error(`upstream GET https://example.test/x?${query} failed`) }, `calling /hook?token=${SECRETS[0]}`);

    const files = readdirSync(logDir).map((name) => readFileSync(path.join(logDir, name), 'utf8'));
    const everything = [...lines, ...files].join('\n');
    expect(lines.some((line) => line.includes('apiKey=[redacted]'))).toBe(true);
    expect(lines.some((line) => line.includes('page=2') && line.includes('access_token=[redacted]'))).toBe(true);
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain(encodeURIComponent(apiKey));
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });

  it('redacts URL secrets and secret fields in audit details, keeping the rest', async () => {
    await t.kernel.audit.record({
      action: 'test.redaction',
      outcome: 'success',
      actor: { type: 'system', name: 'test' },
      details: { url: `https://hooks.example.test/in?token=${SECRETS[0]}&team=7`, password: SECRETS[4], nested: { clientSecret: SECRETS[1], projectKey: 'KEEP' }, state: 'active' },
    });
    const [entry] = await t.kernel.audit.list({ action: 'test.redaction', limit: 1 });
    expect(entry!.details).toEqual({ url: 'https://hooks.example.test/in?token=[redacted]&team=7', password: '[redacted]', nested: { clientSecret: '[redacted]', projectKey: 'KEEP' }, state: 'active' });
  });

  it('the helpers: query parameters by name, free text, plain values', () => {
    expect(redactUrl('/api/v2/issues?apiKey=abc&count=20')).toBe('/api/v2/issues?apiKey=[redacted]&count=20');
    expect(redactUrl('/cb?code=1&state=2&iss=x')).toBe('/cb?code=[redacted]&state=[redacted]&iss=x');
    expect(redactText('failed: GET /x?typetalkToken=t&y=1 (apiKey=k)')).toBe('failed: GET /x?typetalkToken=[redacted]&y=1 (apiKey=[redacted])');
    expect(redactValue({ apiKey: 'k', keyId: 'id-1', name: 'n' })).toEqual({ apiKey: '[redacted]', keyId: 'id-1', name: 'n' });
  });
});
