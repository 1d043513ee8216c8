import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';

/** W6.6: the org admin's settings page reads the classic status and the classic users' sign-in path. */
describe('GET /api/v1/orgs/:orgId/projects/classic', () => {
  let t: TestApp;
  let admin: TestUser;
  const path = (orgId: string) => `/api/v1/orgs/${orgId}/projects/classic`;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { orgName: 'Classic Status Co' });
  });
  afterAll(async () => t.close());

  it('answers "not classic" first, then the limit, the user count and the sign-in path after the PUT', async () => {
    const before = await admin.client.request('GET', path(admin.orgId));
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ classic: false, userLimit: null, users: 0 });
    expect(before.body.spaceKey).toMatch(/^t[0-9a-f]{1,12}$/);
    expect(before.body.signInPath).toBe(`/classic/${before.body.spaceKey}/sign-in`);

    expect((await admin.client.request('PUT', path(admin.orgId), { userLimit: 3 })).status).toBe(200);
    const after = await admin.client.request('GET', path(admin.orgId));
    expect(after.body).toEqual({ classic: true, userLimit: 3, users: 0, spaceKey: before.body.spaceKey, signInPath: before.body.signInPath });

    expect((await admin.client.request('PUT', path(admin.orgId), { userLimit: 7 })).status).toBe(200);
    expect((await admin.client.request('GET', path(admin.orgId))).body).toMatchObject({ classic: true, userLimit: 7 });
  });

  it('401 without a session, 403 for members, 404 for another org exactly like a missing one (W7.7)', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: path(admin.orgId) });
    expect(anonymous.statusCode).toBe(401);

    const member = await addMember(t, admin, 'member');
    const refused = await member.client.request('GET', path(admin.orgId));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('projects.forbidden');

    const stranger = await signUpUser(t, { orgName: 'Elsewhere' });
    const foreign = await stranger.client.request('GET', path(admin.orgId));
    const missing = await stranger.client.request('GET', path('org_doesnotexist0000'));
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    // The stranger's own space stays not classic: the admin's PUT above touched only its own org.
    expect((await stranger.client.request('GET', path(stranger.orgId))).body).toMatchObject({ classic: false, userLimit: null });
  });
});
