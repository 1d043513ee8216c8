import type { Backlog } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';

/** Comment count, deletion and notifications; issue participants; project and space images (issue 3 §2). */
describe('comments: count, delete, notifications; participants; images', () => {
  let t: TestApp;
  let ada: Backlog;
  let mia: Backlog;
  let keyAda: string;
  let keyMia: string;
  let keyOlly: string;
  let keyOther: string;
  let projectId: number;
  let typeId: number;
  let miaId: number;
  let ollyId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const a = await signUpUser(t, { orgName: 'Acme', name: 'Ada' });
    const m = await addMember(t, a, 'member', { name: 'Mia' });
    const o = await addMember(t, a, 'member', { name: 'Olly' });
    [keyAda, keyMia, keyOlly, keyOther] = await Promise.all([apiKeyOf(a), apiKeyOf(m), apiKeyOf(o), apiKeyOf(await signUpUser(t, { orgName: 'Other' }))]);
    const port = await listenOnLoopback(t);
    ada = backlogClient(port, keyAda);
    mia = backlogClient(port, keyMia);
    miaId = (await mia.getMyself()).id;
    ollyId = (await backlogClient(port, keyOlly).getMyself()).id;
    projectId = (await ada.postProject({ name: 'Talk', key: 'TALK', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    await ada.postProjectUser(projectId, String(miaId));
    await ada.postProjectUser(projectId, String(ollyId));
    typeId = (await ada.getIssueTypes(projectId))[0]?.id as number;
  });
  afterAll(async () => t.close());

  const newIssue = (summary: string) => ada.postIssue({ projectId, summary, issueTypeId: typeId, priorityId: 3 });

  it('counts comments; participants are the creator and everyone who commented or changed the issue', async () => {
    const issue = await newIssue('Counted');
    expect(await ada.getIssueCommentsCount(issue.id)).toEqual({ count: 0 });
    await mia.postIssueComments(issue.issueKey, { content: 'one' });
    await ada.patchIssue(issue.id, { summary: 'Counted again' });
    expect(await ada.getIssueCommentsCount(issue.issueKey)).toEqual({ count: 2 });
    expect((await ada.getIssueParticipants(issue.id)).map((u) => u.name).sort()).toEqual(['Ada', 'Mia']);
  });

  it('the author adds notifications to a comment; the comment lists them; others may not add', async () => {
    const issue = await newIssue('Notify');
    // The issue's creator hears of every comment.
    const comment = await mia.postIssueComments(issue.id, { content: 'have a look' });
    expect(comment.notifications).toMatchObject([{ reason: 2, user: { name: 'Ada' } }]);
    const updated = await mia.postIssueCommentNotifications(issue.id, comment.id, { notifiedUserId: [ollyId] });
    expect(updated.notifications).toMatchObject([{ user: { name: 'Ada' } }, { reason: 2, alreadyRead: false, user: { id: ollyId, name: 'Olly' } }]);
    expect(await ada.getIssueCommentNotifications(issue.id, comment.id)).toMatchObject([{ user: { name: 'Ada' } }, { user: { id: ollyId } }]);
    expect((await ada.getIssueComment(issue.id, comment.id)).notifications).toHaveLength(2);
    const res = await backlog(t, keyAda, 'POST', `/issues/${issue.id}/comments/${comment.id}/notifications`, { notifiedUserId: [ollyId] });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].code).toBe(5);
    expect((await backlog(t, keyMia, 'POST', `/issues/${issue.id}/comments/${comment.id}/notifications`, {})).status).toBe(400);
  });

  it('a comment is deleted by its author or an admin, with its stars and notifications; a change-log comment stays', async () => {
    const issue = await newIssue('Deletable');
    const mine = await mia.postIssueComments(issue.id, { content: 'oops' });
    await ada.postStar({ commentId: mine.id });
    await mia.postIssueCommentNotifications(issue.id, mine.id, { notifiedUserId: [ollyId] });
    const forbidden = await backlog(t, keyOlly, 'DELETE', `/issues/${issue.id}/comments/${mine.id}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors[0].code).toBe(5);
    expect(await mia.deleteIssueComment(issue.id, mine.id)).toMatchObject({ id: mine.id, content: 'oops' });
    expect((await backlog(t, keyAda, 'GET', `/issues/${issue.id}/comments/${mine.id}`)).status).toBe(404);
    expect(await ada.getIssueCommentNotifications(issue.id, mine.id).catch((e: { _status?: number }) => e._status)).toBe(404);
    const olly = (await backlog(t, keyOlly, 'GET', '/notifications')).body as { comment: { id: number } | null }[];
    expect(olly.some((n) => n.comment?.id === mine.id)).toBe(false);

    const byAdmin = await mia.postIssueComments(issue.id, { content: 'moderated' });
    expect((await ada.deleteIssueComment(issue.id, byAdmin.id)).id).toBe(byAdmin.id);

    await ada.patchIssue(issue.id, { summary: 'Changed', comment: 'why' });
    const [changeLog] = await ada.getIssueComments(issue.id, { count: 1 });
    const kept = await backlog(t, keyAda, 'DELETE', `/issues/${issue.id}/comments/${changeLog?.id}`);
    expect(kept.status).toBe(400);
    expect(kept.body.errors[0].code).toBe(7);
  });

  it('401 without a key; other orgs’ issues and comments answer like missing ones (W7.7); images download', async () => {
    const issue = await newIssue('Private');
    const comment = await mia.postIssueComments(issue.id, { content: 'secret' });
    expect((await backlog(t, null, 'GET', `/issues/${issue.id}/comments/count`)).status).toBe(401);
    for (const [method, path] of [
      ['GET', `/issues/${issue.id}/comments/count`],
      ['GET', `/issues/${issue.id}/participants`],
      ['GET', `/issues/${issue.id}/comments/${comment.id}/notifications`],
      ['DELETE', `/issues/${issue.id}/comments/${comment.id}`],
      ['GET', `/projects/${projectId}/image`],
    ] as const) {
      const res = await backlog(t, keyOther, method, path);
      expect(res.status, path).toBe(404);
      expect(res.body.errors[0].code, path).toBe(6);
    }
    expect((await backlog(t, keyAda, 'GET', `/issues/${issue.id}/comments/999999/notifications`)).status).toBe(404);
    expect((await backlog(t, keyAda, 'DELETE', `/issues/${issue.id}/comments/x`)).status).toBe(400);
    const project = (await ada.getProjectIcon(projectId)) as { filename: string };
    const space = (await ada.getSpaceIcon()) as { filename: string };
    expect(project.filename).toBe('project.png');
    expect(space.filename).toBe('space.png');
  });
});
