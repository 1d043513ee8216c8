import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog } from '../../../test/backlog-client';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';

describe('custom ordered statuses (issue 3 §1, W7.2)', () => {
  let t: TestApp;
  let key: string;
  let memberKey: string;
  let projectId: number;
  let typeId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const admin = await signUpUser(t);
    key = await apiKeyOf(admin);
    const member = await addMember(t, admin, 'member');
    memberKey = await apiKeyOf(member);
    projectId = (await backlog(t, key, 'POST', '/projects', { name: 'Flow', key: 'FLOW' })).body.id;
    await backlog(t, key, 'POST', '/projects', { name: 'Other', key: 'OTHER' });
    await backlog(t, key, 'POST', '/projects/FLOW/users', { userId: (await backlog(t, memberKey, 'GET', '/users/myself')).body.id });
    typeId = (await backlog(t, key, 'GET', '/projects/FLOW/issueTypes')).body[0].id;
  });
  afterAll(async () => t.close());

  it('adds a custom status (201) after the defaults, with its own id above 1–4', async () => {
    const created = await backlog(t, key, 'POST', '/projects/FLOW/statuses', { name: 'Review', color: '#3b9dbd' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ projectId, name: 'Review', color: '#3b9dbd' });
    expect(created.body.id).toBeGreaterThan(4);
    const statuses = await backlog(t, key, 'GET', '/projects/FLOW/statuses');
    expect(statuses.body.map((s: { name: string }) => s.name)).toEqual(['Open', 'In Progress', 'Resolved', 'Closed', 'Review']);
    // Every project keeps the defaults 1–4; another project's list is untouched.
    expect((await backlog(t, key, 'GET', '/projects/OTHER/statuses')).body.map((s: { id: number }) => s.id)).toEqual([1, 2, 3, 4]);
  });

  it('rejects a colour outside Backlog’s palette, a duplicate name, and non-admins (403)', async () => {
    expect((await backlog(t, key, 'POST', '/projects/FLOW/statuses', { name: 'Odd', color: '#123456' })).status).toBe(400);
    expect((await backlog(t, key, 'POST', '/projects/FLOW/statuses', { name: 'Review', color: '#3b9dbd' })).status).toBe(400);
    const denied = await backlog(t, memberKey, 'POST', '/projects/FLOW/statuses', { name: 'Mine', color: '#3b9dbd' });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].code).toBe(5);
  });

  it('renames and reorders (updateDisplayOrder is a literal route, not a status id)', async () => {
    const statuses = (await backlog(t, key, 'GET', '/projects/FLOW/statuses')).body as { id: number; name: string }[];
    const review = statuses.find((s) => s.name === 'Review') as { id: number };
    expect((await backlog(t, key, 'PATCH', `/projects/FLOW/statuses/${review.id}`, { name: 'In Review' })).body.name).toBe('In Review');
    const order = [1, 2, review.id, 3, 4];
    const reordered = await backlog(t, key, 'PATCH', '/projects/FLOW/statuses/updateDisplayOrder', { statusId: order });
    expect(reordered.status).toBe(200);
    expect(reordered.body.map((s: { id: number }) => s.id)).toEqual(order);
    expect((await backlog(t, key, 'PATCH', '/projects/FLOW/statuses/updateDisplayOrder', { statusId: [1, 2, 3] })).status).toBe(400);
  });

  it('deletes a custom status, moving its issues to the substitute; defaults stay', async () => {
    const review = ((await backlog(t, key, 'GET', '/projects/FLOW/statuses')).body as { id: number; name: string }[]).find((s) => s.name === 'In Review') as { id: number };
    const issue = (await backlog(t, key, 'POST', '/issues', { projectId, summary: 'Needs review', issueTypeId: typeId, priorityId: 3 })).body;
    const moved = await backlog(t, key, 'PATCH', `/issues/${issue.issueKey}`, { statusId: review.id });
    expect(moved.body.status).toMatchObject({ id: review.id, name: 'In Review' });
    expect((await backlog(t, key, 'GET', '/issues/count', { statusId: [review.id] })).body).toEqual({ count: 1 });

    expect((await backlog(t, key, 'DELETE', '/projects/FLOW/statuses/1', { substituteStatusId: 2 })).status).toBe(400);
    expect((await backlog(t, key, 'DELETE', `/projects/FLOW/statuses/${review.id}`, { substituteStatusId: review.id })).status).toBe(400);
    const deleted = await backlog(t, key, 'DELETE', `/projects/FLOW/statuses/${review.id}`, { substituteStatusId: 3 });
    expect(deleted.status).toBe(200);
    expect(deleted.body.name).toBe('In Review');
    expect((await backlog(t, key, 'GET', `/issues/${issue.issueKey}`)).body.status).toMatchObject({ id: 3, name: 'Resolved' });
    expect((await backlog(t, key, 'DELETE', `/projects/FLOW/statuses/${review.id}`, { substituteStatusId: 3 })).status).toBe(404);
  });

  it('allows at most 12 statuses', async () => {
    for (let i = 0; i < 8; i++) expect((await backlog(t, key, 'POST', '/projects/FLOW/statuses', { name: `S${i}`, color: '#393939' })).status).toBe(201);
    expect((await backlog(t, key, 'POST', '/projects/FLOW/statuses', { name: 'One too many', color: '#393939' })).status).toBe(400);
  });
});
