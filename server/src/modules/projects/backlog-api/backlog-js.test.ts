import { Backlog, Error as BacklogErrors } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf } from '../../../test/backlog-client';

/**
 * The official client, unchanged, against a real listening server. backlog-js always builds
 * `https://host/api/v2/…`; its `fetch` option (research §8) rewrites that to plain http for the test.
 */
describe('backlog-js 0.20.1 against Toride (issue 3 §5)', () => {
  let t: TestApp;
  let client: Backlog;
  let memberId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Acme' });
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    const apiKey = await apiKeyOf(admin);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    client = new Backlog({
      host: `127.0.0.1:${address.port}`,
      apiKey,
      fetch: (url, init) => fetch(String(url).replace(/^https:\/\//, 'http://'), init),
    });
    const memberClient = new Backlog({
      host: `127.0.0.1:${address.port}`,
      apiKey: await apiKeyOf(member),
      fetch: (url, init) => fetch(String(url).replace(/^https:\/\//, 'http://'), init),
    });
    memberId = (await memberClient.getMyself()).id;
  });
  afterAll(async () => t.close());

  it('getSpace and getMyself return the space and the caller', async () => {
    const space = await client.getSpace();
    expect(space).toMatchObject({ name: 'Acme', lang: 'en', textFormattingRule: 'markdown' });
    const me = await client.getMyself();
    expect(me).toMatchObject({ name: 'Ada Admin', roleType: 1 });
    expect(space.ownerId).toBe(me.id);
  });

  it('postProject, getProjects, then issues with arrays, filters, change log, comments and deletion', async () => {
    const project = await client.postProject({ name: 'Apollo', key: 'APOLLO', chartEnabled: true, subtaskingEnabled: true, textFormattingRule: 'markdown' });
    expect(project).toMatchObject({ projectKey: 'APOLLO', chartEnabled: true, archived: false });
    expect((await client.getProjects()).map((p) => p.projectKey)).toEqual(['APOLLO']);
    await client.postProjectUser(project.id, String(memberId));

    const [task] = await client.getIssueTypes(project.id);
    const category = await client.postCategories(project.id, { name: 'Backend' });
    const other = await client.postCategories(project.id, { name: 'Docs' });
    const milestone = await client.postVersions(project.id, { name: 'M1', releaseDueDate: '2026-12-31' });

    const issue = await client.postIssue({
      projectId: project.id,
      summary: 'Launch',
      issueTypeId: task?.id as number,
      priorityId: 2,
      categoryId: [category.id, other.id],
      milestoneId: [milestone.id],
      assigneeId: memberId,
      dueDate: '2026-12-24',
    });
    expect(issue).toMatchObject({ issueKey: 'APOLLO-1', priority: { id: 2 }, assignee: { id: memberId }, dueDate: '2026-12-24T00:00:00Z' });
    expect(issue.category.map((c) => c.id).sort()).toEqual([category.id, other.id].sort());
    expect(issue.milestone.map((m) => m.name)).toEqual(['M1']);
    await client.postIssue({ projectId: project.id, summary: 'Unassigned', issueTypeId: task?.id as number, priorityId: 3 });

    const assigned = await client.getIssues({ projectId: [project.id], assigneeId: [memberId], statusId: [1, 2, 3] });
    expect(assigned.map((i) => i.issueKey)).toEqual(['APOLLO-1']);
    expect(await client.getIssuesCount({ projectId: [project.id] })).toEqual({ count: 2 });

    const patched = await client.patchIssue('APOLLO-1', { statusId: 2, comment: 'Started' });
    expect(patched.status.name).toBe('In Progress');
    await client.postIssueComments(issue.id, { content: 'Second thought' });
    const comments = await client.getIssueComments('APOLLO-1', { order: 'asc' });
    expect(comments.map((c) => c.content)).toEqual(['Started', 'Second thought']);
    expect(comments[0]?.changeLog).toEqual([{ field: 'status', newValue: 'In Progress', originalValue: 'Open', attachmentInfo: null, attributeInfo: null, notificationInfo: null }]);

    const deleted = await client.deleteIssue('APOLLO-1');
    expect(deleted.issueKey).toBe('APOLLO-1');
    expect(await client.getIssuesCount({ projectId: [project.id] })).toEqual({ count: 1 });
  });

  it('surfaces a missing issue as BacklogApiError with the code-6 body', async () => {
    const error = await client.getIssue('APOLLO-999').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BacklogErrors.BacklogApiError);
    const apiError = error as InstanceType<typeof BacklogErrors.BacklogApiError>;
    expect(apiError.status).toBe(404);
    expect(apiError.body?.errors[0]).toMatchObject({ code: 6, message: 'No issue.' });
  });

  it('surfaces a bad key as BacklogAuthError (a JSON 401)', async () => {
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const stranger = new Backlog({ host: `127.0.0.1:${address.port}`, apiKey: 'trd_AAAAAAAA_notarealkeynotarealkey00', fetch: (url, init) => fetch(String(url).replace(/^https:\/\//, 'http://'), init) });
    const error = await stranger.getSpace().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BacklogErrors.BacklogAuthError);
    expect((error as InstanceType<typeof BacklogErrors.BacklogAuthError>).body?.errors[0]?.code).toBe(11);
  });
});
