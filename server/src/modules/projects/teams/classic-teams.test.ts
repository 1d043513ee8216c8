import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog, encodeForm, type Form } from '../../../test/backlog-client';
import { TestClient } from '../../../test/client';
import { signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';

/** W5.2 / W6.6: a classic space's teams are its own, of its classic users, managed by its Administrators. */
describe('classic space teams with classic users', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminKey: string;
  let otherKey: string;
  let spaceKey: string;
  let orgTeamId: number;

  async function classicUser(userId: string, roleType: number) {
    const created = await backlog(t, adminKey, 'POST', '/users', { userId, password: 'unused', name: `User ${userId}`, mailAddress: `${userId}@example.test`, roleType });
    expect(created.status).toBe(201);
    const initial = /Initial password: (\S+)/.exec((await t.kernel.mailer.outbox(200)).find((m) => m.to === `${userId}@example.test`)?.text ?? '')?.[1] ?? '';
    const client = new TestClient(t.app);
    const signIn = await client.post(`/api/v1/classic/${spaceKey}/sign-in`, { userId, password: initial, newPassword: 'a long new passphrase' });
    expect(signIn.status).toBe(200);
    return { client, id: created.body.id as number, csrf: signIn.body.csrfToken as string };
  }
  type Classic = Awaited<ReturnType<typeof classicUser>>;
  let cal: Classic;
  let kim: Classic;
  let gia: Classic;
  let lee: Classic;
  const v2 = (u: Classic, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, form?: Form) =>
    u.client.request(method, `/api/v2${path}`, form ? encodeForm(form) : undefined, {
      'x-toride-space': spaceKey,
      'x-csrf-token': u.csrf,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    });
  const sees = async (u: Classic) => (await v2(u, 'GET', '/projects/CREW')).status;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Classic Teams' });
    adminKey = await apiKeyOf(admin);
    // An org team from before the space went classic: not a team of the classic space.
    expect((await admin.client.request('POST', `/api/v1/orgs/${admin.orgId}/teams`, { name: 'Org only', memberIds: [admin.accountId] })).status).toBe(201);
    expect((await backlog(t, adminKey, 'POST', '/projects', { name: 'Before classic', key: 'OLD' })).status).toBe(201);
    orgTeamId = (await backlog(t, adminKey, 'GET', '/teams')).body[0].id;
    expect((await backlog(t, adminKey, 'POST', '/projects/OLD/teams', { teamId: orgTeamId })).status).toBe(200);
    expect((await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/classic`, { userLimit: 10 })).status).toBe(200);
    spaceKey = (await backlog(t, adminKey, 'GET', '/space')).body.spaceKey;
    cal = await classicUser('cal', 1);
    kim = await classicUser('kim', 2);
    gia = await classicUser('gia', 5);
    lee = await classicUser('lee', 2);
    expect((await backlog(t, adminKey, 'POST', '/projects', { name: 'Crew work', key: 'CREW' })).status).toBe(201);
    const other = await signUpUser(t, { orgName: 'Other classic' });
    otherKey = await apiKeyOf(other);
    expect((await other.client.request('PUT', `/api/v1/orgs/${other.orgId}/projects/classic`, { userLimit: 5 })).status).toBe(200);
  });
  afterAll(async () => t.close());

  it('Administrators create, edit and delete classic teams of classic users; org teams are not listed; identity never sees them', async () => {
    const created = await v2(cal, 'POST', '/teams', { name: 'Crew', members: [kim.id, gia.id] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Crew', createdUser: { id: cal.id, userId: 'cal', roleType: 1 }, updatedUser: { id: cal.id } });
    expect(created.body.members.map((u: { userId: string; roleType: number }) => [u.userId, u.roleType])).toEqual([
      ['kim', 2],
      ['gia', 5],
    ]);
    const listed = (await backlog(t, adminKey, 'GET', '/teams')).body.map((x: { name: string }) => x.name);
    expect(listed).toEqual(['Crew']);
    const v1 = (await admin.client.request('GET', `/api/v1/orgs/${admin.orgId}/teams`)).body.items.map((x: { name: string }) => x.name);
    expect(v1).toEqual(['Org only']);

    const patched = await backlog(t, adminKey, 'PATCH', `/teams/${created.body.id}`, { name: 'The Crew', members: [kim.id, gia.id, lee.id] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: created.body.id, name: 'The Crew', updatedUser: { name: 'Ada Admin' } });
    expect(patched.body.members).toHaveLength(3);
    const doomed = await v2(cal, 'POST', '/teams', { name: 'Doomed' });
    const deleted = await v2(cal, 'DELETE', `/teams/${doomed.body.id}`);
    expect(deleted.body).toMatchObject({ id: doomed.body.id, name: 'Doomed' });
    expect((await v2(cal, 'GET', `/teams/${doomed.body.id}`)).status).toBe(404);
    expect((await t.kernel.audit.list({ orgId: admin.orgId, action: 'projects.classic_team_created' })).length).toBe(2);
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'projects.classic_team_deleted' })).toHaveLength(1);
    // A duplicate name is a 400 (code 7).
    expect((await v2(cal, 'POST', '/teams', { name: 'The Crew' })).status).toBe(400);
  });

  it('Normal users and guests cannot manage teams (403, code 5); guests see only their own teams', async () => {
    const denied = await v2(kim, 'POST', '/teams', { name: 'Mine' });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].code).toBe(5);
    const crew = (await v2(kim, 'GET', '/teams')).body.find((x: { name: string }) => x.name === 'The Crew');
    expect((await v2(kim, 'PATCH', `/teams/${crew.id}`, { name: 'Kim was here' })).status).toBe(403);
    expect((await v2(kim, 'DELETE', `/teams/${crew.id}`)).status).toBe(403);
    const solo = await v2(cal, 'POST', '/teams', { name: 'Solo', members: [lee.id] });
    expect((await v2(gia, 'GET', '/teams')).body.map((x: { name: string }) => x.name)).toEqual(['The Crew']);
    expect((await v2(gia, 'GET', `/teams/${solo.body.id}`)).status).toBe(404);
    expect((await v2(kim, 'GET', `/teams/${solo.body.id}`)).status).toBe(200);
  });

  it('a classic team added to a project makes its classic users project members, guests included, until removed', async () => {
    const crew = (await backlog(t, adminKey, 'GET', '/teams')).body.find((x: { name: string }) => x.name === 'The Crew');
    expect([await sees(kim), await sees(gia)]).toEqual([404, 404]);
    const added = await backlog(t, adminKey, 'POST', '/projects/CREW/teams', { teamId: crew.id });
    expect(added.status).toBe(200);
    expect([await sees(kim), await sees(gia), await sees(lee)]).toEqual([200, 200, 200]);
    const users = (await backlog(t, adminKey, 'GET', '/projects/CREW/users')).body.map((u: { userId: string }) => u.userId);
    expect(users).toEqual(expect.arrayContaining(['kim', 'gia', 'lee']));
    const direct = (await backlog(t, adminKey, 'GET', '/projects/CREW/users', { excludeGroupMembers: true })).body.map((u: { userId: string }) => u.userId);
    expect(direct).not.toContain('kim');
    // Kim leaves the team: at once no project.
    expect((await v2(cal, 'PATCH', `/teams/${crew.id}`, { members: [gia.id, lee.id] })).status).toBe(200);
    expect(await sees(kim)).toBe(404);
    // Lee is also a direct member: removing the team keeps Lee, not Gia.
    expect((await backlog(t, adminKey, 'POST', '/projects/CREW/users', { userId: lee.id })).status).toBe(200);
    expect((await backlog(t, adminKey, 'DELETE', '/projects/CREW/teams', { teamId: crew.id })).status).toBe(200);
    expect([await sees(gia), await sees(lee)]).toEqual([404, 200]);
  });

  it('an org team added before the space went classic is no team of the space, but can still be taken out of its project', async () => {
    expect((await backlog(t, adminKey, 'GET', `/teams/${orgTeamId}`)).status).toBe(404);
    expect((await backlog(t, adminKey, 'GET', '/projects/OLD/teams')).body.map((x: { id: number }) => x.id)).toEqual([orgTeamId]);
    expect((await backlog(t, adminKey, 'DELETE', '/projects/OLD/teams', { teamId: orgTeamId })).body).toMatchObject({ id: orgTeamId, name: 'Org only' });
    expect((await backlog(t, adminKey, 'POST', '/projects/OLD/teams', { teamId: orgTeamId })).status).toBe(400);
    expect((await backlog(t, adminKey, 'GET', '/projects/OLD/teams')).body).toEqual([]);
  });

  it("W7.7: another space's team ids answer like missing ones; org teams are not teams of a classic space", async () => {
    const crew = (await backlog(t, adminKey, 'GET', '/teams')).body.find((x: { name: string }) => x.name === 'The Crew');
    for (const method of ['GET', 'DELETE'] as const) {
      const foreign = await backlog(t, otherKey, method, `/teams/${crew.id}`);
      const random = await backlog(t, otherKey, method, '/teams/987654');
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(random.body);
    }
    // Members of another space are not users of this one.
    const poach = await backlog(t, otherKey, 'POST', '/teams', { name: 'Poach', members: [kim.id] });
    expect(poach.status).toBe(400);
    expect((await backlog(t, adminKey, 'GET', '/projects/CREW/teams', {})).body).toEqual([]);
  });
});
