import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../kernel/clock';
import { TestClient } from '../../../test/client';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { verifyChainLines } from '../audit-chain';
import { SIGNATURE_HEADER, verifyPushSignature } from './audit-push.service';

/** Issue 4 §6: optional push of audit entries to an HTTPS endpoint, signed with HMAC. */
interface Received {
  body: string;
  signature: string;
  payload: { type: string; orgId: string; entries: { seq: number; action: string }[] };
}

let t: TestApp;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let answerWith = 200;

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

beforeAll(async () => {
  // Loopback receivers need the closed-network allowance; the refusal without it is tested below.
  t = await buildTestApp({ config: { outboundPrivateTargets: 'on' } });
  receiver = createServer((request, response) => {
    void readBody(request).then((body) => {
      if (answerWith === 200) received.push({ body, signature: String(request.headers[SIGNATURE_HEADER]), payload: JSON.parse(body) as Received['payload'] });
      response.writeHead(answerWith).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await t.close();
});
beforeEach(() => {
  received.length = 0;
  answerWith = 200;
});

/** The delivery job runs every minute on the injectable clock. */
async function deliveryRun(): Promise<void> {
  t.clock.advance(MINUTE);
  await t.jobs.tick();
}

const path = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/audit-push${rest}`;

async function configured(admin: TestUser): Promise<string> {
  const response = await admin.client.put(path(admin.orgId), { url: receiverUrl });
  expect(response.status).toBe(200);
  expect(response.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return response.body.secret as string;
}

describe('audit push (issue 4 §6)', () => {
  it('delivers new entries signed with HMAC, exactly as exported, so the receiver can verify both', async () => {
    const admin = await signUpUser(t, { orgName: 'Push Co' });
    const secret = await configured(admin);
    const head = (await admin.client.get(path(admin.orgId))).body.target.lastDeliveredSeq as number;
    await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Blue' });
    await deliveryRun();

    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(verifyPushSignature(secret, delivery!.signature, delivery!.body, t.clock.now())).toBe(true);
    expect(verifyPushSignature('wrong secret', delivery!.signature, delivery!.body, t.clock.now())).toBe(false);
    expect(verifyPushSignature(secret, delivery!.signature, delivery!.body.replace('Blue', 'Bluf'), t.clock.now())).toBe(false);
    expect(verifyPushSignature(secret, delivery!.signature, delivery!.body, new Date(t.clock.now().getTime() + 10 * MINUTE))).toBe(false);
    expect(delivery!.payload).toMatchObject({ type: 'audit.entries', orgId: admin.orgId });
    const actions = delivery!.payload.entries.map((e) => e.action);
    expect(actions).toContain('team.created');
    expect(actions).toContain('audit.push.created');
    expect(delivery!.payload.entries[0]!.seq).toBe(head + 1);
    expect(verifyChainLines(delivery!.payload.entries.map((e) => JSON.stringify(e)))).toMatchObject({ ok: true });

    // Nothing new, nothing sent again.
    await deliveryRun();
    expect(received).toHaveLength(1);
  });

  it('backs off while the receiver fails, audits the failure once, then delivers everything missed without gaps', async () => {
    const admin = await signUpUser(t);
    await configured(admin);
    answerWith = 503;
    await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Down 1' });
    await deliveryRun();
    let status = (await admin.client.get(path(admin.orgId))).body.target;
    expect(status).toMatchObject({ failures: 1, lastError: 'HTTP 503' });
    expect(Date.parse(status.nextAttemptAt) - t.clock.now().getTime()).toBe(MINUTE);

    await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Down 2' });
    await deliveryRun();
    status = (await admin.client.get(path(admin.orgId))).body.target;
    expect(status.failures).toBe(2);
    expect(Date.parse(status.nextAttemptAt) - t.clock.now().getTime()).toBe(2 * MINUTE);
    expect((await t.kernel.audit.list({ orgId: admin.orgId, action: 'audit.push.failed' })).length).toBe(1);

    answerWith = 200;
    await deliveryRun(); // one minute later: still backing off
    expect(received).toHaveLength(0);
    await deliveryRun();
    const seqs = received.flatMap((r) => r.payload.entries.map((e) => e.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    const actions = received.flatMap((r) => r.payload.entries.map((e) => e.action));
    expect(actions.filter((a) => a === 'team.created')).toHaveLength(2);
    expect((await admin.client.get(path(admin.orgId))).body.target).toMatchObject({ failures: 0, lastError: null, nextAttemptAt: null });
  });

  it('sends a signed test ping on request and reports the receiver’s answer', async () => {
    const admin = await signUpUser(t);
    const secret = await configured(admin);
    const ok = await admin.client.post(path(admin.orgId, '/test'));
    expect(ok.body).toEqual({ ok: true, status: 200, error: null });
    expect(received[0]!.payload).toMatchObject({ type: 'ping', entries: [] });
    expect(verifyPushSignature(secret, received[0]!.signature, received[0]!.body, t.clock.now())).toBe(true);
    answerWith = 500;
    expect((await admin.client.post(path(admin.orgId, '/test'))).body).toEqual({ ok: false, status: 500, error: 'HTTP 500' });
  });

  it('rotates the secret (old signatures stop verifying) and removes the target, each audited', async () => {
    const admin = await signUpUser(t);
    const first = await configured(admin);
    const rotated = await admin.client.post(path(admin.orgId, '/rotate-secret'));
    expect(rotated.body.secret).not.toBe(first);
    await admin.client.post(path(admin.orgId, '/test'));
    const ping = received[0]!;
    expect(verifyPushSignature(rotated.body.secret, ping.signature, ping.body, t.clock.now())).toBe(true);
    expect(verifyPushSignature(first, ping.signature, ping.body, t.clock.now())).toBe(false);
    expect((await admin.client.delete(path(admin.orgId))).status).toBe(204);
    expect((await admin.client.get(path(admin.orgId))).body).toEqual({ target: null });
    expect((await admin.client.delete(path(admin.orgId))).status).toBe(404);
    const actions = (await t.kernel.audit.list({ orgId: admin.orgId })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['audit.push.created', 'audit.push.secret_rotated', 'audit.push.deleted']));
    // The target never shows its secret again.
    expect(JSON.stringify((await admin.client.get(path(admin.orgId))).body)).not.toContain(first);
  });

  it('answers 401 signed out, 404 outside the org, 403 to members and to admins without the audit permission, 400 on bad input', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member');
    const outsider = await signUpUser(t);
    expect((await new TestClient(t.app).get(path(admin.orgId))).status).toBe(401);
    expect((await outsider.client.get(path(admin.orgId))).body.error.code).toBe('org.not_found');
    expect((await member.client.put(path(admin.orgId), { url: receiverUrl })).status).toBe(403);
    expect((await admin.client.put(path(admin.orgId), { url: '' })).status).toBe(400);
    expect((await admin.client.put(path(admin.orgId), { url: 'not a url' })).body.error.code).toBe('outbound.invalid_url');
    expect((await admin.client.put(path(admin.orgId), { url: 'ftp://example.test/x' })).body.error.code).toBe('outbound.insecure_scheme');
    expect((await admin.client.post(path(admin.orgId, '/rotate-secret'))).status).toBe(404);
    expect((await admin.client.get(path('00000000-0000-7000-8000-000000000000'))).status).toBe(404);
  });
});

describe('audit push without the closed-network allowance (SSRF)', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await buildTestApp();
  });
  afterAll(async () => {
    await strict.close();
  });

  it('refuses plain http, loopback, private and link-local targets, by literal address and by name', async () => {
    const admin = await signUpUser(strict);
    const put = (url: string) => admin.client.put(path(admin.orgId), { url });
    expect((await put(receiverUrl)).body.error.code).toBe('outbound.insecure_scheme');
    for (const url of ['https://127.0.0.1/x', 'https://10.1.2.3/x', 'https://192.168.0.1/x', 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://[fd00::1]/x', 'https://[::ffff:127.0.0.1]/x']) {
      expect((await put(url)).body.error.code, url).toBe('outbound.private_address');
    }
    expect((await put('https://localhost/x')).body.error.code).toBe('outbound.private_address');
    expect((await admin.client.get(path(admin.orgId))).body).toEqual({ target: null });
  });
});
