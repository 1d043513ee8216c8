import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/client';
import { addMember, PASSWORD, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { startTestDnsServer } from './dns-test-server';

/** W8.3: verified domains, checked against a real DNS server on 127.0.0.1 (dns2). */
let t: TestApp;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await buildTestApp({ config: { dnsServers: dns.address } });
});
afterAll(async () => {
  await t.close();
  await dns.close();
});

const url = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/pass/domains${rest}`;
let n = 0;
const freshDomain = () => `corp${++n}-${Math.random().toString(36).slice(2, 8)}.example.test`;

async function addDomain(admin: TestUser, domain = freshDomain()) {
  const response = await admin.client.post(url(admin.orgId), { domain });
  expect(response.status).toBe(201);
  return response.body as { id: string; domain: string; status: string; txtRecord: { name: string; value: string } };
}

const publish = (record: { name: string; value: string }) => dns.records.set(record.name, [record.value]);

describe('verified domains (W8.3)', () => {
  it('adds a domain, shows the TXT record to publish, and verifies it once the record is there', async () => {
    const admin = await signUpUser(t);
    const added = await addDomain(admin, 'Acme-Corp.Example.TEST.');
    expect(added).toMatchObject({ domain: 'acme-corp.example.test', status: 'pending', verifiedAt: null });
    expect(added.txtRecord.name).toBe('_toride-challenge.acme-corp.example.test');
    expect(added.txtRecord.value).toMatch(/^toride-verification=[\w-]{20,}$/);
    publish(added.txtRecord);
    const verified = await admin.client.post(url(admin.orgId, `/${added.id}/verify`));
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified', verifiedAt: t.clock.now().toISOString(), lastError: null });
    const list = await admin.client.get(url(admin.orgId));
    expect(list.body.domains).toEqual([expect.objectContaining({ id: added.id, status: 'verified' })]);
    const events = await t.kernel.audit.list({ orgId: admin.orgId });
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual(expect.arrayContaining(['domain.added:success', 'domain.verified:success']));
  });

  it('accepts the value among other TXT records of the name', async () => {
    const admin = await signUpUser(t);
    const added = await addDomain(admin);
    const value = added.txtRecord.value;
    dns.records.set(added.txtRecord.name, ['v=spf1 -all', value]);
    expect((await admin.client.post(url(admin.orgId, `/${added.id}/verify`))).body.status).toBe('verified');
  });

  it('refuses a wrong value, records why, and audits the failure', async () => {
    const admin = await signUpUser(t);
    const added = await addDomain(admin);
    dns.records.set(added.txtRecord.name, ['toride-verification=someone-elses-token']);
    const response = await admin.client.post(url(admin.orgId, `/${added.id}/verify`));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('domain.txt_record_mismatch');
    const list = await admin.client.get(url(admin.orgId));
    expect(list.body.domains[0]).toMatchObject({ status: 'pending', lastError: 'domain.txt_record_mismatch' });
    const [failure] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'domain.verified' });
    expect(failure).toMatchObject({ outcome: 'failure', details: expect.objectContaining({ reason: 'domain.txt_record_mismatch' }) });
  });

  it('answers NXDOMAIN as "record missing" and leaves the domain pending', async () => {
    const admin = await signUpUser(t);
    const added = await addDomain(admin);
    const response = await admin.client.post(url(admin.orgId, `/${added.id}/verify`));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('domain.txt_record_missing');
    expect((await admin.client.get(url(admin.orgId))).body.domains[0].status).toBe('pending');
  });

  it('lets only one org hold a domain verified', async () => {
    const first = await signUpUser(t);
    const second = await signUpUser(t);
    const domain = freshDomain();
    const mine = await addDomain(first, domain);
    const theirs = await addDomain(second, domain); // pending in both: allowed
    publish(mine.txtRecord);
    expect((await first.client.post(url(first.orgId, `/${mine.id}/verify`))).status).toBe(200);
    dns.records.set(theirs.txtRecord.name, [mine.txtRecord.value, theirs.txtRecord.value]);
    const refused = await second.client.post(url(second.orgId, `/${theirs.id}/verify`));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('domain.taken');
    const third = await signUpUser(t);
    const again = await third.client.post(url(third.orgId), { domain });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('domain.taken');
    // Once the first org removes it, the other may verify.
    expect((await first.client.delete(url(first.orgId, `/${mine.id}`))).status).toBe(204);
    expect((await second.client.post(url(second.orgId, `/${theirs.id}/verify`))).status).toBe(200);
  });

  it('frees the domain of an org that was closed', async () => {
    const leaving = await signUpUser(t);
    const added = await addDomain(leaving);
    publish(added.txtRecord);
    expect((await leaving.client.post(url(leaving.orgId, `/${added.id}/verify`))).status).toBe(200);
    // The only member deletes their account: the org closes.
    expect((await leaving.client.post('/api/v1/me/delete', { password: PASSWORD })).status).toBe(204);
    await t.kernel.events.drain();
    const next = await signUpUser(t);
    const again = await addDomain(next, added.domain);
    publish(again.txtRecord);
    expect((await next.client.post(url(next.orgId, `/${again.id}/verify`))).status).toBe(200);
  });

  it('audits the removal of a domain', async () => {
    const admin = await signUpUser(t);
    const added = await addDomain(admin);
    publish(added.txtRecord);
    await admin.client.post(url(admin.orgId, `/${added.id}/verify`));
    expect((await admin.client.delete(url(admin.orgId, `/${added.id}`))).status).toBe(204);
    const [removed] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'domain.removed' });
    expect(removed).toMatchObject({ outcome: 'success', target: { type: 'domain', id: added.id }, details: { domain: added.domain, wasVerified: true } });
    expect((await admin.client.get(url(admin.orgId))).body.domains).toEqual([]);
  });

  it('refuses a duplicate in the same org', async () => {
    const admin = await signUpUser(t);
    const added = await addDomain(admin);
    const again = await admin.client.post(url(admin.orgId), { domain: added.domain.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('domain.exists');
  });
});

describe('verified domains: permissions and tenancy (W7.1, W7.7)', () => {
  let admin: TestUser;
  let domainId: string;
  beforeAll(async () => {
    admin = await signUpUser(t);
    domainId = (await addDomain(admin)).id;
  });

  it('answers 401 signed out, 403 to members and guests', async () => {
    const anonymous = new TestClient(t.app);
    expect((await anonymous.get(url(admin.orgId))).status).toBe(401);
    expect((await anonymous.post(url(admin.orgId), { domain: freshDomain() })).status).toBe(401);
    for (const role of ['member', 'guest'] as const) {
      const user = await addMember(t, admin, role);
      expect((await user.client.get(url(admin.orgId))).status).toBe(403);
      expect((await user.client.post(url(admin.orgId), { domain: freshDomain() })).status).toBe(403);
      expect((await user.client.post(url(admin.orgId, `/${domainId}/verify`))).status).toBe(403);
      expect((await user.client.delete(url(admin.orgId, `/${domainId}`))).status).toBe(403);
    }
  });

  it('answers 400 to bad input', async () => {
    for (const domain of ['', 'localhost', 'not a domain', '192.168.0.1', '-bad.example.com', `${'a'.repeat(64)}.example.com`]) {
      const response = await admin.client.post(url(admin.orgId), { domain });
      expect(response.status, domain).toBe(400);
    }
    expect((await admin.client.post(url(admin.orgId), { domain: 'ok.example.com', extra: 1 })).status).toBe(400);
  });

  it('answers 404 to unknown ids, and another org\'s ids exactly like random ones', async () => {
    const other = await signUpUser(t);
    const otherDomain = await addDomain(other);
    const random = '0193e4a2-0000-7000-8000-000000000000';
    for (const id of [random, otherDomain.id]) {
      const verify = await admin.client.post(url(admin.orgId, `/${id}/verify`));
      const remove = await admin.client.delete(url(admin.orgId, `/${id}`));
      expect(verify.status).toBe(404);
      expect(remove.status).toBe(404);
      expect(verify.body).toEqual({ error: { code: 'domain.not_found', message: 'Domain not found.' } });
    }
    // Another org's org id: the identity gate's 404, the same as a made-up org.
    const cross = await admin.client.get(url(other.orgId));
    const made = await admin.client.get(url(random));
    expect(cross.status).toBe(404);
    expect(cross.body).toEqual(made.body);
    expect((await other.client.get(url(other.orgId))).body.domains).toHaveLength(1);
  });
});
