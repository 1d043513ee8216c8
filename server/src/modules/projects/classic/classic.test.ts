import { Backlog, Error as BacklogErrors } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

/** W6.6, W7.3, W8.2: classic spaces with space-local users managed through Backlog's user API. */
describe('classic space users through backlog-js 0.20.1', () => {
  let t: TestApp;
  let admin: TestUser;
  let client: Backlog;
  let key: string;
  let memberKey: string;
  let otherKey: string;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Classic Co' });
    key = await apiKeyOf(admin);
    memberKey = await apiKeyOf(await addMember(t, admin, 'member'));
    otherKey = await apiKeyOf(await signUpUser(t, { orgName: 'Other' }));
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    client = new Backlog({ host: `127.0.0.1:${address.port}`, apiKey: key, fetch: (url, init) => fetch(String(url).replace(/^https:\/\//, 'http://'), init) });
  });
  afterAll(async () => t.close());

  it('a new-plan space refuses user management like Backlog does', async () => {
    const r = await backlog(t, key, 'POST', '/users', { userId: 'kim', password: 'x', name: 'Kim', mailAddress: 'kim@example.test', roleType: 2 });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toBe("You can't use this API at new plan space.");
  });

  it('postUser mails a generated initial password; patchUser and deleteUser; the user limit holds', async () => {
    expect((await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/classic`, { userLimit: 2 })).status).toBe(200);
    const kim = await client.postUser({ userId: 'kim', password: 'ignored-by-design', name: 'Kim Reporter', mailAddress: 'kim@example.test', roleType: 3 });
    expect(kim).toMatchObject({ userId: 'kim', name: 'Kim Reporter', mailAddress: 'kim@example.test', roleType: 3 });
    const mail = (await t.kernel.mailer.outbox(10)).find((m) => m.to === 'kim@example.test');
    expect(mail?.text).toMatch(/Initial password: \S{12,}/);
    expect(mail?.text).not.toContain('ignored-by-design');

    const users = await client.getUsers();
    expect(users.find((u) => u.id === kim.id)).toMatchObject({ userId: 'kim', roleType: 3 });

    const patched = await client.patchUser(kim.id, { name: 'Kim Guest Viewer', roleType: 6 });
    expect(patched).toMatchObject({ name: 'Kim Guest Viewer', roleType: 6 });

    await client.postUser({ userId: 'lee', password: 'x', name: 'Lee', mailAddress: 'lee@example.test', roleType: 2 });
    const over = await backlog(t, key, 'POST', '/users', { userId: 'max', password: 'x', name: 'Max', mailAddress: 'max@example.test', roleType: 2 });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].message).toContain('at most 2 users');

    const deleted = await client.deleteUser(kim.id);
    expect(deleted.userId).toBe('kim');
    expect((await client.getUsers()).some((u) => u.id === kim.id)).toBe(false);
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'projects.classic_user_created' })).toHaveLength(2);
  });

  it('401, 400, 403, 404 and cross-tenant ids (W7.7)', async () => {
    expect((await backlog(t, null, 'POST', '/users', { userId: 'a' })).status).toBe(401);
    const bad = await backlog(t, key, 'POST', '/users', { userId: 'a b', name: 'A', mailAddress: 'nope', roleType: 7 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe(7);
    const forbidden = await backlog(t, memberKey, 'POST', '/users', { userId: 'zed', name: 'Zed', mailAddress: 'zed@example.test', roleType: 2 });
    expect(forbidden.status).toBe(403);
    const lee = (await client.getUsers()).find((u) => u.userId === 'lee');
    expect((await backlog(t, key, 'PATCH', '/users/999999', { name: 'x' })).status).toBe(404);
    // Platform accounts are not managed here.
    const myself = await client.getMyself();
    await expect(client.patchUser(myself.id, { name: 'x' })).rejects.toBeInstanceOf(BacklogErrors.BacklogApiError);
    // Another org (not classic) gets the new-plan refusal; once classic, a foreign id is just missing.
    expect((await backlog(t, otherKey, 'DELETE', `/users/${lee?.id}`)).status).toBe(400);
    const otherAdmin = await signUpUser(t, { orgName: 'Other classic' });
    expect((await otherAdmin.client.request('PUT', `/api/v1/orgs/${otherAdmin.orgId}/projects/classic`, { userLimit: 5 })).status).toBe(200);
    const otherAdminKey = await apiKeyOf(otherAdmin);
    const foreign = await backlog(t, otherAdminKey, 'DELETE', `/users/${lee?.id}`);
    const random = await backlog(t, otherAdminKey, 'DELETE', '/users/999999');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(random.body);
    expect((await client.getUsers()).some((u) => u.userId === 'lee')).toBe(true);
    expect((await (await addMember(t, admin, 'member')).client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/classic`, { userLimit: 9 })).status).toBe(403);
  });

  it('the space-only sign-in forces a new password at first sign-in; the platform sign-in never accepts classic users', async () => {
    await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/classic`, { userLimit: 10 });
    await client.postUser({ userId: 'nora', password: 'x', name: 'Nora', mailAddress: 'nora@example.test', roleType: 2 });
    const initial = /Initial password: (\S+)/.exec((await t.kernel.mailer.outbox(20)).find((m) => m.to === 'nora@example.test')?.text ?? '')?.[1] ?? '';
    const spaceKey = (await client.getSpace()).spaceKey;
    const signIn = (fields: Record<string, string>) => t.app.inject({ method: 'POST', url: `/api/v1/classic/${spaceKey}/sign-in`, payload: fields });
    expect((await signIn({ userId: 'nora', password: 'wrong' })).statusCode).toBe(401);
    expect((await signIn({ userId: 'ghost', password: initial })).statusCode).toBe(401);
    const first = await signIn({ userId: 'nora', password: initial });
    expect(first.statusCode).toBe(403);
    expect(first.json().error.code).toBe('classic.password_change_required');
    const changed = await signIn({ userId: 'nora', password: initial, newPassword: 'a brand new passphrase' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ userId: 'nora', roleType: 2, spaceKey });
    expect((await signIn({ userId: 'nora', password: 'a brand new passphrase' })).statusCode).toBe(200);
    expect((await signIn({ userId: 'nora', password: initial })).statusCode).toBe(401);
    // Another space's key does not know Nora; the platform's sign-in does not know her either.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/classic/tzzzzzzzzzzzz/sign-in', payload: { userId: 'nora', password: 'a brand new passphrase' } })).statusCode).toBe(401);
    const platform = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'nora@example.test', password: 'a brand new passphrase' } });
    expect(platform.statusCode).toBe(401);
  });
});
