import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog, type Form } from '../../../test/backlog-client';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';

/**
 * W7.2 / issue 3 §5: every role of an organization's space × every project action of this slice.
 * 404 = the project does not exist for the caller (not a member, W7.7); 403 = visible, not allowed.
 */
type Role = 'orgAdmin' | 'projectAdmin' | 'member' | 'guest' | 'outsiderMember' | 'outsiderGuest';
const ROLES: Role[] = ['orgAdmin', 'projectAdmin', 'member', 'guest', 'outsiderMember', 'outsiderGuest'];

interface Action {
  name: string;
  call: (key: string, n: number) => [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, form?: Form];
  expected: Record<Role, number>;
}

const ok = (status: number) => ({ orgAdmin: status, projectAdmin: status, member: status, guest: status, outsiderMember: 404, outsiderGuest: 404 });

describe('W7.2 permission matrix of a project (NormalRoleType + project administrator)', () => {
  let t: TestApp;
  const keys = {} as Record<Role, string>;
  let projectId: number;
  let typeId: number;
  let adminIssueKey: string;
  let memberUserId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const admin = await signUpUser(t);
    keys.orgAdmin = await apiKeyOf(admin);
    for (const [role, orgRole] of [
      ['projectAdmin', 'member'],
      ['member', 'member'],
      ['guest', 'guest'],
      ['outsiderMember', 'member'],
      ['outsiderGuest', 'guest'],
    ] as const) {
      keys[role] = await apiKeyOf(await addMember(t, admin, orgRole, { name: role }));
    }
    const project = await backlog(t, keys.orgAdmin, 'POST', '/projects', { name: 'Matrix', key: 'MATRIX' });
    projectId = project.body.id;
    const idOf = async (role: Role) => (await backlog(t, keys[role], 'GET', '/users/myself')).body.id as number;
    for (const role of ['projectAdmin', 'member', 'guest'] as const) await backlog(t, keys.orgAdmin, 'POST', '/projects/MATRIX/users', { userId: await idOf(role) });
    await backlog(t, keys.orgAdmin, 'POST', '/projects/MATRIX/administrators', { userId: await idOf('projectAdmin') });
    memberUserId = await idOf('member');
    typeId = (await backlog(t, keys.orgAdmin, 'GET', '/projects/MATRIX/issueTypes')).body[0].id;
    adminIssueKey = (await backlog(t, keys.orgAdmin, 'POST', '/issues', { projectId, summary: 'Admin issue', issueTypeId: typeId, priorityId: 3 })).body.issueKey;
  });
  afterAll(async () => t.close());

  const actions: Action[] = [
    { name: 'view project', call: () => ['GET', '/projects/MATRIX'], expected: ok(200) },
    { name: 'list project users', call: () => ['GET', '/projects/MATRIX/users'], expected: ok(200) },
    { name: 'update project', call: (_k, n) => ['PATCH', '/projects/MATRIX', { name: `Matrix ${n}` }], expected: { ...ok(403), orgAdmin: 200, projectAdmin: 200 } },
    { name: 'add issue type', call: (_k, n) => ['POST', '/projects/MATRIX/issueTypes', { name: `Type ${n}`, color: '#e30000' }], expected: { ...ok(403), orgAdmin: 201, projectAdmin: 201 } },
    { name: 'add status', call: (_k, n) => ['POST', '/projects/MATRIX/statuses', { name: `Status ${n}`, color: '#393939' }], expected: { ...ok(403), orgAdmin: 201, projectAdmin: 201 } },
    { name: 'add category', call: (_k, n) => ['POST', '/projects/MATRIX/categories', { name: `Cat ${n}` }], expected: ok(201) },
    { name: 'add version', call: (_k, n) => ['POST', '/projects/MATRIX/versions', { name: `V ${n}` }], expected: ok(201) },
    { name: 'add issue', call: (_k, n) => ['POST', '/issues', { projectId: 0, summary: `Issue ${n}`, issueTypeId: 0, priorityId: 3 }], expected: ok(201) },
    { name: 'update issue', call: (_k, n) => ['PATCH', '/issues/MATRIX-1', { summary: `Edited ${n}` }], expected: ok(200) },
    { name: 'comment', call: () => ['POST', '/issues/MATRIX-1/comments', { content: 'hi' }], expected: ok(201) },
    { name: "delete another's issue", call: () => ['DELETE', `/issues/${adminIssueKey}`], expected: { ...ok(403), orgAdmin: 200, projectAdmin: 200 } },
    { name: 'create project', call: (_k, n) => ['POST', '/projects', { name: `P ${n}`, key: `PX${n}` }], expected: { orgAdmin: 201, projectAdmin: 403, member: 403, guest: 403, outsiderMember: 403, outsiderGuest: 403 } },
    { name: 'appoint project admin (flag off)', call: () => ['POST', '/projects/MATRIX/administrators', { userId: 0 }], expected: { ...ok(403), orgAdmin: 200 } },
  ];

  it.each(actions.map((a) => [a.name, a] as const))('W7.2 %s', async (_name, action) => {
    let n = 0;
    const seen: Record<string, number> = {};
    for (const role of ROLES) {
      n++;
      const [method, path, form] = action.call(keys[role], n);
      // Fill in ids known only after set-up; re-create what a previous role deleted or changed.
      if (form && 'projectId' in form) Object.assign(form, { projectId, issueTypeId: typeId });
      if (form && 'userId' in form) {
        Object.assign(form, { userId: memberUserId });
        await backlog(t, keys.orgAdmin, 'DELETE', '/projects/MATRIX/administrators', { userId: memberUserId });
      }
      if (action.name.startsWith('delete')) {
        adminIssueKey = (await backlog(t, keys.orgAdmin, 'POST', '/issues', { projectId, summary: 'Admin issue', issueTypeId: typeId, priorityId: 3 })).body.issueKey;
      }
      const response = await backlog(t, keys[role], method, action.name.startsWith('delete') ? `/issues/${adminIssueKey}` : path, form);
      seen[role] = response.status;
      if (response.status >= 400) expect(response.body.errors[0].code).toBe(response.status === 404 ? 6 : 5);
    }
    expect(seen).toEqual(action.expected);
  });

  it('W7.2 project admins appoint each other only when projectLeaderCanEditProjectLeader is on; guests never become one', async () => {
    await backlog(t, keys.orgAdmin, 'PATCH', '/projects/MATRIX', { projectLeaderCanEditProjectLeader: true });
    await backlog(t, keys.orgAdmin, 'DELETE', '/projects/MATRIX/administrators', { userId: memberUserId });
    const appointed = await backlog(t, keys.projectAdmin, 'POST', '/projects/MATRIX/administrators', { userId: memberUserId });
    expect(appointed.status).toBe(200);
    const admins = await backlog(t, keys.member, 'GET', '/projects/MATRIX/administrators');
    expect(admins.body.map((u: { name: string }) => u.name).sort()).toEqual(['Ada Admin', 'member', 'projectAdmin'].sort());
    const guestId = (await backlog(t, keys.guest, 'GET', '/users/myself')).body.id;
    const guestAdmin = await backlog(t, keys.orgAdmin, 'POST', '/projects/MATRIX/administrators', { userId: guestId });
    expect(guestAdmin.status).toBe(400);
  });
});
