import type { Backlog } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';

/** Stars, watchings, notifications, activities, recently viewed, users, space notification (issue 3 §1–2, W7.7). */
describe('social: stars, watchings, notifications, activities', () => {
  let t: TestApp;
  let admin: Backlog;
  let member: Backlog;
  let keyAdmin: string;
  let keyMember: string;
  let keyOther: string;
  let projectId: number;
  let typeId: number;
  let adminId: number;
  let memberId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const a = await signUpUser(t, { orgName: 'Acme', name: 'Ada' });
    const m = await addMember(t, a, 'member', { name: 'Mia' });
    keyAdmin = await apiKeyOf(a);
    keyMember = await apiKeyOf(m);
    keyOther = await apiKeyOf(await signUpUser(t, { orgName: 'Other' }));
    const port = await listenOnLoopback(t);
    admin = backlogClient(port, keyAdmin);
    member = backlogClient(port, keyMember);
    adminId = (await admin.getMyself()).id;
    memberId = (await member.getMyself()).id;
    projectId = (await admin.postProject({ name: 'Social', key: 'SOC', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    await admin.postProjectUser(projectId, String(memberId));
    typeId = (await admin.getIssueTypes(projectId))[0]?.id as number;
  });
  afterAll(async () => t.close());

  it('notifies the assignee, watchers and mentioned users; read state; activities with filters', async () => {
    const issue = await admin.postIssue({ projectId, summary: 'Assigned', issueTypeId: typeId, priorityId: 3, assigneeId: memberId });
    const [assigned] = await member.getNotifications({});
    expect(assigned).toMatchObject({ reason: 1, alreadyRead: false, issue: { id: issue.id, summary: 'Assigned' }, sender: { id: adminId }, project: { id: projectId } });
    expect(await member.getNotificationsCount({ alreadyRead: false, resourceAlreadyRead: false })).toEqual({ count: 1 });
    expect(await admin.getNotifications({})).toEqual([]);

    // The admin watches the issue; the member comments: the admin is notified and the watch turns unread.
    const watch = await admin.postWatchingListItem({ issueIdOrKey: issue.issueKey, note: 'keep an eye' });
    expect(watch).toMatchObject({ note: 'keep an eye', resourceAlreadyRead: true, type: 'issue', issue: { id: issue.id } });
    await member.postIssueComments(issue.id, { content: 'Looking', notifiedUserId: [adminId] });
    const [commented] = await admin.getNotifications({});
    expect(commented).toMatchObject({ reason: 2, comment: { content: 'Looking' }, sender: { id: memberId } });
    expect((await admin.getWatchingListItem(watch.id)).resourceAlreadyRead).toBe(false);
    expect(await admin.getWatchingListCount(adminId, { resourceAlreadyRead: false })).toEqual({ count: 1 });
    await admin.resetWatchingListItemAsRead(watch.id);
    expect((await admin.getWatchingListItems(adminId, {})).map((w) => [w.id, w.resourceAlreadyRead])).toEqual([[watch.id, true]]);
    expect((await admin.patchWatchingListItem(watch.id, 'renamed')).note).toBe('renamed');

    await member.markAsReadNotification(assigned?.id as number);
    expect(await member.getNotificationsCount({ alreadyRead: false, resourceAlreadyRead: false })).toEqual({ count: 0 });
    await member.patchIssue(issue.id, { statusId: 2 });
    expect(await admin.getNotificationsCount({ alreadyRead: false, resourceAlreadyRead: false })).toEqual({ count: 2 });
    expect(await admin.resetNotificationsMarkAsRead()).toEqual({ count: 0 });

    const activities = await admin.getSpaceActivities({});
    expect(activities.map((a) => a.type)).toEqual([2, 3, 1]);
    expect(activities[0]).toMatchObject({ project: { id: projectId }, createdUser: { id: memberId }, content: { id: issue.id, summary: 'Assigned' } });
    expect((activities[0]?.content as { changes: unknown[] }).changes).toEqual([{ field: 'status', new_value: 'In Progress', old_value: 'Open', type: 'standard' }]);
    expect((await admin.getSpaceActivities({ activityTypeId: [3] })).map((a) => a.type)).toEqual([3]);
    expect((await admin.getProjectActivities(projectId, { order: 'asc', count: 1 })).map((a) => a.type)).toEqual([1]);
    expect((await admin.getUserActivities(memberId, {})).map((a) => a.type)).toEqual([2, 3]);
    const newest = activities[0]?.id as number;
    expect((await admin.getSpaceActivities({ maxId: newest })).map((a) => a.type)).toEqual([3, 1]);

    const removed = await admin.deletehWatchingListItem(watch.id);
    expect(removed.id).toBe(watch.id);
    expect(await admin.getWatchingListItems(adminId)).toEqual([]);
  });

  it('stars issues and comments, lists and counts them, refuses doubles; recently viewed; users; space notification', async () => {
    const issue = await member.postIssue({ projectId, summary: 'Star me', issueTypeId: typeId, priorityId: 3 });
    const comment = await member.postIssueComments(issue.id, { content: 'nice' });
    await admin.postStar({ issueId: issue.id });
    await admin.postStar({ commentId: comment.id });
    expect((await backlog(t, keyAdmin, 'POST', '/stars', { issueId: issue.id })).status).toBe(400);
    expect((await backlog(t, keyAdmin, 'POST', '/stars', { pullRequestId: 1 })).status).toBe(404);
    // `/users/:id/stars` are the stars the user received (on what they wrote), as in Backlog.
    const stars = await admin.getUserStars(memberId, { order: 'asc' });
    expect(stars.map((s) => s.title)).toEqual(['[SOC-2] Star me', '[SOC-2] Star me']);
    expect(stars[0]).toMatchObject({ presenter: { id: adminId } });
    expect(await admin.getUserStars(adminId, {})).toEqual([]);
    expect(await member.getUserStarsCount(memberId, {})).toEqual({ count: 2 });
    expect(await member.getUserStarsCount(adminId, {})).toEqual({ count: 0 });
    await admin.removeStar(stars[0]?.id as number);
    expect(await member.getUserStarsCount(memberId, {})).toEqual({ count: 1 });
    expect((await backlog(t, keyMember, 'DELETE', `/stars/${stars[1]?.id}`)).status).toBe(404);

    await member.getIssue(issue.issueKey);
    await member.getProject(projectId);
    expect((await member.getRecentlyViewedIssues({})).map((r) => r.issue.issueKey)).toEqual(['SOC-2']);
    expect((await member.getRecentlyViewedProjects({})).map((r) => r.project.projectKey)).toEqual(['SOC']);
    expect(await member.getRecentlyViewedWikis({})).toEqual([]);

    expect(await member.getUser(adminId)).toMatchObject({ id: adminId, name: 'Ada', roleType: 1 });
    const icon = (await member.getUserIcon(adminId)) as { body: ReadableStream };
    expect((await new Response(icon.body).arrayBuffer()).byteLength).toBeGreaterThan(0);

    expect(await member.getSpaceNotification()).toMatchObject({ content: '' });
    expect((await admin.putSpaceNotification({ content: 'Maintenance Friday' })).content).toBe('Maintenance Friday');
    expect((await member.getSpaceNotification()).content).toBe('Maintenance Friday');
    expect((await backlog(t, keyMember, 'PUT' as 'POST', '/space/notification', { content: 'x' })).status).toBe(403);
  });

  it('401 without a key; 403 on others’ watchings; 400 on bad input; W7.7 cross-tenant ids answer like random ids', async () => {
    expect((await backlog(t, null, 'GET', '/notifications')).status).toBe(401);
    expect((await backlog(t, keyMember, 'GET', `/users/${adminId}/watchings`)).status).toBe(403);
    expect((await backlog(t, keyAdmin, 'POST', '/stars', {})).status).toBe(400);
    expect((await backlog(t, keyAdmin, 'GET', '/space/activities?count=500')).status).toBe(400);
    const issue = await admin.postIssue({ projectId, summary: 'Private', issueTypeId: typeId, priorityId: 3 });
    const watch = await admin.postWatchingListItem({ issueIdOrKey: issue.id, note: '' });
    const notification = (await member.getNotifications({}))[0];
    const pairs: [string, string, Record<string, string | number> | undefined][] = [
      ['GET', `/users/${adminId}`, undefined],
      ['GET', `/users/${adminId}/icon`, undefined],
      ['GET', `/users/${adminId}/stars`, undefined],
      ['GET', `/users/${adminId}/stars/count`, undefined],
      ['GET', `/users/${adminId}/activities`, undefined],
      ['GET', `/users/${adminId}/watchings`, undefined],
      ['GET', `/watchings/${watch.id}`, undefined],
      ['PATCH', `/watchings/${watch.id}`, { note: 'x' }],
      ['DELETE', `/watchings/${watch.id}`, undefined],
      ['POST', `/watchings/${watch.id}/markAsRead`, undefined],
      ['POST', `/notifications/${notification?.id}/markAsRead`, undefined],
      ['GET', `/projects/${projectId}/activities`, undefined],
    ];
    for (const [method, path, form] of pairs) {
      const foreign = await backlog(t, keyOther, method as 'GET', path, form);
      const random = await backlog(t, keyOther, method as 'GET', path.replace(String(adminId), '987654').replace(String(watch.id), '987655').replace(String(notification?.id), '987656').replace(String(projectId), '987657'), form);
      expect(foreign.status, `${method} ${path}`).toBe(404);
      expect(foreign.body).toEqual(random.body);
    }
    for (const form of [{ issueId: issue.id }, { commentId: 987654 }] as Record<string, number>[]) expect((await backlog(t, keyOther, 'POST', '/stars', form)).body).toEqual((await backlog(t, keyOther, 'POST', '/stars', { issueId: 987654 })).body);
    expect((await backlog(t, keyOther, 'POST', '/watchings', { issueIdOrKey: issue.id })).status).toBe(404);
    expect((await backlog(t, keyOther, 'GET', '/space/activities')).body).toEqual([]);
  });
});

describe('disk usage and licence', () => {
  let t: TestApp;
  afterAll(async () => t.close());

  it('counts attachment bytes per project for admins; members get 403; the licence answers; W7.7', async () => {
    t = await buildTestApp();
    const a = await signUpUser(t, { orgName: 'Disk' });
    const m = await addMember(t, a, 'member');
    const key = await apiKeyOf(a);
    const keyM = await apiKeyOf(m);
    const keyO = await apiKeyOf(await signUpUser(t, { orgName: 'O' }));
    const project = (await backlog(t, key, 'POST', '/projects', { name: 'D', key: 'DSK' })).body;
    await backlog(t, key, 'POST', `/projects/${project.id}/users`, { userId: (await backlog(t, keyM, 'GET', '/users/myself')).body.id });
    const type = (await backlog(t, key, 'GET', '/projects/DSK/issueTypes')).body[0].id;
    const boundary = 'XyZ';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n12345\r\n--${boundary}--\r\n`;
    const up = await t.app.inject({ method: 'POST', url: '/api/v2/space/attachment', headers: { 'backlog-api-key': key, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(up.statusCode).toBe(200);
    await backlog(t, key, 'POST', '/issues', { projectId: project.id, summary: 's', issueTypeId: type, priorityId: 3, attachmentId: [JSON.parse(up.body).id] });
    const space = await backlog(t, key, 'GET', '/space/diskUsage');
    expect(space.body).toMatchObject({ issue: 5, details: [{ projectId: project.id, issue: 5 }] });
    expect((await backlog(t, key, 'GET', `/projects/${project.id}/diskUsage`)).body).toMatchObject({ projectId: project.id, issue: 5, wiki: 0 });
    expect((await backlog(t, keyM, 'GET', '/space/diskUsage')).status).toBe(403);
    expect((await backlog(t, keyM, 'GET', `/projects/${project.id}/diskUsage`)).status).toBe(403);
    expect((await backlog(t, keyO, 'GET', `/projects/${project.id}/diskUsage`)).body).toEqual((await backlog(t, keyO, 'GET', '/projects/987654/diskUsage')).body);
    expect((await backlog(t, keyM, 'GET', '/space/licence')).body).toMatchObject({ active: true, attachmentLimitPerFile: 10 * 1024 * 1024 });
    expect((await backlog(t, null, 'GET', '/space/licence')).status).toBe(401);
  });
});
