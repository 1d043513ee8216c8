import type { Backlog } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlogClient, listenOnLoopback } from '../../../test/backlog-client';
import { mentionHandles } from './mentions';

describe('mention handles', () => {
  it('reads @userId (login ids and email addresses), not addresses in running text, without trailing dots', () => {
    expect([...mentionHandles('Hi @Mia@Example.test, and @bob. Mail carol@example.test or @dave_2!')]).toEqual(['mia@example.test', 'bob', 'dave_2']);
    expect([...mentionHandles('no mentions here')]).toEqual([]);
    expect([...mentionHandles('@@double and a lone @')]).toEqual([]);
  });
});

/** @mention notifications and the `stars` of issues and comments (issue 3 §5). */
describe('mentions and stars on issues and comments', () => {
  let t: TestApp;
  let ada: Backlog;
  let mia: Backlog;
  let olly: Backlog;
  let adaUser: { id: number; userId: string };
  let miaUser: { id: number; userId: string };
  let ollyUser: { id: number; userId: string };
  let projectId: number;
  let typeId: number;
  let orgId: string;
  let emails: { ada: string; mia: string; olly: string };

  beforeAll(async () => {
    t = await buildTestApp();
    const a = await signUpUser(t, { orgName: 'Acme', name: 'Ada' });
    const m = await addMember(t, a, 'member', { name: 'Mia' });
    const o = await addMember(t, a, 'member', { name: 'Olly' });
    orgId = a.orgId;
    emails = { ada: a.email, mia: m.email, olly: o.email };
    const port = await listenOnLoopback(t);
    ada = backlogClient(port, await apiKeyOf(a));
    mia = backlogClient(port, await apiKeyOf(m));
    olly = backlogClient(port, await apiKeyOf(o));
    adaUser = await ada.getMyself();
    miaUser = await mia.getMyself();
    ollyUser = await olly.getMyself();
    // Olly belongs to the org, not to the project.
    projectId = (await ada.postProject({ name: 'Mentions', key: 'MEN', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    await ada.postProjectUser(projectId, String(miaUser.id));
    typeId = (await ada.getIssueTypes(projectId))[0]?.id as number;
  });
  afterAll(async () => t.close());

  it('a comment mentioning a member notifies them once (reason 2); never the author, never a non-member', async () => {
    expect(miaUser.userId).toContain('@'); // the presented userId is the account's email here
    const issue = await ada.postIssue({ projectId, summary: 'Cookie bug', issueTypeId: typeId, priorityId: 3 });
    const before = (await mia.getNotifications({})).length;
    await ada.postIssueComments(issue.id, { content: `@${miaUser.userId} and @${miaUser.userId.toUpperCase()} please look; @${ollyUser.userId} too; I am @${adaUser.userId}.` });
    const mine = await mia.getNotifications({});
    expect(mine.length).toBe(before + 1);
    expect(mine[0]).toMatchObject({ reason: 2, issue: { id: issue.id }, sender: { id: adaUser.id }, comment: { content: expect.stringContaining('please look') } });
    expect(await olly.getNotifications({})).toEqual([]);
    expect(await ada.getNotifications({})).toEqual([]);
    // Mentioned and in notifiedUserId[]: still one notification.
    await ada.postIssueComments(issue.id, { content: `@${miaUser.userId} again`, notifiedUserId: [miaUser.id] });
    expect((await mia.getNotifications({})).length).toBe(before + 2);
    // An address written in running text mentions nobody.
    await ada.postIssueComments(issue.id, { content: `Mail ${miaUser.userId} if stuck` });
    expect((await mia.getNotifications({})).length).toBe(before + 2);
  });

  it('an issue description mentioning a member notifies on creation (reason 3) and when an edit newly mentions them (reason 4)', async () => {
    const created = await mia.postIssue({ projectId, summary: 'For Ada', issueTypeId: typeId, priorityId: 3, description: `cc @${adaUser.userId}` });
    const [first] = await ada.getNotifications({});
    expect(first).toMatchObject({ reason: 3, issue: { id: created.id }, sender: { id: miaUser.id } });
    const count = async () => (await mia.getNotificationsCount({ alreadyRead: false, resourceAlreadyRead: false })).count;
    const miaBefore = await count();
    await ada.patchIssue(created.id, { description: `cc @${adaUser.userId} and @${miaUser.userId}` });
    // Mia created the issue but only the mention notifies her of Ada's edit.
    expect(await count()).toBe(miaBefore + 1);
    expect((await mia.getNotifications({}))[0]).toMatchObject({ reason: 4, issue: { id: created.id }, sender: { id: adaUser.id } });
    // Editing other text keeps the mention: no second notification.
    await ada.patchIssue(created.id, { description: `cc @${adaUser.userId} and @${miaUser.userId} (updated)` });
    expect(await count()).toBe(miaBefore + 1);
  });

  it('issues and comments carry their stars in the Issue and Comment shapes (get, list, comments)', async () => {
    const issue = await mia.postIssue({ projectId, summary: 'Shiny', issueTypeId: typeId, priorityId: 3 });
    const plain = await mia.postIssue({ projectId, summary: 'Plain', issueTypeId: typeId, priorityId: 3 });
    const comment = await mia.postIssueComments(issue.id, { content: 'nice' });
    await ada.postStar({ issueId: issue.id });
    await mia.postStar({ issueId: issue.id });
    await ada.postStar({ commentId: comment.id });
    const got = await mia.getIssue(issue.issueKey);
    expect(got.stars.map((s) => [s.presenter.id, s.title])).toEqual([
      [adaUser.id, `[${issue.issueKey}] Shiny`],
      [miaUser.id, `[${issue.issueKey}] Shiny`],
    ]);
    const listed = await mia.getIssues({ projectId: [projectId], keyword: 'Shiny' });
    expect(listed[0]?.stars.map((s) => s.id)).toEqual(got.stars.map((s) => s.id));
    expect((await mia.getIssue(plain.id)).stars).toEqual([]);
    const comments = await mia.getIssueComments(issue.id, {});
    expect(comments.find((c) => c.id === comment.id)?.stars.map((s) => [s.presenter.id, s.url.endsWith(`#comment-${comment.id}`)])).toEqual([[adaUser.id, true]]);
    expect((await mia.getIssueComment(issue.id, comment.id)).stars).toHaveLength(1);
    // Mia received three stars; deleting the issue takes them (issue and comment) with it.
    expect(await ada.getUserStarsCount(miaUser.id, {})).toEqual({ count: 3 });
    await mia.deleteIssue(issue.id);
    expect(await ada.getUserStarsCount(miaUser.id, {})).toEqual({ count: 0 });
    expect(await ada.getUserStars(miaUser.id, {})).toEqual([]);
  });

  it('each notified member also gets a mail naming the issue, the sender and a link to it; the author and non-members get none', async () => {
    const issue = await ada.postIssue({ projectId, summary: 'Mail me', issueTypeId: typeId, priorityId: 3, assigneeId: miaUser.id });
    await ada.postIssueComments(issue.id, { content: `@${ollyUser.userId} not in the project; Mia, see the logs` });
    const subject = `[${issue.issueKey}] Mail me`;
    const mails = async (to: string) => (await t.kernel.mailer.outbox(200)).filter((m) => m.to === to && m.subject === subject);
    // Sent after the request, in the background: one for the assignment, one for the comment.
    await vi.waitFor(async () => expect(await mails(emails.mia)).toHaveLength(2));
    const [comment, assigned] = await mails(emails.mia);
    expect(assigned?.text).toContain(`Ada assigned you to ${issue.issueKey} "Mail me" in Mentions.`);
    expect(comment?.text).toContain('Ada commented on');
    expect(comment?.text).toContain('see the logs');
    expect(comment?.text).toContain(`/orgs/${orgId}/projects/MEN/issues/${issue.issueKey}`);
    expect(await mails(emails.ada)).toEqual([]);
    expect(await mails(emails.olly)).toEqual([]);
  });
});
