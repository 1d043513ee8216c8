import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog } from '../../../test/backlog-client';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';

describe('editing and deleting issue types and categories (issue 3 §1, W7.2)', () => {
  let t: TestApp;
  let key: string;
  let memberKey: string;
  let projectId: number;
  let types: { id: number; name: string }[];

  beforeAll(async () => {
    t = await buildTestApp();
    const admin = await signUpUser(t);
    key = await apiKeyOf(admin);
    const member = await addMember(t, admin, 'member');
    memberKey = await apiKeyOf(member);
    projectId = (await backlog(t, key, 'POST', '/projects', { name: 'Edit', key: 'EDIT' })).body.id;
    await backlog(t, key, 'POST', '/projects/EDIT/users', { userId: (await backlog(t, memberKey, 'GET', '/users/myself')).body.id });
    types = (await backlog(t, key, 'GET', '/projects/EDIT/issueTypes')).body;
  });
  afterAll(async () => t.close());

  it('renames and recolours an issue type; members may not (403 code 5)', async () => {
    const task = types[0] as { id: number };
    const patched = await backlog(t, key, 'PATCH', `/projects/EDIT/issueTypes/${task.id}`, { name: 'Chore', color: '#666665' });
    expect(patched.body).toMatchObject({ id: task.id, name: 'Chore', color: '#666665' });
    expect((await backlog(t, key, 'PATCH', `/projects/EDIT/issueTypes/${task.id}`, { color: '#000000' })).status).toBe(400);
    expect((await backlog(t, key, 'PATCH', `/projects/EDIT/issueTypes/${task.id}`, { name: 'Bug' })).status).toBe(400);
    expect((await backlog(t, memberKey, 'PATCH', `/projects/EDIT/issueTypes/${task.id}`, { name: 'Mine' })).body.errors[0].code).toBe(5);
    expect((await backlog(t, key, 'PATCH', '/projects/EDIT/issueTypes/999999', { name: 'x' })).status).toBe(404);
  });

  it('deletes an issue type, moving its issues to the substitute', async () => {
    const task = types[0] as { id: number };
    const bug = types[1] as { id: number };
    const issue = (await backlog(t, key, 'POST', '/issues', { projectId, summary: 'Typed', issueTypeId: task.id, priorityId: 3 })).body;
    expect((await backlog(t, key, 'DELETE', `/projects/EDIT/issueTypes/${task.id}`, { substituteIssueTypeId: task.id })).status).toBe(400);
    expect((await backlog(t, key, 'DELETE', `/projects/EDIT/issueTypes/${task.id}`)).status).toBe(400);
    const deleted = await backlog(t, key, 'DELETE', `/projects/EDIT/issueTypes/${task.id}`, { substituteIssueTypeId: bug.id });
    expect(deleted.status).toBe(200);
    expect((await backlog(t, key, 'GET', `/issues/${issue.issueKey}`)).body.issueType).toMatchObject({ id: bug.id, name: 'Bug' });
    expect((await backlog(t, key, 'GET', '/projects/EDIT/issueTypes')).body.map((x: { id: number }) => x.id)).not.toContain(task.id);
  });

  it('renames and deletes a category; deleting takes it off issues', async () => {
    const category = (await backlog(t, memberKey, 'POST', '/projects/EDIT/categories', { name: 'UI' })).body;
    const bug = (types[1] as { id: number }).id;
    const issue = (await backlog(t, key, 'POST', '/issues', { projectId, summary: 'Categorised', issueTypeId: bug, priorityId: 3, categoryId: [category.id] })).body;
    expect((await backlog(t, memberKey, 'PATCH', `/projects/EDIT/categories/${category.id}`, { name: 'Web UI' })).body.name).toBe('Web UI');
    expect((await backlog(t, key, 'GET', `/issues/${issue.issueKey}`)).body.category.map((c: { name: string }) => c.name)).toEqual(['Web UI']);
    const deleted = await backlog(t, memberKey, 'DELETE', `/projects/EDIT/categories/${category.id}`);
    expect(deleted.body).toMatchObject({ id: category.id, name: 'Web UI' });
    expect((await backlog(t, key, 'GET', `/issues/${issue.issueKey}`)).body.category).toEqual([]);
    expect((await backlog(t, key, 'GET', '/issues/count', { categoryId: [category.id] })).body).toEqual({ count: 0 });
    expect((await backlog(t, key, 'DELETE', `/projects/EDIT/categories/${category.id}`)).status).toBe(404);
  });
});
