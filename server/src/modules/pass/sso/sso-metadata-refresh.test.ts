import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { passStoreSpec, type PassDb } from '../pass.db';
import { createSloIdp } from './saml-slo-test-idp';
import { METADATA_REFRESH_JOB } from './sso.metadata-refresh';

/**
 * Issue 13 §7 (W6.7, W9.x outbound rules): IdP metadata by URL goes through the kernel's outbound
 * client — the address is checked on the connection itself, so a name resolving to loopback is never
 * contacted when private targets are off — and is refreshed by a job that applies a new signing
 * certificate with an audit event and a mail to the org's admins.
 */
interface Receiver {
  server: Server;
  port: number;
  hits: () => number;
  serve: (status: number, body: string) => void;
}

async function receiver(): Promise<Receiver> {
  let hits = 0;
  let answer = { status: 404, body: '' };
  const server = createServer((_request, response) => {
    response.writeHead(answer.status, { 'content-type': 'application/samlmetadata+xml' });
    response.end(answer.body);
  });
  server.on('connection', () => {
    hits += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hits: () => hits, serve: (status, body) => (answer = { status, body }) };
}

const closeServer = (server: Server) => new Promise((resolve) => server.close(resolve));
const passDbOf = async (t: TestApp) => (await t.kernel.stores.open<PassDb>(passStoreSpec(t.config))).db as Kysely<PassDb>;
const eventsOf = (t: TestApp, orgId: string, action: string) => t.kernel.audit.list({ orgId, action, limit: 50 });

describe('metadata by URL with private targets off (DNS rebinding)', () => {
  let strict: TestApp;
  let target: Receiver;
  beforeAll(async () => {
    strict = await buildTestApp();
    target = await receiver();
  });
  afterAll(async () => {
    await strict?.close();
    await closeServer(target.server);
  });

  it('refuses a name that resolves to loopback at connect time, when the connection is saved and when it is refreshed', async () => {
    const idp = await createSloIdp('https://idp.rebind.example/saml', 'https://idp.rebind.example');
    target.serve(200, idp.metadata);
    const admin = await signUpUser(strict);
    const base = `/api/v1/orgs/${admin.orgId}/pass/sso/connections`;
    // `localhost` passes the save-time check (a name, not an address); only the connect-time lookup can refuse it.
    const url = `https://localhost:${target.port}/metadata`;
    const saved = await admin.client.post(base, { protocol: 'saml', name: 'Rebind', metadataUrl: url });
    expect(saved.status).toBe(400);
    expect(saved.body.error.code).toBe('outbound.private_address');
    expect(target.hits()).toBe(0);

    // As if the name had resolved to a public address when saved, and to loopback at refresh time.
    const created = await admin.client.post(base, { protocol: 'saml', name: 'Rebind', metadataXml: idp.metadata });
    expect(created.status).toBe(201);
    await (await passDbOf(strict)).updateTable('sso_connections').set({ metadata_url: url }).where('id', '=', created.body.id).execute();
    expect(await strict.jobs.runNow(METADATA_REFRESH_JOB)).toBe(true);
    expect(target.hits()).toBe(0);
    const after = await admin.client.get(`${base}/${created.body.id}`);
    expect(after.body.saml.metadataError).toMatch(/^outbound\.private_address: /);
    expect(after.body.saml.certificates).toEqual(created.body.saml.certificates);
    const [failed] = await eventsOf(strict, admin.orgId, 'sso.metadata.refresh_failed');
    expect(failed).toMatchObject({ outcome: 'failure', actor: expect.objectContaining({ type: 'system' }), details: expect.objectContaining({ reason: 'outbound.private_address' }) });
  });
});

describe('metadata refresh job and the certificate-change alert', () => {
  let t: TestApp;
  let idpServer: Receiver;
  beforeAll(async () => {
    t = await buildTestApp({ config: { outboundPrivateTargets: 'on' } });
    idpServer = await receiver();
  });
  afterAll(async () => {
    await t?.close();
    await closeServer(idpServer.server);
  });

  it('applies a rolled-over signing certificate, audits it and mails the admins once; a failed fetch keeps the last good metadata', async () => {
    const entityId = 'https://idp.rollover.example/saml';
    const before = await createSloIdp(entityId, 'https://idp.rollover.example');
    const after = await createSloIdp(entityId, 'https://idp.rollover.example');
    idpServer.serve(200, before.metadata);
    const admin = await signUpUser(t);
    const base = `/api/v1/orgs/${admin.orgId}/pass/sso/connections`;
    const created = await admin.client.post(base, { protocol: 'saml', name: 'Rollover', metadataUrl: `http://127.0.0.1:${idpServer.port}/metadata` });
    expect(created.status).toBe(201);
    expect(created.body.saml.metadataFetchedAt).toBe(t.clock.now().toISOString());
    const [oldPrint] = created.body.saml.certificates as { sha256: string }[];

    // Nothing changed: no alert.
    expect(await t.jobs.runNow(METADATA_REFRESH_JOB)).toBe(true);
    expect(await eventsOf(t, admin.orgId, 'sso.metadata.certificate_changed')).toEqual([]);

    idpServer.serve(200, after.metadata);
    t.clock.advance(6 * 3600 * 1000);
    expect(await t.jobs.runNow(METADATA_REFRESH_JOB)).toBe(true);
    const current = (await admin.client.get(`${base}/${created.body.id}`)).body;
    expect(current.saml.certificates).toHaveLength(1);
    const [newPrint] = current.saml.certificates as { sha256: string }[];
    expect(newPrint!.sha256).not.toBe(oldPrint!.sha256);
    expect(current.saml.metadataFetchedAt).toBe(t.clock.now().toISOString());
    const [changed] = await eventsOf(t, admin.orgId, 'sso.metadata.certificate_changed');
    expect(changed).toMatchObject({
      outcome: 'success',
      target: { type: 'sso_connection', id: created.body.id },
      details: expect.objectContaining({ added: [newPrint!.sha256], removed: [oldPrint!.sha256], alert: true }),
    });
    const mails = (await t.kernel.mailer.outbox(200)).filter((m) => m.to === admin.email && m.subject.startsWith('Toride: SSO signing certificate changed'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(newPrint!.sha256);

    // Again with the same metadata: no second alert.
    await t.jobs.runNow(METADATA_REFRESH_JOB);
    expect(await eventsOf(t, admin.orgId, 'sso.metadata.certificate_changed')).toHaveLength(1);

    // The IdP fails: the last good certificates stay, the failure is recorded once while it lasts.
    idpServer.serve(500, 'oops');
    await t.jobs.runNow(METADATA_REFRESH_JOB);
    await t.jobs.runNow(METADATA_REFRESH_JOB);
    const failing = (await admin.client.get(`${base}/${created.body.id}`)).body;
    expect(failing.saml.certificates).toEqual(current.saml.certificates);
    expect(failing.saml.metadataError).toBe('sso.metadata_unreachable: The metadata URL answered HTTP 500.');
    expect(await eventsOf(t, admin.orgId, 'sso.metadata.refresh_failed')).toHaveLength(1);
  });

  it('refuses metadata larger than 512 KB without reading it all', async () => {
    const admin = await signUpUser(t);
    idpServer.serve(200, `<?xml version="1.0"?><!--${'x'.repeat(600 * 1024)}-->`);
    const refused = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/sso/connections`, { protocol: 'saml', name: 'Huge', metadataUrl: `http://127.0.0.1:${idpServer.port}/metadata` });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'sso.invalid_metadata', message: expect.stringContaining('512 KB') });
  });
});
