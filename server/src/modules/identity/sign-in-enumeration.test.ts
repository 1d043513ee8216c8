import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, type TestResponse } from '../../test/client';
import { PASSWORD, signUpUser, uniqueEmail, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import type { ManagedAccountActor } from './index';

/**
 * Issue 13 §4 (W8.3, W9.1): `POST /sessions` tells nobody which addresses exist or are managed. An
 * unknown address, a managed account (no password in Toride) and a wrong password get the same status,
 * code, body and headers, the same lockout, and cost the same argon2 work.
 */
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpUser(t);
});
afterAll(async () => {
  await t.close();
});

const scim: ManagedAccountActor = { accountId: null, kind: 'scim', ip: '127.0.0.9', userAgent: 'Okta SCIM' };
const managedAddress = async () => (await t.identity.managedAccounts.create(admin.orgId, { email: uniqueEmail('managed'), name: 'Mia Managed', role: 'member' }, scim)).email;
const passwordAddress = async () => (await signUpUser(t)).email;

/** Headers that legitimately differ between any two responses. */
const VOLATILE = new Set(['date', 'x-request-id', 'request-id']);
const shape = (r: TestResponse) => ({
  status: r.status,
  body: r.body as unknown,
  headers: Object.fromEntries(Object.entries(r.headers).filter(([name]) => !VOLATILE.has(name.toLowerCase()))),
});

const signIn = (email: string, password: string) => new TestClient(t.app).post('/api/v1/sessions', { email, password });

describe('POST /sessions gives nothing away (issue 13 §4)', () => {
  it('answers a managed account, an unknown address and a wrong password identically', async () => {
    const managed = await signIn(await managedAddress(), PASSWORD);
    const unknown = await signIn(uniqueEmail('nobody'), PASSWORD);
    const wrong = await signIn(await passwordAddress(), 'not the password at all');
    expect(shape(wrong)).toMatchObject({ status: 401, body: { error: { code: 'auth.invalid_credentials' } } });
    expect(shape(managed)).toEqual(shape(wrong));
    expect(shape(unknown)).toEqual(shape(wrong));
    // The audit log, which only the org's readers see, still tells them apart.
    const [event] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'auth.sign_in' });
    expect(event).toMatchObject({ outcome: 'failure', details: expect.objectContaining({ reason: 'managed_account' }) });
  });

  it('locks each kind out after the same number of failures, with the same answer', async () => {
    const addresses = [await managedAddress(), uniqueEmail('nobody'), await passwordAddress()];
    const answers: TestResponse[][] = [];
    for (const email of addresses) {
      const series: TestResponse[] = [];
      for (let i = 0; i < 6; i++) series.push(await signIn(email, 'not the password at all'));
      answers.push(series);
    }
    const statuses = answers.map((series) => series.map((r) => r.status));
    expect(statuses).toEqual([0, 1, 2].map(() => [401, 401, 401, 401, 401, 429]));
    expect(shape(answers[0]![5]!)).toEqual(shape(answers[2]![5]!));
    expect(shape(answers[1]![5]!)).toEqual(shape(answers[2]![5]!));
  });

  it('spends comparable work on each (argon2 against a decoy hash when there is none)', async () => {
    const managed = [await managedAddress(), await managedAddress()];
    const known = [await passwordAddress(), await passwordAddress()];
    await signIn(uniqueEmail('warm-up'), PASSWORD); // the decoy hash is made once per process
    type Kind = 'managed' | 'unknown' | 'wrong';
    const cpu: Record<Kind, number> = { managed: 0, unknown: 0, wrong: 0 };
    const wall: Record<Kind, number[]> = { managed: [], unknown: [], wrong: [] };
    // CPU time of this process (argon2 runs on its libuv threads, so it counts; PostgreSQL's does not):
    // unlike wall-clock time it barely moves when other processes load the machine.
    const time = async (kind: Kind, email: string) => {
      const [started, startedCpu] = [performance.now(), process.cpuUsage()];
      expect((await signIn(email, 'not the password at all')).status).toBe(401);
      const used = process.cpuUsage(startedCpu);
      cpu[kind] += (used.user + used.system) / 1000;
      wall[kind].push(performance.now() - started);
    };
    // Interleaved, eight rounds over two addresses each (a fifth failure would start a lock-out).
    for (let round = 0; round < 8; round++) {
      await time('managed', managed[round % 2]!);
      await time('unknown', uniqueEmail('nobody'));
      await time('wrong', known[round % 2]!);
    }
    // Without the decoy an unknown or managed address costs ~1–3 ms of CPU against tens of ms for argon2id.
    for (const ratio of [cpu.managed / cpu.wrong, cpu.unknown / cpu.wrong]) {
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    }
    const fastest = (kind: Kind) => Math.min(...wall[kind]).toFixed(1);
    const perCall = (kind: Kind) => (cpu[kind] / 8).toFixed(1);
    console.info(`sign-in CPU per call (ms): managed ${perCall('managed')}, unknown ${perCall('unknown')}, wrong ${perCall('wrong')}; fastest wall-clock: ${fastest('managed')}, ${fastest('unknown')}, ${fastest('wrong')}`);
  });
});
