import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, type Form } from '../../../test/backlog-client';

describe('Backlog API v2: projects, members and settings (issue 3 §1, W5.2, W7.2)', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminKey: string;
  let memberKey: string;
  let guestKey: string;
  let memberId: number;
  let guestId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { orgName: 'Acme' });
    adminKey = await apiKeyOf(admin);
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    const guest = await addMember(t, admin, 'guest', { name: 'Gus Guest' });
    memberKey = await apiKeyOf(member);
    guestKey = await apiKeyOf(guest);
    memberId = (await backlog(t, memberKey, 'GET', '/users/myself')).body.id;
    guestId = (await backlog(t, guestKey, 'GET', '/users/myself')).body.id;
  });
  afterAll(async () => t.close());

  it('W7.2 creates a project (201) with Backlog defaults from a form body; the creator is a member', async () => {
    const created = await backlog(t, adminKey, 'POST', '/projects', { name: 'Apollo', key: 'APOLLO', chartEnabled: true, subtaskingEnabled: false, textFormattingRule: 'markdown' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ projectKey: 'APOLLO', name: 'Apollo', chartEnabled: true, subtaskingEnabled: false, archived: false, textFormattingRule: 'markdown' });
    expect(typeof created.body.id).toBe('number');
    expect(created.body).not.toHaveProperty('org_id');
    expect(created.body).not.toHaveProperty('orgId');

    const types = await backlog(t, adminKey, 'GET', '/projects/APOLLO/issueTypes');
    expect(types.body.map((x: { name: string }) => x.name)).toEqual(['Task', 'Bug', 'Request', 'Other']);
    expect(types.body[0]).toMatchObject({ projectId: created.body.id, color: '#7ea800' });
    const statuses = await backlog(t, adminKey, 'GET', `/projects/${created.body.id}/statuses`);
    expect(statuses.body.map((s: { id: number; name: string }) => [s.id, s.name])).toEqual([
      [1, 'Open'],
      [2, 'In Progress'],
      [3, 'Resolved'],
      [4, 'Closed'],
    ]);
    const users = await backlog(t, adminKey, 'GET', '/projects/APOLLO/users');
    expect(users.body.map((u: { roleType: number }) => u.roleType)).toEqual([1]);
  });

  it('rejects bad input with 400 code 7: missing name, bad key, duplicate key, bad boolean', async () => {
    for (const form of [{ key: 'NONAME' }, { name: 'x', key: 'lower' }, { name: 'Again', key: 'APOLLO' }, { name: 'x', key: 'BOOL', chartEnabled: 'yes' }] as Form[]) {
      const response = await backlog(t, adminKey, 'POST', '/projects', form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(response.body.errors[0]).toMatchObject({ code: 7, moreInfo: '' });
    }
  });

  it('W7.2 members and guests see only projects they belong to; others are a 404 (code 6), not a 403', async () => {
    await backlog(t, adminKey, 'POST', '/projects', { name: 'Hidden', key: 'HIDDEN' });
    expect((await backlog(t, memberKey, 'GET', '/projects')).body).toEqual([]);
    const hidden = await backlog(t, guestKey, 'GET', '/projects/HIDDEN');
    expect(hidden.status).toBe(404);
    expect(hidden.body.errors[0].code).toBe(6);
    expect((await backlog(t, guestKey, 'GET', '/projects/NOSUCH')).body).toEqual(hidden.body);

    const added = await backlog(t, adminKey, 'POST', '/projects/APOLLO/users', { userId: guestId });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: guestId, name: 'Gus Guest', roleType: 2 });
    // Membership changes are security events (W13.1): who gave whom access to which project.
    const [entry] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'project.member_added' });
    expect(entry).toMatchObject({ product: 'projects', outcome: 'success', actor: { type: 'account', id: admin.accountId }, target: { type: 'project' } });
    expect(entry?.details).toMatchObject({ projectKey: 'APOLLO', via: 'backlog_api_key' });
    expect((await t.kernel.audit.list({ orgId: admin.orgId, action: 'project.created' })).length).toBe(2);
    const guestProjects = await backlog(t, guestKey, 'GET', '/projects');
    expect(guestProjects.body.map((p: { projectKey: string }) => p.projectKey)).toEqual(['APOLLO']);
    // `all=true` is for administrators only, as in Backlog.
    expect((await backlog(t, guestKey, 'GET', '/projects', { all: true })).body).toHaveLength(1);
    expect((await backlog(t, adminKey, 'GET', '/projects', { all: true })).body.map((p: { projectKey: string }) => p.projectKey)).toEqual(['APOLLO', 'HIDDEN']);
  });

  it('W7.2 only admins and project admins change a project or its members (403 code 5)', async () => {
    await backlog(t, adminKey, 'POST', '/projects/APOLLO/users', { userId: memberId });
    const denied = await backlog(t, memberKey, 'PATCH', '/projects/APOLLO', { name: 'Renamed' });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].code).toBe(5);
    expect((await backlog(t, guestKey, 'POST', '/projects/APOLLO/users', { userId: memberId })).status).toBe(403);
    expect((await backlog(t, memberKey, 'POST', '/projects', { name: 'Mine', key: 'MINE' })).status).toBe(403);
    expect((await backlog(t, memberKey, 'DELETE', '/projects/APOLLO')).status).toBe(403);

    const patched = await backlog(t, adminKey, 'PATCH', '/projects/APOLLO', { name: 'Apollo 2', subtaskingEnabled: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Apollo 2', subtaskingEnabled: true, projectKey: 'APOLLO' });
  });

  it('removes a project user with a form-encoded DELETE body', async () => {
    const removed = await backlog(t, adminKey, 'DELETE', '/projects/APOLLO/users', { userId: memberId });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: memberId, name: 'Mia Member' });
    expect((await backlog(t, memberKey, 'GET', '/projects/APOLLO')).status).toBe(404);
    const again = await backlog(t, adminKey, 'DELETE', '/projects/APOLLO/users', { userId: memberId });
    expect(again.status).toBe(400);
    // A user id that is not in this space at all is a bad request, never a silent success.
    expect((await backlog(t, adminKey, 'POST', '/projects/APOLLO/users', { userId: 999_999 })).status).toBe(400);
  });

  it('manages issue types, categories and versions with dates and archive flags', async () => {
    const type = await backlog(t, adminKey, 'POST', '/projects/APOLLO/issueTypes', { name: 'Story', color: '#934981' });
    expect(type.status).toBe(201);
    expect(type.body).toMatchObject({ name: 'Story', color: '#934981', displayOrder: 4 });
    expect((await backlog(t, adminKey, 'POST', '/projects/APOLLO/issueTypes', { name: 'Odd', color: '#123456' })).status).toBe(400);
    // Any project member manages categories and versions; a guest member too (roleType 2).
    const category = await backlog(t, guestKey, 'POST', '/projects/APOLLO/categories', { name: 'Backend' });
    expect(category.status).toBe(201);
    expect((await backlog(t, adminKey, 'GET', '/projects/APOLLO/categories')).body).toEqual([{ id: category.body.id, projectId: category.body.projectId, name: 'Backend', displayOrder: 0 }]);

    const version = await backlog(t, adminKey, 'POST', '/projects/APOLLO/versions', { name: 'v1', description: 'first', startDate: '2026-12-01', releaseDueDate: '2026-12-31' });
    expect(version.status).toBe(201);
    expect(version.body).toMatchObject({ name: 'v1', startDate: '2026-12-01T00:00:00Z', releaseDueDate: '2026-12-31T00:00:00Z', archived: false });
    expect((await backlog(t, adminKey, 'POST', '/projects/APOLLO/versions', { name: 'bad', startDate: '2026-13-01' })).status).toBe(400);
    expect((await backlog(t, adminKey, 'POST', '/projects/APOLLO/versions', { name: 'bad', startDate: '2026-12-10', releaseDueDate: '2026-12-01' })).status).toBe(400);

    const patched = await backlog(t, adminKey, 'PATCH', `/projects/APOLLO/versions/${version.body.id}`, { name: 'v1.0', archived: true, releaseDueDate: '' });
    expect(patched.body).toMatchObject({ name: 'v1.0', archived: true, releaseDueDate: null, startDate: '2026-12-01T00:00:00Z' });
    const deleted = await backlog(t, adminKey, 'DELETE', `/projects/APOLLO/versions/${version.body.id}`);
    expect(deleted.body).toMatchObject({ id: version.body.id, name: 'v1.0' });
    expect((await backlog(t, adminKey, 'GET', '/projects/APOLLO/versions')).body).toEqual([]);
    expect((await backlog(t, adminKey, 'DELETE', `/projects/APOLLO/versions/${version.body.id}`)).status).toBe(404);
  });

  it('archives and deletes a project; the deleted project is gone', async () => {
    const created = await backlog(t, adminKey, 'POST', '/projects', { name: 'Temp', key: 'TEMP' });
    expect((await backlog(t, adminKey, 'PATCH', '/projects/TEMP', { archived: true })).body.archived).toBe(true);
    expect((await backlog(t, adminKey, 'GET', '/projects', { archived: true, all: true })).body.map((p: { projectKey: string }) => p.projectKey)).toEqual(['TEMP']);
    const deleted = await backlog(t, adminKey, 'DELETE', `/projects/${created.body.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.projectKey).toBe('TEMP');
    expect((await backlog(t, adminKey, 'GET', '/projects/TEMP')).status).toBe(404);
  });
});
