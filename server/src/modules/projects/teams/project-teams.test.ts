import { Backlog } from 'backlog-js';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { projectsRegions, purgeProjectsOrganization } from '../projects.purge';

/** W5.2: a team added to a project makes its members project members, for as long as both hold. */
describe('teams as project members (backlog-js 0.20.1, W5.2)', () => {
  let t: TestApp;
  let admin: TestUser;
  let tia: TestUser;
  let client: Backlog;
  let adminKey: string;
  let tiaKey: string;
  let guestKey: string;
  let leadKey: string;
  let ids: { tia: number; guest: number; lead: number; direct: number };
  let projectId: number;
  let issueId: number;
  let teamId: number;
  let identityTeamId: string;
  let members: string[];

  const setIdentityMembers = async (accountIds: string[]) =>
    expect((await admin.client.request('PATCH', `/api/v1/orgs/${admin.orgId}/teams/${identityTeamId}`, { memberIds: accountIds })).status).toBe(200);

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Team Projects' });
    tia = await addMember(t, admin, 'member', { name: 'Tia Teammate' });
    const guest = await addMember(t, admin, 'guest', { name: 'Gil Guest' });
    const lead = await addMember(t, admin, 'member', { name: 'Lou Lead' });
    const direct = await addMember(t, admin, 'member', { name: 'Dee Direct' });
    [adminKey, tiaKey, guestKey, leadKey] = await Promise.all([apiKeyOf(admin), apiKeyOf(tia), apiKeyOf(guest), apiKeyOf(lead)]);
    const directKey = await apiKeyOf(direct);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    client = new Backlog({ host: `127.0.0.1:${address.port}`, apiKey: adminKey, fetch: (url, init) => fetch(String(url).replace(/^https:\/\//, 'http://'), init) });
    const idOf = async (key: string) => (await backlog(t, key, 'GET', '/users/myself')).body.id as number;
    ids = { tia: await idOf(tiaKey), guest: await idOf(guestKey), lead: await idOf(leadKey), direct: await idOf(directKey) };

    const project = await client.postProject({ name: 'Orbit', key: 'ORBIT', chartEnabled: false, subtaskingEnabled: false, projectLeaderCanEditProjectLeader: false, textFormattingRule: 'markdown' });
    projectId = project.id;
    const [type] = await client.getIssueTypes(projectId);
    issueId = (await client.postIssue({ projectId, summary: 'Launch window', issueTypeId: type?.id ?? 0, priorityId: 3 })).id;
    // Lou is a plain project member (not a project admin); Dee is a direct member and in the team.
    await client.postProjectUser(projectId, String(ids.lead));
    await client.postProjectUser(projectId, String(ids.direct));
    members = [tia.accountId, guest.accountId, direct.accountId];
    const team = await admin.client.request('POST', `/api/v1/orgs/${admin.orgId}/teams`, { name: 'Orbiters', memberIds: members });
    identityTeamId = team.body.id;
    teamId = (await client.getTeams()).find((x) => x.name === 'Orbiters')?.id ?? 0;
  });
  afterAll(async () => t.close());

  const sees = async (key: string) => {
    const issue = await backlog(t, key, 'GET', `/issues/${issueId}`);
    const projects = (await backlog(t, key, 'GET', '/projects')).body as { id: number }[];
    return { issue: issue.status, listed: projects.some((p) => p.id === projectId) };
  };

  it('before the team is added, a team member does not see the project (404, not listed)', async () => {
    expect(await sees(tiaKey)).toEqual({ issue: 404, listed: false });
    expect(await client.getProjectTeams(projectId)).toEqual([]);
  });

  it('postProjectTeam: team members read issues, act as plain members, are listed unless excludeGroupMembers; a guest in the team sees the project', async () => {
    const added = await client.postProjectTeam(projectId, teamId);
    expect(added).toMatchObject({ id: teamId, name: 'Orbiters' });
    expect(added.members.map((u) => u.id).sort()).toEqual([ids.tia, ids.guest, ids.direct].sort());
    expect((await client.getProjectTeams('ORBIT')).map((x) => [x.id, x.name])).toEqual([[teamId, 'Orbiters']]);

    expect(await sees(tiaKey)).toEqual({ issue: 200, listed: true });
    expect(await sees(guestKey)).toEqual({ issue: 200, listed: true });
    // A plain member's actions: add an issue and comment; not a project admin's (managing members).
    const [type] = await client.getIssueTypes(projectId);
    const created = await backlog(t, tiaKey, 'POST', '/issues', { projectId, summary: 'From the team', issueTypeId: type?.id ?? 0, priorityId: 3 });
    expect(created.status).toBe(201);
    expect((await backlog(t, tiaKey, 'POST', `/issues/${issueId}/comments`, { content: 'on it' })).status).toBe(201);
    expect((await backlog(t, tiaKey, 'POST', '/projects/ORBIT/users', { userId: ids.lead })).status).toBe(403);
    // Team members are project members for choice lists: assignable.
    expect((await backlog(t, adminKey, 'PATCH', `/issues/${issueId}`, { assigneeId: ids.tia })).body.assignee).toMatchObject({ id: ids.tia });

    const users = (await client.getProjectUsers(projectId)).map((u) => u.id);
    expect(users).toEqual(expect.arrayContaining([ids.tia, ids.guest, ids.direct, ids.lead]));
    expect(users.filter((id) => id === ids.direct)).toHaveLength(1);
    const direct = (await backlog(t, adminKey, 'GET', '/projects/ORBIT/users', { excludeGroupMembers: true })).body.map((u: { id: number }) => u.id);
    expect(direct).toEqual(expect.arrayContaining([ids.lead, ids.direct]));
    expect(direct).not.toContain(ids.tia);
    expect(direct).not.toContain(ids.guest);
    // Team-only members are not direct members: removing them as users is refused; adding them directly works.
    expect((await backlog(t, adminKey, 'DELETE', '/projects/ORBIT/users', { userId: ids.guest })).status).toBe(400);
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'project.team_added' })).toHaveLength(1);
  });

  it('a user taken out of the team loses the project at once; put back, they regain it', async () => {
    await setIdentityMembers([tia.accountId, members[2] as string]);
    expect(await sees(guestKey)).toEqual({ issue: 404, listed: false });
    expect(await sees(tiaKey)).toEqual({ issue: 200, listed: true });
    await setIdentityMembers(members);
    expect(await sees(guestKey)).toEqual({ issue: 200, listed: true });
    // Through the Backlog API as well.
    await client.patchTeam(teamId, { members: [ids.guest, ids.direct] });
    expect(await sees(tiaKey)).toEqual({ issue: 404, listed: false });
    await client.patchTeam(teamId, { members: [ids.tia, ids.guest, ids.direct] });
    expect(await sees(tiaKey)).toEqual({ issue: 200, listed: true });
    // The project's user list follows identity at once.
    await setIdentityMembers([tia.accountId, members[2] as string]);
    expect((await client.getProjectUsers(projectId)).map((u) => u.id)).not.toContain(ids.guest);
    await setIdentityMembers(members);
    expect((await client.getProjectUsers(projectId)).map((u) => u.id)).toContain(ids.guest);
    // Notifications reach team members only while they are in the team: identity's team events keep the
    // copy of other users' memberships current (nobody reads the team between the change and the comment).
    await setIdentityMembers([tia.accountId, members[2] as string]);
    await t.kernel.events.drain();
    const whileOut = await backlog(t, adminKey, 'POST', `/issues/${issueId}/comments`, { content: 'while out', notifiedUserId: [ids.guest] });
    await setIdentityMembers(members);
    await t.kernel.events.drain();
    const whileIn = await backlog(t, adminKey, 'POST', `/issues/${issueId}/comments`, { content: 'while in', notifiedUserId: [ids.guest] });
    const notified = (await backlog(t, guestKey, 'GET', '/notifications', { count: 100 })).body.map((n: { comment: { id: number } | null }) => n.comment?.id);
    expect(notified).toContain(whileIn.body.id);
    expect(notified).not.toContain(whileOut.body.id);
  });

  it('deleteProjectTeam removes the access of team-only members; direct members keep theirs', async () => {
    const removed = await client.deleteProjectTeam(projectId, teamId);
    expect(removed).toMatchObject({ id: teamId, name: 'Orbiters' });
    expect(await sees(tiaKey)).toEqual({ issue: 404, listed: false });
    expect(await sees(guestKey)).toEqual({ issue: 404, listed: false });
    const dee = (await client.getProjectUsers(projectId)).map((u) => u.id);
    expect(dee).toContain(ids.direct);
    expect(dee).not.toContain(ids.tia);
    expect(await client.getProjectTeams(projectId)).toEqual([]);
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'project.team_removed' })).toHaveLength(1);
    // Activities 25 (ProjectGroupAdded) and 26 (ProjectGroupDeleted), as backlog-js types them.
    const activities = await client.getProjectActivities(projectId, { activityTypeId: [25, 26] });
    expect(activities.map((a) => [a.type, a.content])).toEqual([
      [26, { parties: [{ id: teamId, name: 'Orbiters' }] }],
      [25, { parties: [{ id: teamId, name: 'Orbiters' }] }],
    ]);
  });

  it('deleting the team (in identity) ends access through it', async () => {
    await client.postProjectTeam(projectId, teamId);
    expect(await sees(tiaKey)).toEqual({ issue: 200, listed: true });
    expect((await admin.client.request('DELETE', `/api/v1/orgs/${admin.orgId}/teams/${identityTeamId}`)).status).toBe(204);
    expect(await sees(tiaKey)).toEqual({ issue: 404, listed: false });
    expect(await client.getProjectTeams(projectId)).toEqual([]);
  });

  it('403 for members who do not manage the project, 400 (code 7) for bad or repeated teams, 404 for unknown projects', async () => {
    const team = await client.postTeam({ name: 'Second', members: [ids.tia] });
    const byLead = await backlog(t, leadKey, 'POST', '/projects/ORBIT/teams', { teamId: team.id });
    expect(byLead.status).toBe(403);
    expect(byLead.body.errors[0].code).toBe(5);
    expect((await backlog(t, tiaKey, 'GET', '/projects/ORBIT/teams')).status).toBe(404);
    expect((await backlog(t, adminKey, 'POST', '/projects/ORBIT/teams', {})).body.errors[0].code).toBe(7);
    expect((await backlog(t, adminKey, 'POST', '/projects/ORBIT/teams', { teamId: 'x' })).status).toBe(400);
    expect((await backlog(t, adminKey, 'POST', '/projects/ORBIT/teams', { teamId: team.id })).status).toBe(200);
    const again = await backlog(t, adminKey, 'POST', '/projects/ORBIT/teams', { teamId: team.id });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].code).toBe(7);
    expect((await backlog(t, leadKey, 'DELETE', '/projects/ORBIT/teams', { teamId: team.id })).status).toBe(403);
    expect((await backlog(t, adminKey, 'DELETE', '/projects/ORBIT/teams', { teamId: team.id })).status).toBe(200);
    expect((await backlog(t, adminKey, 'DELETE', '/projects/ORBIT/teams', { teamId: team.id })).status).toBe(400);
    expect((await backlog(t, null, 'GET', '/projects/ORBIT/teams')).status).toBe(401);
    const unknown = await backlog(t, adminKey, 'GET', '/projects/NOPE/teams');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].code).toBe(6);
  });

  it("purging the org deletes its teams, team members and project teams, and nothing of another org's", async () => {
    const other = await signUpUser(t, { orgName: 'Bystander' });
    const otherKey = await apiKeyOf(other);
    await backlog(t, otherKey, 'POST', '/projects', { name: 'Stay', key: 'STAY' });
    const kept = (await backlog(t, otherKey, 'POST', '/teams', { name: 'Keepers', members: [(await backlog(t, otherKey, 'GET', '/users/myself')).body.id] })).body;
    expect((await backlog(t, otherKey, 'POST', '/projects/STAY/teams', { teamId: kept.id })).status).toBe(200);
    const team = await client.postTeam({ name: 'Purged', members: [ids.tia] });
    await client.postProjectTeam(projectId, team.id);
    const count = async (orgId: string) => {
      let n = 0;
      for (const region of projectsRegions(t.kernel)) {
        const db = (await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(region))).db as Kysely<ProjectsDb>;
        for (const table of ['space_teams', 'space_team_members', 'project_teams'] as const) {
          n += Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()).n);
        }
      }
      return n;
    };
    expect(await count(admin.orgId)).toBeGreaterThan(0);
    const before = await count(other.orgId);
    expect(before).toBe(3);
    let done = false;
    for (let round = 0; round < 100 && !done; round++) done = (await purgeProjectsOrganization(t.kernel, admin.orgId, 500)).done;
    expect(done).toBe(true);
    expect(await count(admin.orgId)).toBe(0);
    expect(await count(other.orgId)).toBe(before);
  }, 120_000);
});
