import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog, type Form } from '../../../test/backlog-client';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';

/**
 * W7.2 / issue 3 §5: every NormalRoleType (1 admin, 2 member/guest, 3 "add issues only", 4 "view
 * only") with and without project administration × every project action, wiki and documents included.
 * 404 = the project does not exist for the caller (W7.7); 403 = visible but not allowed.
 */
const ROLES = ['orgAdmin', 'projectAdmin', 'member', 'guest', 'addIssuesOnly', 'viewOnly', 'restrictedProjectAdmin', 'outsider'] as const;
type Role = (typeof ROLES)[number];
type Expected = Record<Role, number>;

const all = (status: number, denied = 403): Expected => ({
  orgAdmin: status,
  projectAdmin: status,
  member: status,
  guest: status,
  addIssuesOnly: denied,
  viewOnly: denied,
  restrictedProjectAdmin: denied,
  outsider: 404,
});

describe('W7.2 roleType 1–4 × project administrator × every project action', () => {
  let t: TestApp;
  let admin: TestUser;
  const keys = {} as Record<Role, string>;
  const users = {} as Record<Role, TestUser>;
  let projectId: number;
  let typeId: number;
  let wikiId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin' });
    users.orgAdmin = admin;
    keys.orgAdmin = await apiKeyOf(admin);
    for (const role of ROLES.slice(1)) {
      users[role] = await addMember(t, admin, role === 'guest' ? 'guest' : 'member', { name: role });
      keys[role] = await apiKeyOf(users[role]);
    }
    for (const [role, restriction] of [['addIssuesOnly', 'add_issues_only'], ['viewOnly', 'view_only'], ['restrictedProjectAdmin', 'add_issues_only']] as const) {
      const r = await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/${users[role].accountId}`, { restriction });
      expect(r.status).toBe(200);
    }
    projectId = (await backlog(t, keys.orgAdmin, 'POST', '/projects', { name: 'Roles', key: 'RM' })).body.id;
    for (const role of ROLES.slice(1, -1)) {
      const id = (await backlog(t, keys[role], 'GET', '/users/myself')).body.id;
      expect((await backlog(t, keys.orgAdmin, 'POST', '/projects/RM/users', { userId: id })).status).toBe(200);
      if (role === 'projectAdmin' || role === 'restrictedProjectAdmin') await backlog(t, keys.orgAdmin, 'POST', '/projects/RM/administrators', { userId: id });
    }
    typeId = (await backlog(t, keys.orgAdmin, 'GET', '/projects/RM/issueTypes')).body[0].id;
    await backlog(t, keys.orgAdmin, 'POST', '/issues', { projectId, summary: 'First', issueTypeId: typeId, priorityId: 3 });
    wikiId = (await backlog(t, keys.orgAdmin, 'POST', '/wikis', { projectId, name: 'Home', content: 'x' })).body.id;
  });
  afterAll(async () => t.close());

  const issue = (n: number): Form => ({ projectId: 0, summary: `Issue ${n}`, issueTypeId: 0, priorityId: 3 });
  const actions: [string, (n: number) => [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, form?: Form], Expected][] = [
    ['view project', () => ['GET', '/projects/RM'], all(200, 200)],
    ['read issues', () => ['GET', '/issues/RM-1'], all(200, 200)],
    ['read wiki', () => ['GET', '/wikis?projectIdOrKey=RM'], all(200, 200)],
    ['update project', (n) => ['PATCH', '/projects/RM', { name: `Roles ${n}` }], { ...all(403), orgAdmin: 200, projectAdmin: 200 }],
    ['add issue type', (n) => ['POST', '/projects/RM/issueTypes', { name: `T${n}`, color: '#e30000' }], { ...all(403), orgAdmin: 201, projectAdmin: 201 }],
    ['add status', (n) => ['POST', '/projects/RM/statuses', { name: `S${n}`, color: '#393939' }], { ...all(403), orgAdmin: 201, projectAdmin: 201 }],
    ['add category', (n) => ['POST', '/projects/RM/categories', { name: `C${n}` }], all(201)],
    ['add version', (n) => ['POST', '/projects/RM/versions', { name: `V${n}` }], all(201)],
    ['add issue', (n) => ['POST', '/issues', issue(n)], { ...all(201), addIssuesOnly: 201, restrictedProjectAdmin: 201 }],
    ['update issue', (n) => ['PATCH', '/issues/RM-1', { summary: `Edited ${n}` }], all(200)],
    ['comment', () => ['POST', '/issues/RM-1/comments', { content: 'hi' }], { ...all(201), addIssuesOnly: 201, restrictedProjectAdmin: 201 }],
    ['add wiki page', (n) => ['POST', '/wikis', { projectId: 0, name: `Page ${n}`, content: 'c' }], all(201)],
    ['edit wiki page', (n) => ['PATCH', `/wikis/0`, { content: `v${n}` }], all(200)],
    ['add document', (n) => ['POST', '/documents', { projectId: 0, title: `Doc ${n}` }], all(201)],
    ['create project', (n) => ['POST', '/projects', { name: `P${n}`, key: `PX${n}` }], { ...all(403), outsider: 403, orgAdmin: 201, projectAdmin: 403, member: 403, guest: 403 }],
  ];

  it.each(actions)('W7.2 %s', async (_name, call, expected) => {
    const seen = {} as Record<Role, number>;
    let n = 0;
    for (const role of ROLES) {
      const [method, path, form] = call(++n);
      if (form && 'projectId' in form) Object.assign(form, { projectId, ...('issueTypeId' in form ? { issueTypeId: typeId } : {}) });
      const response = await backlog(t, keys[role], method, path.replace('/wikis/0', `/wikis/${wikiId}`), form);
      seen[role] = response.status;
      if (response.status >= 400) expect(response.body.errors[0].code).toBe(response.status === 404 ? 6 : 5);
    }
    expect(seen).toEqual(expected);
  });

  it('GET /users reflects the restrictions as roleType; only admins set them; admins cannot be restricted', async () => {
    const listed = (await backlog(t, keys.member, 'GET', '/users')).body as { name: string; roleType: number }[];
    const roleOf = (name: string) => listed.find((u) => u.name === name)?.roleType;
    expect([roleOf('Ada Admin'), roleOf('member'), roleOf('guest'), roleOf('addIssuesOnly'), roleOf('viewOnly'), roleOf('restrictedProjectAdmin')]).toEqual([1, 2, 2, 3, 4, 3]);
    expect((await backlog(t, keys.viewOnly, 'GET', '/users/myself')).body.roleType).toBe(4);

    const denied = await users.member.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/${users.guest.accountId}`, { restriction: 'view_only' });
    expect(denied.status).toBe(403);
    const adminTarget = await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/${admin.accountId}`, { restriction: 'view_only' });
    expect(adminTarget.status).toBe(400);
    expect((await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/nobody`, { restriction: 'view_only' })).status).toBe(404);
    expect((await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/${users.guest.accountId}`, { restriction: 'everything' })).status).toBe(400);
    const other = await signUpUser(t, { orgName: 'Other' });
    expect((await other.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/${users.guest.accountId}`, { restriction: 'view_only' })).status).toBe(404);
    expect((await admin.client.get(`/api/v1/orgs/${admin.orgId}/projects/restrictions`)).body.restrictions).toHaveLength(3);

    // Lifting a restriction gives the member back their rights at once.
    await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/${users.viewOnly.accountId}`, { restriction: 'none' });
    expect((await backlog(t, keys.viewOnly, 'GET', '/users/myself')).body.roleType).toBe(2);
    expect((await backlog(t, keys.viewOnly, 'POST', '/issues/RM-1/comments', { content: 'back' })).status).toBe(201);
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'projects.restriction_changed' })).toHaveLength(4);
  });
});
