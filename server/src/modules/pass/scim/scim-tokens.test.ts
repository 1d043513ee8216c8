import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/client';
import { addMember, PASSWORD, signUpUser, uniqueEmail } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { browserOf, expectScimError, issueScimToken, ScimClient, tokensUrl, userBody } from './scim.test-support';

/** Issue 4 §5: SCIM tokens — shown once, hashed, rotatable, revocable; the issuer is protected. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('SCIM tokens: admin API (W7.1, W7.7)', () => {
  it('issues a token shown once, lists it without the secret, and records its last use', async () => {
    const admin = await signUpUser(t);
    const { id, secret, scim } = await issueScimToken(t, admin, 'Entra ID');
    expect(secret).toMatch(/^trd_scim_[\w-]{40,}$/);
    const list = await admin.client.get(tokensUrl(admin.orgId));
    expect(list.status).toBe(200);
    expect(list.body.baseUrl).toBe('http://127.0.0.1:3000/scim/v2');
    expect(list.body.tokens).toEqual([
      expect.objectContaining({ id, label: 'Entra ID', hint: secret.slice(-4), issuedBy: admin.accountId, lastUsedAt: null, revokedAt: null }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toMatch(/secret_hash|secretHash/);
    expect((await scim.get('/Users')).status).toBe(200);
    const after = await admin.client.get(tokensUrl(admin.orgId));
    expect(after.body.tokens[0].lastUsedAt).toBe(t.clock.now().toISOString());
    const events = await t.kernel.audit.list({ orgId: admin.orgId, action: 'scim.token_created' });
    expect(events).toHaveLength(1);
  });

  it('401 for a wrong, missing, revoked or rotated-away token, in the SCIM error schema', async () => {
    const admin = await signUpUser(t);
    const { id, secret } = await issueScimToken(t, admin);
    expectScimError(await new ScimClient(t, 'trd_scim_wrong').get('/Users'), 401);
    expectScimError(await new ScimClient(t, '').get('/Users'), 401);
    const noAuth = await t.app.inject({ method: 'GET', url: '/scim/v2/Users' });
    expect(noAuth.statusCode).toBe(401);
    expect(noAuth.headers['www-authenticate']).toContain('Bearer');
    const rotated = await admin.client.post(tokensUrl(admin.orgId, `/${id}/rotate`));
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    expectScimError(await new ScimClient(t, secret).get('/Users'), 401);
    const fresh = new ScimClient(t, rotated.body.secret);
    expect((await fresh.get('/Users')).status).toBe(200);
    expect((await admin.client.delete(tokensUrl(admin.orgId, `/${id}`))).status).toBe(204);
    expectScimError(await fresh.get('/Users'), 401);
    expect((await admin.client.delete(tokensUrl(admin.orgId, `/${id}`))).status).toBe(404);
    const actions = (await t.kernel.audit.list({ orgId: admin.orgId })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['scim.token_created', 'scim.token_rotated', 'scim.token_revoked']));
  });

  it('401 without a session, 403 for members and guests, 400 on a bad body, 404 for another org and unknown ids', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member');
    const guest = await addMember(t, admin, 'guest');
    const stranger = await signUpUser(t);
    const { id } = await issueScimToken(t, admin);
    expect((await new TestClient(t.app).get(tokensUrl(admin.orgId))).status).toBe(401);
    for (const who of [member, guest]) {
      expect((await who.client.get(tokensUrl(admin.orgId))).status).toBe(403);
      expect((await who.client.post(tokensUrl(admin.orgId), { label: 'x' })).status).toBe(403);
      expect((await who.client.post(tokensUrl(admin.orgId, `/${id}/rotate`))).status).toBe(403);
      expect((await who.client.delete(tokensUrl(admin.orgId, `/${id}`))).status).toBe(403);
    }
    expect((await admin.client.post(tokensUrl(admin.orgId), { label: '' })).status).toBe(400);
    expect((await admin.client.post(tokensUrl(admin.orgId), { label: 'x', extra: 1 })).status).toBe(400);
    // W7.7: another org's admin gets 404 for this org, and this org's token id is unknown in theirs.
    expect((await stranger.client.get(tokensUrl(admin.orgId))).status).toBe(404);
    const theirs = await stranger.client.post(tokensUrl(stranger.orgId, `/${id}/rotate`));
    const random = await stranger.client.post(tokensUrl(stranger.orgId, '/0192aaaa-0000-7000-8000-000000000000/rotate'));
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(random.body);
    expect((await stranger.client.delete(tokensUrl(stranger.orgId, `/${id}`))).status).toBe(404);
  });

  it('cross-tenant: a token sees only its own org; another org\'s user id answers like a random id', async () => {
    const a = await signUpUser(t);
    const b = await signUpUser(t);
    const { scim: scimA } = await issueScimToken(t, a);
    const { scim: scimB } = await issueScimToken(t, b);
    const created = await scimA.post('/Users', userBody(uniqueEmail('cross')));
    expect(created.status).toBe(201);
    expect((await scimB.get('/Users')).body.totalResults).toBe(0);
    expect((await scimB.get(`/Users?filter=${encodeURIComponent(`userName eq "${created.body.userName}"`)}`)).body.totalResults).toBe(0);
    const theirs = await scimB.get(`/Users/${created.body.id}`);
    const random = await scimB.get('/Users/0192aaaa-0000-7000-8000-000000000000');
    expectScimError(theirs, 404);
    expect(theirs.body.detail.replace(created.body.id, 'X')).toBe(random.body.detail.replace('0192aaaa-0000-7000-8000-000000000000', 'X'));
    expectScimError(await scimB.patch(`/Users/${created.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] }), 404);
    expectScimError(await scimB.delete(`/Users/${created.body.id}`), 404);
    expect((await scimA.get(`/Users/${created.body.id}`)).body.active).toBe(true);
    // Org A's member cannot be put into org B's team.
    expectScimError(await scimB.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'X', members: [{ value: created.body.id }] }), 400, 'invalidValue');
  });
});

describe('SCIM tokens: guessing is throttled', () => {
  it('answers 429 in the SCIM error schema after 30 failed tokens from one address in 5 minutes', async () => {
    const limited = await buildTestApp({ config: { rateLimits: 'on' } });
    try {
      const admin = await signUpUser(limited);
      const { scim } = await issueScimToken(limited, admin);
      const wrong = new ScimClient(limited, 'trd_scim_guess');
      for (let i = 0; i < 30; i++) expect((await wrong.get('/Users')).status).toBe(401);
      const throttled = await wrong.get('/Users');
      expectScimError(throttled, 429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      // A valid token is not throttled by someone else's failures, and the window passes.
      expect((await scim.get('/Users')).status).toBe(200);
      limited.clock.advance(301_000);
      expect((await wrong.get('/Users')).status).toBe(401);
    } finally {
      await limited.close();
    }
  }, 180_000);
});

describe('SCIM tokens: the issuing admin is protected while the token is live', () => {
  it('cannot be demoted, removed or deleted; can once another admin rotates or revokes the token', async () => {
    const owner = await signUpUser(t);
    const issuer = await addMember(t, owner, 'admin');
    const { id } = await issueScimToken(t, issuer);
    const demote = await owner.client.patch(`/api/v1/orgs/${owner.orgId}/members/${issuer.accountId}`, { role: 'member' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('scim.token_issuer');
    const remove = await owner.client.delete(`/api/v1/orgs/${owner.orgId}/members/${issuer.accountId}`);
    expect(remove.status).toBe(409);
    const leave = await issuer.client.delete(`/api/v1/orgs/${owner.orgId}/members/${issuer.accountId}`);
    expect(leave.status).toBe(409);
    // The owner rotates: the owner becomes the issuer, the former issuer is free.
    expect((await owner.client.post(tokensUrl(owner.orgId, `/${id}/rotate`))).body.token.issuedBy).toBe(owner.accountId);
    expect((await owner.client.patch(`/api/v1/orgs/${owner.orgId}/members/${issuer.accountId}`, { role: 'member' })).status).toBe(200);
    expect((await issuer.client.delete(`/api/v1/orgs/${owner.orgId}/members/${issuer.accountId}`)).status).toBe(204);
  });

  it('blocks self-deletion of the issuer until the token is revoked', async () => {
    const owner = await signUpUser(t);
    const issuer = await addMember(t, owner, 'admin');
    const { id } = await issueScimToken(t, issuer);
    const attempt = await issuer.client.post('/api/v1/me/delete', { password: PASSWORD });
    expect(attempt.status).toBe(409);
    expect(attempt.body.error.code).toBe('scim.token_issuer');
    expect((await owner.client.delete(tokensUrl(owner.orgId, `/${id}`))).status).toBe(204);
    expect((await issuer.client.post('/api/v1/me/delete', { password: PASSWORD })).status).toBe(204);
  });

  it('a managed admin who issued a token cannot be suspended, demoted or deleted, not even through SCIM', async () => {
    const owner = await signUpUser(t);
    const { scim } = await issueScimToken(t, owner);
    const created = await scim.post('/Users', userBody(uniqueEmail('boss'), { roles: [{ value: 'ADMIN', primary: true }] }));
    expect(created.status).toBe(201);
    const managedAdmin = await browserOf(t, created.body.id);
    const issued = await managedAdmin.post(tokensUrl(owner.orgId), { label: 'by managed admin' });
    expect(issued.status).toBe(201);
    const patch = (value: unknown, path: string) => scim.patch(`/Users/${created.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path, value }] });
    expectScimError(await patch(false, 'active'), 409);
    expectScimError(await patch('USER', 'roles[primary eq "True"].value'), 409);
    expectScimError(await scim.delete(`/Users/${created.body.id}`), 409);
    expect((await owner.client.delete(tokensUrl(owner.orgId, `/${issued.body.token.id}`))).status).toBe(204);
    expect((await patch(false, 'active')).status).toBe(200);
    expect((await scim.delete(`/Users/${created.body.id}`)).status).toBe(204);
  });
});
