import { Backlog } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, type Form } from '../../../test/backlog-client';

type V1Team = { id: string; name: string; members: { accountId: string }[] };

/** W5.2: Backlog `/teams` in an organization's space ARE the org's teams in identity (`/api/v1/orgs/:org/teams`). */
describe('Backlog teams in an organization space (backlog-js 0.20.1, W5.2)', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let guest: TestUser;
  let client: Backlog;
  let memberClient: Backlog;
  let adminKey: string;
  let memberKey: string;
  let guestKey: string;
  let otherKey: string;
  let ids: { admin: number; member: number; guest: number };

  const v1Teams = async (): Promise<V1Team[]> => (await admin.client.request('GET', `/api/v1/orgs/${admin.orgId}/teams`)).body.items;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Team Co' });
    member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    guest = await addMember(t, admin, 'guest', { name: 'Gus Guest' });
    [adminKey, memberKey, guestKey] = await Promise.all([apiKeyOf(admin), apiKeyOf(member), apiKeyOf(guest)]);
    otherKey = await apiKeyOf(await signUpUser(t, { orgName: 'Other Co' }));
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const clientFor = (apiKey: string) => new Backlog({ host: `127.0.0.1:${address.port}`, apiKey, fetch: (url, init) => fetch(String(url).replace(/^https:\/\//, 'http://'), init) });
    client = clientFor(adminKey);
    memberClient = clientFor(memberKey);
    ids = {
      admin: (await client.getMyself()).id,
      member: (await memberClient.getMyself()).id,
      guest: (await clientFor(guestKey).getMyself()).id,
    };
  });
  afterAll(async () => t.close());

  it('postTeam, getTeams, getTeam, patchTeam, deleteTeam return Backlog Team values; identity holds the same team', async () => {
    const created = await client.postTeam({ name: 'Designers', members: [ids.member, ids.admin] });
    expect(created).toMatchObject({ name: 'Designers', displayOrder: null, createdUser: { id: ids.admin, name: 'Ada Admin' }, updatedUser: { id: ids.admin } });
    expect(typeof created.id).toBe('number');
    expect(created.members.map((u) => [u.id, u.name]).sort()).toEqual([[ids.admin, 'Ada Admin'], [ids.member, 'Mia Member']].sort());
    expect(created.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const inIdentity = (await v1Teams()).find((team) => team.name === 'Designers');
    expect(inIdentity?.members.map((m) => m.accountId).sort()).toEqual([admin.accountId, member.accountId].sort());
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'team.created' })).toHaveLength(1);

    expect((await client.getTeams()).map((team) => team.name)).toContain('Designers');
    expect(await client.getTeam(created.id)).toMatchObject({ id: created.id, name: 'Designers' });

    const patched = await client.patchTeam(created.id, { name: 'Design', members: [ids.guest] });
    expect(patched).toMatchObject({ id: created.id, name: 'Design', members: [{ id: ids.guest, name: 'Gus Guest' }], updatedUser: { id: ids.admin } });
    expect((await v1Teams()).find((team) => team.id === inIdentity?.id)).toMatchObject({ name: 'Design', members: [{ accountId: guest.accountId }] });

    const deleted = await client.deleteTeam(created.id);
    expect(deleted).toMatchObject({ id: created.id, name: 'Design' });
    expect((await v1Teams()).some((team) => team.id === inIdentity?.id)).toBe(false);
    expect((await backlog(t, adminKey, 'GET', `/teams/${created.id}`)).status).toBe(404);
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'team.deleted' })).toHaveLength(1);
  });

  it('a team made in identity (/api/v1) shows in getTeams with numbered members; its edits and deletion follow', async () => {
    const made = await admin.client.request('POST', `/api/v1/orgs/${admin.orgId}/teams`, { name: 'Ops', memberIds: [member.accountId] });
    expect(made.status).toBe(201);
    const ops = (await client.getTeams()).find((team) => team.name === 'Ops');
    expect(ops?.members.map((u) => u.id)).toEqual([ids.member]);
    expect(ops?.createdUser.id).toBe(ids.admin);
    // The same number every time (like space users).
    expect((await client.getTeams()).find((team) => team.name === 'Ops')?.id).toBe(ops?.id);

    expect((await admin.client.request('PATCH', `/api/v1/orgs/${admin.orgId}/teams/${made.body.id}`, { memberIds: [admin.accountId, guest.accountId] })).status).toBe(200);
    expect((await client.getTeam(ops?.id ?? 0)).members.map((u) => u.id).sort()).toEqual([ids.admin, ids.guest].sort());

    expect((await admin.client.request('DELETE', `/api/v1/orgs/${admin.orgId}/teams/${made.body.id}`)).status).toBe(204);
    const gone = await backlog(t, adminKey, 'GET', `/teams/${ops?.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0].code).toBe(6);
  });

  it("identity's rules: members manage teams, guests get 403 (code 5) and see only their own teams; getTeamIcon", async () => {
    const byMember = await memberClient.postTeam({ name: 'Members made this', members: [ids.member] });
    expect(byMember.createdUser.id).toBe(ids.member);
    const denied = await backlog(t, guestKey, 'POST', '/teams', { name: 'Guests made this' });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].code).toBe(5);
    expect((await v1Teams()).some((team) => team.name === 'Guests made this')).toBe(false);

    const withGuest = await client.postTeam({ name: 'With guest', members: [ids.guest] });
    const guestSees = (await backlog(t, guestKey, 'GET', '/teams')).body.map((team: { name: string }) => team.name);
    expect(guestSees).toEqual(['With guest']);
    expect((await backlog(t, guestKey, 'GET', `/teams/${byMember.id}`)).status).toBe(404);
    expect((await backlog(t, guestKey, 'GET', `/teams/${withGuest.id}`)).status).toBe(200);
    expect((await backlog(t, guestKey, 'PATCH', `/teams/${withGuest.id}`, { name: 'Renamed by guest' })).status).toBe(403);

    const icon = await backlog(t, adminKey, 'GET', `/teams/${withGuest.id}/icon`);
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/png');
    const file = await client.getTeamIcon(withGuest.id);
    expect(['filename' in file ? file.filename : null, file.contentType]).toEqual(['team.png', 'image/png']);
    expect((await backlog(t, guestKey, 'GET', `/teams/${byMember.id}/icon`)).status).toBe(404);
  });

  it('getTeams pages with order, offset and count', async () => {
    for (const name of ['Page A', 'Page B', 'Page C']) await client.postTeam({ name });
    const all = (await client.getTeams({ order: 'asc', count: 100 })).map((team) => team.name);
    expect(all.indexOf('Page A')).toBeLessThan(all.indexOf('Page B'));
    const newestFirst = await client.getTeams({ count: 2 });
    expect(newestFirst.map((team) => team.name)).toEqual(['Page C', 'Page B']);
    expect((await client.getTeams({ count: 2, offset: 1 })).map((team) => team.name)).toEqual(['Page B', 'Page A']);
  });

  it('401, 400 (code 7), 404 (code 6)', async () => {
    const noKey = await backlog(t, null, 'GET', '/teams');
    expect(noKey.status).toBe(401);
    expect(noKey.body.errors[0].code).toBe(11);
    for (const form of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'Bad members', members: ['abc'] }, { name: 'Ghost', members: [987654] }] as Form[]) {
      const response = await backlog(t, adminKey, 'POST', '/teams', form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(response.body.errors[0].code).toBe(7);
    }
    await client.postTeam({ name: 'Unique' });
    expect((await backlog(t, adminKey, 'POST', '/teams', { name: 'Unique' })).body.errors[0]).toMatchObject({ code: 7 });
    expect((await backlog(t, adminKey, 'GET', '/teams', { count: 101 })).status).toBe(400);
    expect((await backlog(t, adminKey, 'GET', '/teams/abc')).status).toBe(400);
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const missing = await backlog(t, adminKey, method, '/teams/987654', method === 'PATCH' ? { name: 'x' } : undefined);
      expect(missing.status, method).toBe(404);
      expect(missing.body.errors[0].code).toBe(6);
    }
  });

  it('W7.7 cross-tenant: a team or user id of another org answers exactly like one that does not exist', async () => {
    const mine = await client.postTeam({ name: 'Private', members: [ids.member] });
    for (const [method, form] of [
      ['GET', undefined],
      ['PATCH', { name: 'pwned' }],
      ['DELETE', undefined],
    ] as const) {
      const foreign = await backlog(t, otherKey, method, `/teams/${mine.id}`, form);
      const random = await backlog(t, otherKey, method, '/teams/987654', form);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(random.body);
    }
    expect((await backlog(t, otherKey, 'GET', `/teams/${mine.id}/icon`)).body).toEqual((await backlog(t, otherKey, 'GET', '/teams/987654/icon')).body);
    expect((await backlog(t, otherKey, 'GET', '/teams')).body.map((team: { id: number }) => team.id)).not.toContain(mine.id);
    // Org B cannot put org A's users in its teams, nor add org A's team to its projects.
    const foreignUser = await backlog(t, otherKey, 'POST', '/teams', { name: 'Poach', members: [ids.member] });
    const randomUser = await backlog(t, otherKey, 'POST', '/teams', { name: 'Poach', members: [987654] });
    expect([foreignUser.status, randomUser.status]).toEqual([400, 400]);
    expect(foreignUser.body.errors[0]).toEqual({ ...randomUser.body.errors[0], message: `No such user in this space: ${ids.member}.` });
    await backlog(t, otherKey, 'POST', '/projects', { name: 'Theirs', key: 'THEIRS' });
    const foreignTeam = await backlog(t, otherKey, 'POST', '/projects/THEIRS/teams', { teamId: mine.id });
    const randomTeam = await backlog(t, otherKey, 'POST', '/projects/THEIRS/teams', { teamId: 987654 });
    expect(foreignTeam.status).toBe(400);
    expect(foreignTeam.body).toEqual(randomTeam.body);
    expect((await client.getTeam(mine.id)).name).toBe('Private');
  });
});
