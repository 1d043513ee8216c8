import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { issueScimToken } from './scim.test-support';

/**
 * Issue 4 §5: request sequences recorded from Okta's and Microsoft Entra ID's public provisioning
 * docs (see each fixture's `source`), replayed against a fresh org; each step checks our answer and,
 * where given, the resulting account (`state`) or team (`team`) through identity.
 */
interface Step {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  capture?: Record<string, string>;
  expect: { status: number; body?: unknown; absent?: string[] };
  state?: Record<string, unknown> | null;
  team?: Record<string, unknown> | null;
}
interface Fixture {
  source: string;
  note: string;
  steps: Step[];
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtures = ['okta', 'entra'].flatMap((provider) =>
  readdirSync(path.join(dir, provider))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ provider, file: f, fixture: JSON.parse(readFileSync(path.join(dir, provider, f), 'utf8')) as Fixture })),
);

// One app per fixture: account addresses are unique across the whole server, and the documents reuse theirs.
let t: TestApp;

function substitute<T>(value: T, vars: Record<string, string>): T {
  if (value === undefined) return value;
  const text = JSON.stringify(value).replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const found = vars[name];
    if (found === undefined) throw new Error(`fixture variable ${name} not captured yet`);
    return found;
  });
  return JSON.parse(text) as T;
}

describe('SCIM fixtures recorded from Okta and Entra ID docs', () => {
  it('has fixtures from both providers, each naming its source', () => {
    expect(fixtures.filter((f) => f.provider === 'okta').length).toBeGreaterThanOrEqual(2);
    expect(fixtures.filter((f) => f.provider === 'entra').length).toBeGreaterThanOrEqual(3);
    for (const { fixture } of fixtures) expect(fixture.source).toMatch(/^https:\/\/(developer\.okta\.com|learn\.microsoft\.com)\//);
  });

  for (const { provider, file, fixture } of fixtures) {
    it(`${provider}/${file}`, async () => {
      t = await buildTestApp();
      try {
        await replay(provider, file, fixture);
      } finally {
        await t.close();
      }
      // A fresh app (store migrations) per fixture: slow on PostgreSQL on a busy machine.
    }, 180_000);
  }
});

async function replay(provider: string, file: string, fixture: Fixture) {
  const admin = await signUpUser(t);
  const { scim } = await issueScimToken(t, admin, provider);
  const vars: Record<string, string> = {};
  for (const raw of fixture.steps) {
    const step: Step = { ...raw, path: substitute(raw.path, vars), body: substitute(raw.body, vars) };
    const response = await scim.request(step.method, step.path, step.body, provider === 'okta' ? 'application/json' : 'application/scim+json');
    const where = `${provider}/${file} › ${step.name}: ${JSON.stringify(response.body)}`;
    expect(response.status, where).toBe(step.expect.status);
    if (response.status !== 204) expect(String(response.headers['content-type']), where).toContain('application/scim+json');
    if (step.expect.body) expect(response.body, where).toMatchObject(substitute(step.expect.body, vars) as object);
    for (const key of step.expect.absent ?? []) expect(response.body, where).not.toHaveProperty(key);
    for (const [name, field] of Object.entries(raw.capture ?? {})) vars[name] = String(response.body[field]);
    if (raw.state !== undefined) {
      const expected = substitute(raw.state, vars);
      const account = await t.identity.managedAccounts.get(admin.orgId, expected ? String(expected.id) : (vars.userId ?? ''));
      if (expected === null) expect(account, where).toBeNull();
      else expect(account, where).toMatchObject(expected);
    }
    if (raw.team !== undefined) {
      const expected = substitute(raw.team, vars);
      const team = await t.identity.teams.get(admin.orgId, expected ? String(expected.id) : (vars.groupId ?? ''));
      if (expected === null) expect(team, where).toBeNull();
      else expect(team, where).toMatchObject(expected);
    }
  }
  // Every change was audited with the SCIM actor kind.
  const events = await t.kernel.audit.list({ orgId: admin.orgId, limit: 500 });
  expect(events.some((e) => (e.details as { actorKind?: string } | undefined)?.actorKind === 'scim')).toBe(true);
}
