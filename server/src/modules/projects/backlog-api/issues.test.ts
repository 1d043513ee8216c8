import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

describe('Backlog API v2: issues and comments (issue 3 §1–2)', () => {
  let t: TestApp;
  let admin: TestUser;
  let key: string;
  let memberKey: string;
  let memberId: number;
  let projectId: number;
  let taskType: number;
  let bugType: number;
  let categoryIds: number[];
  let versionIds: number[];

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { orgName: 'Acme' });
    key = await apiKeyOf(admin);
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    memberKey = await apiKeyOf(member);
    memberId = (await backlog(t, memberKey, 'GET', '/users/myself')).body.id;
    projectId = (await backlog(t, key, 'POST', '/projects', { name: 'Apollo', key: 'APOLLO', chartEnabled: false, subtaskingEnabled: true, textFormattingRule: 'markdown' })).body.id;
    await backlog(t, key, 'POST', '/projects/APOLLO/users', { userId: memberId });
    const types = (await backlog(t, key, 'GET', '/projects/APOLLO/issueTypes')).body;
    taskType = types[0].id;
    bugType = types[1].id;
    categoryIds = [];
    for (const name of ['Backend', 'Frontend']) categoryIds.push((await backlog(t, key, 'POST', '/projects/APOLLO/categories', { name })).body.id);
    versionIds = [];
    for (const name of ['v1', 'v2']) versionIds.push((await backlog(t, key, 'POST', '/projects/APOLLO/versions', { name })).body.id);
  });
  afterAll(async () => t.close());

  it('creates KEY-n issues (201) from a form body with key[] arrays, dates and hours', async () => {
    const created = await backlog(t, key, 'POST', '/issues', {
      projectId,
      summary: 'Engine check',
      issueTypeId: taskType,
      priorityId: 2,
      description: 'Check **all** engines',
      categoryId: categoryIds,
      versionId: [versionIds[0] as number],
      milestoneId: [versionIds[1] as number],
      assigneeId: memberId,
      startDate: '2026-12-01',
      dueDate: '2026-12-24',
      estimatedHours: 1.5,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      projectId,
      issueKey: 'APOLLO-1',
      keyId: 1,
      summary: 'Engine check',
      description: 'Check **all** engines',
      issueType: { id: taskType, name: 'Task' },
      priority: { id: 2, name: 'High' },
      status: { id: 1, name: 'Open' },
      resolution: null,
      assignee: { id: memberId, name: 'Mia Member' },
      startDate: '2026-12-01T00:00:00Z',
      dueDate: '2026-12-24T00:00:00Z',
      estimatedHours: 1.5,
      actualHours: null,
      parentIssueId: null,
      customFields: [],
      attachments: [],
    });
    expect(created.body.category.map((c: { name: string }) => c.name).sort()).toEqual(['Backend', 'Frontend']);
    expect(created.body.versions.map((v: { name: string }) => v.name)).toEqual(['v1']);
    expect(created.body.milestone.map((v: { name: string }) => v.name)).toEqual(['v2']);
    expect(created.body.created).toBe('2026-11-25T09:00:00Z');
    expect(created.body.createdUser.roleType).toBe(1);

    const second = await backlog(t, memberKey, 'POST', '/issues', { projectId, summary: 'Fuel leak', issueTypeId: bugType, priorityId: 3, parentIssueId: created.body.id });
    expect(second.body).toMatchObject({ issueKey: 'APOLLO-2', parentIssueId: created.body.id, assignee: null });
  });

  it('rejects issues that point outside their project or lack required fields (400 code 7)', async () => {
    const base = { projectId, summary: 'x', issueTypeId: taskType, priorityId: 3 };
    for (const form of [
      { ...base, summary: '' },
      { ...base, priorityId: 9 },
      { ...base, issueTypeId: 999_999 },
      { ...base, categoryId: [999_999] },
      { ...base, dueDate: '24/12/2026' },
      { ...base, startDate: '2026-12-10', dueDate: '2026-12-01' },
      { projectId, summary: 'no type' },
    ]) {
      const response = await backlog(t, key, 'POST', '/issues', form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(response.body.errors[0].code).toBe(7);
    }
  });

  it('resolves issues by id and by key; unknown ones are 404 code 6', async () => {
    const byKey = await backlog(t, key, 'GET', '/issues/APOLLO-1');
    const byId = await backlog(t, key, 'GET', `/issues/${byKey.body.id}`);
    expect(byId.body).toEqual(byKey.body);
    for (const missing of ['APOLLO-999', '999999', 'NOPE-1', 'garbage']) {
      const response = await backlog(t, key, 'GET', `/issues/${missing}`);
      expect(response.status).toBe(404);
      expect(response.body.errors[0]).toMatchObject({ code: 6, message: 'No issue.' });
    }
  });

  it('filters GET /issues by projectId[], statusId[], assigneeId[], keyword; sorts and pages; counts', async () => {
    for (let i = 3; i <= 6; i++) {
      t.clock.advance(60_000);
      await backlog(t, key, 'POST', '/issues', { projectId, summary: `Batch ${i} 100%_done`, issueTypeId: taskType, priorityId: 4 });
    }
    const all = await backlog(t, key, 'GET', '/issues', { projectId: [projectId], count: 100 });
    expect(all.body).toHaveLength(6);
    // Default: most recently updated first.
    expect(all.body[0].issueKey).toBe('APOLLO-6');
    const asc = await backlog(t, key, 'GET', '/issues', { projectId: [projectId], sort: 'created', order: 'asc', offset: 1, count: 2 });
    expect(asc.body.map((i: { keyId: number }) => i.keyId)).toEqual([2, 3]);
    const assigned = await backlog(t, key, 'GET', '/issues', { assigneeId: [memberId] });
    expect(assigned.body.map((i: { issueKey: string }) => i.issueKey)).toEqual(['APOLLO-1']);
    const keyword = await backlog(t, key, 'GET', '/issues', { keyword: 'ENGINE' });
    expect(keyword.body.map((i: { issueKey: string }) => i.issueKey)).toEqual(['APOLLO-1']);
    // LIKE wildcards in a keyword are literal characters.
    expect((await backlog(t, key, 'GET', '/issues/count', { keyword: '100%_' })).body).toEqual({ count: 4 });
    expect((await backlog(t, key, 'GET', '/issues/count', { keyword: '%' })).body).toEqual({ count: 4 });
    expect((await backlog(t, key, 'GET', '/issues/count', { statusId: [1, 2, 3] })).body).toEqual({ count: 6 });
    expect((await backlog(t, key, 'GET', '/issues/count', { statusId: [4] })).body).toEqual({ count: 0 });
    expect((await backlog(t, key, 'GET', '/issues/count', { categoryId: [categoryIds[0] as number] })).body).toEqual({ count: 1 });
    expect((await backlog(t, key, 'GET', '/issues', { count: 101 })).status).toBe(400);
    expect((await backlog(t, key, 'GET', '/issues', { sort: 'nonsense' })).status).toBe(400);
  });

  it('PATCH records a change log in Backlog’s words inside one comment, with the sent comment text', async () => {
    t.clock.advance(60_000);
    const patched = await backlog(t, memberKey, 'PATCH', '/issues/APOLLO-1', {
      statusId: 2,
      priorityId: 3,
      assigneeId: '',
      dueDate: '2026-12-31',
      categoryId: [categoryIds[1] as number],
      comment: 'Working on it',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: { id: 2, name: 'In Progress' }, priority: { id: 3 }, assignee: null, dueDate: '2026-12-31T00:00:00Z', updatedUser: { id: memberId } });
    expect(patched.body.updated).not.toBe(patched.body.created);
    const comments = await backlog(t, key, 'GET', '/issues/APOLLO-1/comments');
    expect(comments.body).toHaveLength(1);
    const [comment] = comments.body;
    expect(comment).toMatchObject({ content: 'Working on it', issueId: patched.body.id, projectId, createdUser: { id: memberId } });
    const log = new Map(comment.changeLog.map((c: { field: string; originalValue: string; newValue: string }) => [c.field, [c.originalValue, c.newValue]]));
    expect(log.get('status')).toEqual(['Open', 'In Progress']);
    expect(log.get('priority')).toEqual(['High', 'Normal']);
    expect(log.get('assigner')).toEqual(['Mia Member', null]);
    expect(log.get('limitDate')).toEqual(['2026-12-24', '2026-12-31']);
    expect(log.get('component')).toEqual(['Backend, Frontend', 'Frontend']);
    expect(log.has('summary')).toBe(false);

    // Nothing changed and no comment: no empty comment appears.
    await backlog(t, key, 'PATCH', '/issues/APOLLO-1', { statusId: 2 });
    expect((await backlog(t, key, 'GET', '/issues/APOLLO-1/comments')).body).toHaveLength(1);
  });

  it('adds, pages, reads and edits comments; only the author edits', async () => {
    const ids: number[] = [];
    for (const content of ['one', 'two', 'three']) {
      const response = await backlog(t, key, 'POST', '/issues/APOLLO-2/comments', { content });
      expect(response.status).toBe(201);
      ids.push(response.body.id);
    }
    const newest = await backlog(t, key, 'GET', '/issues/APOLLO-2/comments', { count: 2 });
    expect(newest.body.map((c: { content: string }) => c.content)).toEqual(['three', 'two']);
    const older = await backlog(t, key, 'GET', '/issues/APOLLO-2/comments', { maxId: ids[1] as number, order: 'asc' });
    expect(older.body.map((c: { content: string }) => c.content)).toEqual(['one']);
    const one = await backlog(t, key, 'GET', `/issues/APOLLO-2/comments/${ids[0]}`);
    expect(one.body).toMatchObject({ content: 'one', changeLog: [], stars: [], notifications: [{ reason: 2, alreadyRead: false, user: { name: 'Mia Member' } }] });
    expect((await backlog(t, memberKey, 'PATCH', `/issues/APOLLO-2/comments/${ids[0]}`, { content: 'hijack' })).status).toBe(403);
    const edited = await backlog(t, key, 'PATCH', `/issues/APOLLO-2/comments/${ids[0]}`, { content: 'uno' });
    expect(edited.body.content).toBe('uno');
    expect((await backlog(t, key, 'GET', '/issues/APOLLO-2/comments/999999')).status).toBe(404);
    expect((await backlog(t, key, 'POST', '/issues/APOLLO-2/comments', { content: '' })).status).toBe(400);
  });

  it('deletes issues: the creator or an admin may, other members may not; children are detached', async () => {
    const mine = await backlog(t, key, 'POST', '/issues', { projectId, summary: 'Admin’s', issueTypeId: taskType, priorityId: 3 });
    const denied = await backlog(t, memberKey, 'DELETE', `/issues/${mine.body.issueKey}`);
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].code).toBe(5);
    const deleted = await backlog(t, key, 'DELETE', '/issues/APOLLO-1');
    expect(deleted.status).toBe(200);
    expect(deleted.body.issueKey).toBe('APOLLO-1');
    expect((await backlog(t, key, 'GET', '/issues/APOLLO-1')).status).toBe(404);
    expect((await backlog(t, key, 'GET', '/issues/APOLLO-2')).body.parentIssueId).toBeNull();
    // Key numbers are never reused.
    const next = await backlog(t, key, 'POST', '/issues', { projectId, summary: 'After', issueTypeId: taskType, priorityId: 3 });
    expect(next.body.keyId).toBe(8);
  });

  it('accepts JSON bodies too, for scripts', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/issues',
      headers: { 'backlog-api-key': key, 'content-type': 'application/json' },
      payload: { projectId, summary: 'From JSON', issueTypeId: taskType, priorityId: 3, 'categoryId[]': [categoryIds[0]] },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().category.map((c: { id: number }) => c.id)).toEqual([categoryIds[0]]);
  });

  it('refuses a parent issue when the project has subtasking turned off', async () => {
    const flat = (await backlog(t, key, 'POST', '/projects', { name: 'Flat', key: 'FLAT', subtaskingEnabled: false })).body;
    const type = (await backlog(t, key, 'GET', '/projects/FLAT/issueTypes')).body[0].id;
    const parent = (await backlog(t, key, 'POST', '/issues', { projectId: flat.id, summary: 'Parent', issueTypeId: type, priorityId: 3 })).body;
    const child = await backlog(t, key, 'POST', '/issues', { projectId: flat.id, summary: 'Child', issueTypeId: type, priorityId: 3, parentIssueId: parent.id });
    expect(child.status).toBe(400);
    expect(child.body.errors[0].message).toMatch(/Subtasking/);
  });
});
