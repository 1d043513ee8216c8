import type { Backlog } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';

const upload = (client: Backlog, name: string, content: string | Uint8Array, type = 'text/plain') => {
  const form = new FormData();
  form.append('file', new Blob([content as BlobPart], { type }), name);
  return client.postSpaceAttachment(form);
};

/** Attachments (issue 3 §1–2): upload, attach on create/update, list, download, delete; limits; W7.7. */
describe('attachments', () => {
  let t: TestApp;
  let admin: Backlog;
  let member: Backlog;
  let keyAdmin: string;
  let keyMember: string;
  let keyOther: string;
  let port: number;
  let projectId: number;
  let taskType: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const a = await signUpUser(t, { orgName: 'Acme' });
    const m = await addMember(t, a, 'member');
    keyAdmin = await apiKeyOf(a);
    keyMember = await apiKeyOf(m);
    keyOther = await apiKeyOf(await signUpUser(t, { orgName: 'Other' }));
    port = await listenOnLoopback(t);
    admin = backlogClient(port, keyAdmin);
    member = backlogClient(port, keyMember);
    projectId = (await admin.postProject({ name: 'Files', key: 'FILES', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    await admin.postProjectUser(projectId, String((await member.getMyself()).id));
    taskType = (await admin.getIssueTypes(projectId))[0]?.id as number;
  });
  afterAll(async () => t.close());

  it('uploads, attaches on create and update, lists, downloads and deletes (with change log)', async () => {
    const first = await upload(member, 'notes 日本.txt', 'hello world');
    expect(first).toMatchObject({ name: 'notes 日本.txt', size: 11 });
    const issue = await member.postIssue({ projectId, summary: 'With file', issueTypeId: taskType, priorityId: 3, attachmentId: [first.id] });
    expect(issue.attachments).toEqual([expect.objectContaining({ id: first.id, name: 'notes 日本.txt', size: 11 })]);

    const second = await upload(member, 'pic.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    const patched = await member.patchIssue(issue.id, { attachmentId: [second.id] });
    expect(patched.attachments.map((a) => a.name)).toEqual(['notes 日本.txt', 'pic.png']);
    const [log] = await member.getIssueComments(issue.id, {});
    expect(log?.changeLog[0]).toMatchObject({ field: 'attachment', newValue: 'pic.png', attachmentInfo: { id: second.id, type: 'file' } });

    const listed = await admin.getIssueAttachments(issue.issueKey);
    expect(listed.map((a) => a.id)).toEqual([first.id, second.id]);
    const file = (await admin.getIssueAttachment(issue.id, first.id)) as { filename: string; body: ReadableStream };
    expect(file.filename).toBe('notes 日本.txt');
    expect(await new Response(file.body).text()).toBe('hello world');
    const raw = await backlog(t, keyAdmin, 'GET', `/issues/${issue.id}/attachments/${second.id}`);
    expect(raw.headers['content-type']).toBe('image/png');
    expect(raw.headers['x-content-type-options']).toBe('nosniff');

    // An attached upload cannot be attached again; the admin deletes a member's file.
    expect((await backlog(t, keyMember, 'POST', '/issues', { projectId, summary: 'again', issueTypeId: taskType, priorityId: 3, attachmentId: [first.id] })).status).toBe(400);
    const removed = await admin.deleteIssueAttachment(issue.id, String(first.id));
    expect(removed).toMatchObject({ id: first.id, name: 'notes 日本.txt' });
    expect((await admin.getIssueAttachments(issue.id)).map((a) => a.id)).toEqual([second.id]);
    const third = await upload(member, 'with-comment.txt', 'c');
    const withFile = await member.postIssueComments(issue.id, { content: 'see file', attachmentId: [third.id] });
    expect(withFile.changeLog[0]).toMatchObject({ field: 'attachment', newValue: 'with-comment.txt', attachmentInfo: { id: third.id, type: 'file' } });
    expect((await admin.getIssueAttachments(issue.id)).map((a) => a.id)).toEqual([second.id, third.id]);
    expect((await backlog(t, keyAdmin, 'GET', `/issues/${issue.id}/attachments/${first.id}`)).status).toBe(404);
    const [, deletion] = await member.getIssueComments(issue.id, {});
    expect(deletion?.changeLog[0]).toMatchObject({ field: 'attachment', newValue: null, originalValue: 'notes 日本.txt' });
  });

  it('refuses other users’ pending uploads, non-multipart bodies, missing parts and files over the limit', async () => {
    const mine = await upload(admin, 'a.txt', 'a');
    const res = await backlog(t, keyMember, 'POST', '/issues', { projectId, summary: 's', issueTypeId: taskType, priorityId: 3, attachmentId: [mine.id] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe(7);
    expect((await backlog(t, keyAdmin, 'POST', '/space/attachment', { file: 'x' })).status).toBe(400);
    const noFile = new FormData();
    noFile.append('other', 'x');
    const noFileRes = await fetch(`http://127.0.0.1:${port}/api/v2/space/attachment`, { method: 'POST', headers: { 'backlog-api-key': keyAdmin }, body: noFile });
    expect(noFileRes.status).toBe(400);
    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'application/octet-stream' }), 'big.bin');
    const bigRes = await fetch(`http://127.0.0.1:${port}/api/v2/space/attachment`, { method: 'POST', headers: { 'backlog-api-key': keyAdmin }, body: big });
    expect(bigRes.status).toBe(413);
    expect(((await bigRes.json()) as { errors: { code: number }[] }).errors[0]?.code).toBe(10);
    const anon = await fetch(`http://127.0.0.1:${port}/api/v2/space/attachment`, { method: 'POST', body: noFile });
    expect(anon.status).toBe(401);
  });

  it('a member who did not upload may not delete; pending uploads expire after an hour', async () => {
    const file = await upload(admin, 'admin.txt', 'x');
    const issue = await admin.postIssue({ projectId, summary: 'admin file', issueTypeId: taskType, priorityId: 3, attachmentId: [file.id] });
    expect((await backlog(t, keyMember, 'DELETE', `/issues/${issue.id}/attachments/${file.id}`)).status).toBe(403);
    const late = await upload(admin, 'late.txt', 'x');
    t.clock.advance(61 * 60 * 1000);
    expect((await backlog(t, keyAdmin, 'PATCH', `/issues/${issue.id}`, { attachmentId: [late.id] })).status).toBe(400);
  });

  it('W7.7 another org’s attachment and issue ids answer like random ids', async () => {
    const file = await upload(admin, 'secret.txt', 'secret');
    const issue = await admin.postIssue({ projectId, summary: 'secret', issueTypeId: taskType, priorityId: 3, attachmentId: [file.id] });
    for (const [method, path] of [
      ['GET', `/issues/${issue.id}/attachments`],
      ['GET', `/issues/${issue.id}/attachments/${file.id}`],
      ['DELETE', `/issues/${issue.id}/attachments/${file.id}`],
    ] as const) {
      const foreign = await backlog(t, keyOther, method, path);
      const random = await backlog(t, keyOther, method, path.replace(String(issue.id), '987654'));
      expect(foreign.status, path).toBe(404);
      expect(foreign.body).toEqual(random.body);
    }
    const otherProject = (await backlog(t, keyOther, 'POST', '/projects', { name: 'O', key: 'OTH' })).body;
    const otherType = (await backlog(t, keyOther, 'GET', '/projects/OTH/issueTypes')).body[0].id;
    const pendingA = await upload(admin, 'p.txt', 'p');
    const steal = await backlog(t, keyOther, 'POST', '/issues', { projectId: otherProject.id, summary: 'x', issueTypeId: otherType, priorityId: 3, attachmentId: [pendingA.id] });
    const random = await backlog(t, keyOther, 'POST', '/issues', { projectId: otherProject.id, summary: 'x', issueTypeId: otherType, priorityId: 3, attachmentId: [987654] });
    expect(steal.status).toBe(400);
    expect(steal.body).toEqual(random.body);
  });
});
