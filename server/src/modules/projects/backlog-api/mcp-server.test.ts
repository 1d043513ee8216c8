import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

/**
 * The official backlog-mcp-server 0.20.4, unchanged, over stdio against a listening Toride on a
 * seeded space (issue 3 §5): every tool of the space, project, issue, wiki, document and
 * notifications toolsets, asserting the data in each answer. The server always calls
 * `https://BACKLOG_DOMAIN/api/v2/…` and has no fetch hook, so a `node --import` preload
 * (`src/test/https-to-local-http.mjs`) sends those requests to the plain-http test server.
 */
const ROOT = path.resolve(import.meta.dirname, '../../../../..');
const MCP_SERVER = path.join(ROOT, 'node_modules/backlog-mcp-server/build/index.js');
const PRELOAD = path.join(ROOT, 'server/src/test/https-to-local-http.mjs');

type Json = any;

describe('backlog-mcp-server 0.20.4 over stdio against Toride (issue 3 §5)', () => {
  let t: TestApp;
  let client: Client;
  let key: string;
  let me: { id: number; name: string; userId: string };
  let member: { id: number; name: string; userId: string };
  let memberKey: string;
  let project: { id: number; projectKey: string };
  let base: string;

  async function call(name: string, args: Record<string, unknown> = {}): Promise<Json> {
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? '';
    if (result.isError) throw new Error(`${name} failed: ${text}`);
    return JSON.parse(text);
  }

  beforeAll(async () => {
    t = await buildTestApp();
    const admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Acme' });
    const mia = await addMember(t, admin, 'member', { name: 'Mia Member' });
    key = await apiKeyOf(admin);
    me = (await backlog(t, key, 'GET', '/users/myself')).body;
    memberKey = await apiKeyOf(mia);
    member = (await backlog(t, memberKey, 'GET', '/users/myself')).body;
    project = (await backlog(t, key, 'POST', '/projects', { name: 'Seed', key: 'SEED', chartEnabled: false, subtaskingEnabled: true, textFormattingRule: 'markdown' })).body;
    await backlog(t, key, 'POST', `/projects/SEED/users`, { userId: member.id });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_SERVER],
      env: {
        PATH: process.env.PATH ?? '',
        BACKLOG_DOMAIN: `127.0.0.1:${address.port}`,
        BACKLOG_API_KEY: key,
        ENABLE_TOOLSETS: 'space,project,issue,wiki,document,notifications',
        NODE_OPTIONS: `--import=${PRELOAD}`,
      },
      stderr: 'ignore',
    });
    client = new Client({ name: 'toride-test', version: '0.0.1' });
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await t.close();
  });

  it('offers every tool of the six toolsets', async () => {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    for (const name of ['get_space', 'get_users', 'get_myself', 'get_project_list', 'add_issue', 'update_issue', 'get_wiki_pages', 'get_document_tree', 'get_notifications']) {
      expect(names).toContain(name);
    }
    expect(names.some((name) => name.includes('pull_request'))).toBe(false);
  });

  describe('space toolset', () => {
    it('get_space returns the org’s space', async () => {
      const space = await call('get_space');
      expect(space).toMatchObject({ name: 'Acme', ownerId: me.id, lang: 'en', textFormattingRule: 'markdown' });
      expect(space.spaceKey).toMatch(/^t[0-9a-f]{12}$/);
    });

    it('get_users lists the org’s people with their roleType', async () => {
      const users: { name: string; roleType: number }[] = await call('get_users');
      expect(users.map((u) => [u.name, u.roleType]).sort()).toEqual([
        ['Ada Admin', 1],
        ['Mia Member', 2],
      ]);
    });

    it('get_myself returns the key’s account', async () => {
      expect(await call('get_myself')).toMatchObject({ id: me.id, name: 'Ada Admin', roleType: 1 });
    });

    // get_space_activities, get_user_stars_count and get_user_recent_updates: at the end of the file,
    // once the other toolsets have made issues, comments and stars to report.
  });

  describe('project toolset', () => {
    it('get_project_list, get_project (id and key), get_project_users', async () => {
      const list: { projectKey: string }[] = await call('get_project_list', {});
      expect(list.map((p) => p.projectKey)).toEqual(['SEED']);
      expect(await call('get_project', { projectKey: 'SEED' })).toMatchObject({ id: project.id, name: 'Seed', archived: false });
      expect(await call('get_project', { projectId: project.id })).toMatchObject({ projectKey: 'SEED' });
      const users: { name: string }[] = await call('get_project_users', { projectKey: 'SEED' });
      expect(users.map((u) => u.name).sort()).toEqual(['Ada Admin', 'Mia Member']);
    });

    it('add_project creates with the tool’s defaults; update_project renames and archives', async () => {
      const created = await call('add_project', { name: 'Mercury', key: 'MERC' });
      expect(created).toMatchObject({ projectKey: 'MERC', name: 'Mercury', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'backlog' });
      const updated = await call('update_project', { projectKey: 'MERC', name: 'Mercury II', archived: true });
      expect(updated).toMatchObject({ id: created.id, name: 'Mercury II', archived: true });
      const all: { projectKey: string; archived: boolean }[] = await call('get_project_list', { archived: true });
      expect(all.map((p) => p.projectKey)).toEqual(['MERC']);
    });
  });

  describe('issue toolset', () => {
    let issueTypeId: number;
    let issueKey: string;
    let issueId: number;

    it('metadata: get_issue_types, get_priorities, get_resolutions, get_categories + add_category', async () => {
      const types: { id: number; name: string }[] = await call('get_issue_types', { projectKey: 'SEED' });
      expect(types.map((x) => x.name)).toEqual(['Task', 'Bug', 'Request', 'Other']);
      issueTypeId = types[1]!.id;
      const priorities: { id: number; name: string }[] = await call('get_priorities');
      expect(priorities.map((p) => [p.id, p.name])).toEqual([
        [2, 'High'],
        [3, 'Normal'],
        [4, 'Low'],
      ]);
      const resolutions: { name: string }[] = await call('get_resolutions');
      expect(resolutions.map((r) => r.name)).toContain('Fixed');
      const category = await call('add_category', { projectKey: 'SEED', name: 'Backend' });
      expect(category).toMatchObject({ projectId: project.id, name: 'Backend' });
      expect((await call('get_categories', { projectId: project.id })).map((c: { name: string }) => c.name)).toEqual(['Backend']);
    });

    it('milestones: add_version_milestone, get_version_milestone_list, update_version_milestone, delete_version', async () => {
      const added = await call('add_version_milestone', { projectKey: 'SEED', name: 'v1', description: 'first', startDate: '2026-12-01', releaseDueDate: '2026-12-24' });
      expect(added).toMatchObject({ projectId: project.id, name: 'v1', description: 'first', archived: false });
      expect(added.releaseDueDate).toMatch(/^2026-12-24/);
      const updated = await call('update_version_milestone', { projectKey: 'SEED', id: added.id, name: 'v1.0', archived: true });
      expect(updated).toMatchObject({ id: added.id, name: 'v1.0', archived: true });
      expect((await call('get_version_milestone_list', { projectKey: 'SEED' })).map((v: { name: string }) => v.name)).toEqual(['v1.0']);
      expect(await call('delete_version', { projectKey: 'SEED', id: added.id })).toMatchObject({ id: added.id, name: 'v1.0' });
      expect(await call('get_version_milestone_list', { projectId: project.id })).toEqual([]);
    });

    it('add_issue, get_issue (key and id), get_issues and count_issues with filters', async () => {
      const added = await call('add_issue', { projectId: project.id, summary: 'Fix the login', issueTypeId, priorityId: 2, description: 'It fails', assigneeId: member.id, dueDate: '2026-12-31' });
      expect(added).toMatchObject({ issueKey: 'SEED-1', summary: 'Fix the login', description: 'It fails', priority: { id: 2 }, assignee: { id: member.id }, status: { name: 'Open' } });
      issueKey = added.issueKey;
      issueId = added.id;
      await call('add_issue', { projectId: project.id, summary: 'Write docs', issueTypeId, priorityId: 3 });
      expect(await call('get_issue', { issueKey })).toMatchObject({ id: issueId, summary: 'Fix the login' });
      expect(await call('get_issue', { issueId })).toMatchObject({ issueKey });
      const mine: { issueKey: string }[] = await call('get_issues', { projectId: [project.id], assigneeId: [member.id] });
      expect(mine.map((i) => i.issueKey)).toEqual(['SEED-1']);
      const byKeyword: { issueKey: string }[] = await call('get_issues', { projectId: [project.id], keyword: 'docs' });
      expect(byKeyword.map((i) => i.issueKey)).toEqual(['SEED-2']);
      expect(await call('count_issues', { projectId: [project.id] })).toEqual({ count: 2 });
      expect(await call('count_issues', { projectId: [project.id], priorityId: [2] })).toEqual({ count: 1 });
    });

    it('update_issue changes status with a comment; the change log is in get_issue_comments', async () => {
      const updated = await call('update_issue', { issueKey, statusId: 2, summary: 'Fix the login page', comment: 'Started' });
      expect(updated).toMatchObject({ summary: 'Fix the login page', status: { id: 2, name: 'In Progress' } });
      const comments: { content: string; changeLog: { field: string; newValue: string }[] }[] = await call('get_issue_comments', { issueKey });
      const started = comments.find((c) => c.content === 'Started');
      expect(started?.changeLog).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'status', newValue: 'In Progress' })]));
    });

    it('add_issue_comment, update_issue_comment, get_issue_comments (count, order)', async () => {
      const added = await call('add_issue_comment', { issueKey, content: 'Looks like a cookie issue' });
      expect(added).toMatchObject({ content: 'Looks like a cookie issue', createdUser: { id: me.id } });
      const updated = await call('update_issue_comment', { issueKey, commentId: added.id, content: 'It is a cookie issue' });
      expect(updated).toMatchObject({ id: added.id, content: 'It is a cookie issue' });
      const latest: { id: number; content: string }[] = await call('get_issue_comments', { issueId, count: 1, order: 'desc' });
      expect(latest).toEqual([expect.objectContaining({ id: added.id, content: 'It is a cookie issue' })]);
    });

    it('delete_issue removes it and returns it', async () => {
      expect(await call('delete_issue', { issueKey: 'SEED-2' })).toMatchObject({ issueKey: 'SEED-2', summary: 'Write docs' });
      expect(await call('count_issues', { projectId: [project.id] })).toEqual({ count: 1 });
      await expect(call('get_issue', { issueKey: 'SEED-2' })).rejects.toThrow(/No issue|not|6/i);
    });

    it('add_related_issue, get_related_issues (both sides, id and key), remove_related_issue', async () => {
      const other = await call('add_issue', { projectId: project.id, summary: 'Session cookie expires early', issueTypeId, priorityId: 3 });
      expect(other.issueKey).toBe('SEED-3');
      const added = await call('add_related_issue', { issueKey, targetIssueId: other.id });
      expect(added).toMatchObject({ id: other.id, issueKey: 'SEED-3', summary: 'Session cookie expires early', type: 'RELATES' });
      const fromFirst: { issueKey: string; type: string }[] = await call('get_related_issues', { issueId });
      expect(fromFirst.map((i) => [i.issueKey, i.type])).toEqual([['SEED-3', 'RELATES']]);
      const fromOther: { id: number; summary: string }[] = await call('get_related_issues', { issueKey: 'SEED-3' });
      expect(fromOther.map((i) => [i.id, i.summary])).toEqual([[issueId, 'Fix the login page']]);
      expect(await call('remove_related_issue', { issueKey: 'SEED-3', relatedIssueId: issueId })).toMatchObject({ id: issueId, issueKey, type: 'RELATES' });
      expect(await call('get_related_issues', { issueKey })).toEqual([]);
      await expect(call('remove_related_issue', { issueKey, relatedIssueId: other.id })).rejects.toThrow(/not related|404|No/i);
    });

    it('get_custom_fields lists the project’s custom fields', async () => {
      const created = await backlog(t, key, 'POST', '/projects/SEED/customFields', { typeId: 3, name: 'Story points', description: 'Effort', required: false });
      expect(created.status).toBe(201);
      const fields: { id: number; typeId: number; name: string }[] = await call('get_custom_fields', { projectKey: 'SEED' });
      expect(fields).toEqual([expect.objectContaining({ id: created.body.id, typeId: 3, name: 'Story points', description: 'Effort' })]);
    });

    it('get_issue_attachment returns a text attachment’s content', async () => {
      const form = new FormData();
      form.append('file', new Blob(['line one\nline two\n'], { type: 'text/plain' }), 'notes.txt');
      const uploaded = await fetch(`${base}/api/v2/space/attachment`, { method: 'POST', headers: { 'backlog-api-key': key }, body: form });
      expect(uploaded.status).toBe(200);
      const file = (await uploaded.json()) as { id: number };
      const types = (await backlog(t, key, 'GET', '/projects/SEED/issueTypes')).body as { id: number }[];
      const issue = (await backlog(t, key, 'POST', '/issues', { projectId: project.id, summary: 'With a file', issueTypeId: types[0]!.id, priorityId: 3, attachmentId: [file.id] })).body;
      const attachment = issue.attachments[0] as { id: number; name: string };
      expect(attachment.name).toBe('notes.txt');
      const result = await client.callTool({ name: 'get_issue_attachment', arguments: { issueKey: issue.issueKey, attachmentId: attachment.id } });
      expect(result.isError).toBeFalsy();
      const text = JSON.stringify(result.content);
      expect(text).toContain('line one\\nline two');
      expect(text).toContain('notes.txt');
    });

    it('add_watching, get_watching_list_items, get_watching_list_count, update_watching, mark_watching_as_read, delete_watching', async () => {
      expect(await call('get_watching_list_items', { userId: me.id })).toEqual([]);
      const watch = await call('add_watching', { issueIdOrKey: issueKey, note: 'login flow' });
      expect(watch).toMatchObject({ note: 'login flow', type: 'issue', resourceAlreadyRead: true, issue: { id: issueId, issueKey } });
      expect(await call('get_watching_list_count', { userId: me.id })).toEqual({ count: 1 });
      // The member comments: the watch turns unread.
      expect((await backlog(t, memberKey, 'POST', `/issues/${issueKey}/comments`, { content: 'Reproduced on Safari' })).status).toBe(201);
      const [unread] = await call('get_watching_list_items', { userId: me.id });
      expect(unread).toMatchObject({ id: watch.id, resourceAlreadyRead: false, issue: { issueKey } });
      expect(await call('update_watching', { watchId: watch.id, note: 'login flow (Safari)' })).toMatchObject({ id: watch.id, note: 'login flow (Safari)' });
      expect(await call('mark_watching_as_read', { watchId: watch.id })).toEqual({ success: true, message: `Watch ${watch.id} marked as read` });
      expect((await call('get_watching_list_items', { userId: me.id })).map((w: { id: number; resourceAlreadyRead: boolean; note: string }) => [w.id, w.resourceAlreadyRead, w.note])).toEqual([[watch.id, true, 'login flow (Safari)']]);
      expect(await call('delete_watching', { watchId: watch.id })).toMatchObject({ id: watch.id, issue: { id: issueId } });
      expect(await call('get_watching_list_count', { userId: me.id })).toEqual({ count: 0 });
    });
  });

  describe('wiki toolset', () => {
    it('add_wiki, get_wiki, update_wiki, get_wiki_pages (keyword), get_wikis_count', async () => {
      const added = await call('add_wiki', { projectId: project.id, name: 'Runbooks/Deploy', content: '# Deploy\n\nRun the script.', mailNotify: false });
      expect(added).toMatchObject({ projectId: project.id, name: 'Runbooks/Deploy', content: '# Deploy\n\nRun the script.', createdUser: { id: me.id } });
      expect(await call('get_wiki', { wikiId: added.id })).toMatchObject({ id: added.id, name: 'Runbooks/Deploy' });
      const updated = await call('update_wiki', { wikiId: added.id, content: '# Deploy\n\nRun deploy.sh twice.', mailNotify: false });
      expect(updated).toMatchObject({ id: added.id, content: '# Deploy\n\nRun deploy.sh twice.' });
      await call('add_wiki', { projectId: project.id, name: 'Home', content: 'Welcome', mailNotify: false });
      const pages: { name: string }[] = await call('get_wiki_pages', { projectKey: 'SEED' });
      expect(pages.map((p) => p.name).sort()).toEqual(['Home', 'Runbooks/Deploy']);
      const found: { name: string }[] = await call('get_wiki_pages', { projectId: project.id, keyword: 'Runbooks' });
      expect(found.map((p) => p.name)).toEqual(['Runbooks/Deploy']);
      expect(await call('get_wikis_count', { projectKey: 'SEED' })).toEqual({ count: 2 });
    });
  });

  describe('document toolset', () => {
    it('add_document, get_document, get_documents, get_document_tree', async () => {
      const parent = await call('add_document', { projectId: project.id, title: 'Handbook', content: 'How we work', emoji: '📘' });
      expect(parent).toMatchObject({ projectId: project.id, title: 'Handbook', emoji: '📘' });
      expect(typeof parent.id).toBe('string');
      const child = await call('add_document', { projectId: project.id, title: 'On-call', content: 'Rotation', parentId: parent.id, addLast: true });
      expect(child).toMatchObject({ title: 'On-call' });
      expect(await call('get_document', { documentId: child.id })).toMatchObject({ id: child.id, title: 'On-call', plain: expect.stringContaining('Rotation') });
      const docs: { title: string }[] = await call('get_documents', { projectIds: [project.id], offset: 0 });
      expect(docs.map((d) => d.title).sort()).toEqual(['Handbook', 'On-call']);
      const tree = await call('get_document_tree', { projectIdOrKey: 'SEED' });
      expect(tree.projectId).toBe(project.id);
      const top = tree.activeTree.children.find((n: { id: string }) => n.id === parent.id);
      expect(top.children.map((n: { id: string }) => n.id)).toEqual([child.id]);
    });
  });

  describe('notifications toolset', () => {
    it('get_notifications (a mention), count_notifications, mark_notification_as_read, reset_unread_notification_count', async () => {
      const unread = { alreadyRead: false, resourceAlreadyRead: false };
      expect(await call('reset_unread_notification_count')).toEqual({ count: 0 });
      expect(await call('count_notifications', unread)).toEqual({ count: 0 });
      // The member mentions the admin in a comment on SEED-3 (neither its creator's nor assignee's business otherwise).
      const types = (await backlog(t, memberKey, 'GET', '/projects/SEED/issueTypes')).body as { id: number }[];
      const mine = (await backlog(t, memberKey, 'POST', '/issues', { projectId: project.id, summary: 'Needs an admin', issueTypeId: types[0]!.id, priorityId: 3 })).body;
      expect((await backlog(t, memberKey, 'POST', `/issues/${mine.issueKey}/comments`, { content: `@${me.userId} could you grant access?` })).status).toBe(201);
      expect((await backlog(t, memberKey, 'POST', `/issues/${mine.issueKey}/comments`, { content: `Thanks @${me.userId}!`, notifiedUserId: [me.id] })).status).toBe(201);
      const latest: { id: number; reason: number; alreadyRead: boolean; issue: { issueKey: string }; comment: { content: string }; sender: { id: number } }[] = await call('get_notifications', { count: 2 });
      expect(latest.map((n) => [n.reason, n.issue.issueKey, n.comment.content, n.sender.id, n.alreadyRead])).toEqual([
        [2, mine.issueKey, `Thanks @${me.userId}!`, member.id, false],
        [2, mine.issueKey, `@${me.userId} could you grant access?`, member.id, false],
      ]);
      expect(await call('count_notifications', unread)).toEqual({ count: 2 });
      expect(await call('mark_notification_as_read', { id: latest[1]!.id })).toEqual({ success: true, message: expect.stringContaining(String(latest[1]!.id)) });
      expect(await call('count_notifications', unread)).toEqual({ count: 1 });
      expect((await call('get_notifications', { count: 2 })).map((n: { alreadyRead: boolean }) => n.alreadyRead)).toEqual([false, true]);
      expect(await call('reset_unread_notification_count')).toEqual({ count: 0 });
      expect(await call('count_notifications', { alreadyRead: false, resourceAlreadyRead: true })).toEqual({ count: 0 });
    });
  });

  describe('space toolset: activities, stars and recent updates (after the other toolsets made some)', () => {
    it('get_space_activities: newest first, filtered by activityTypeId, cursor order', async () => {
      expect((await backlog(t, memberKey, 'POST', '/issues/SEED-1/comments', { content: 'Activity probe' })).status).toBe(201);
      const [newest] = await call('get_space_activities', { count: 1 });
      expect(newest).toMatchObject({ type: 3, project: { id: project.id, projectKey: 'SEED' }, createdUser: { id: member.id }, content: { key_id: 1, comment: { content: 'Activity probe' } } });
      const created: { type: number; content: { summary: string } }[] = await call('get_space_activities', { activityTypeId: [1], order: 'asc', count: 3 });
      expect(created.map((a) => [a.type, a.content.summary])).toEqual([
        [1, 'Fix the login'],
        [1, 'Write docs'],
        [1, 'Session cookie expires early'],
      ]);
      const older: { id: number }[] = await call('get_space_activities', { maxId: newest.id, count: 5 });
      expect(older.length).toBe(5);
      expect(older.every((a) => a.id < newest.id)).toBe(true);
    });

    it('get_user_recent_updates lists one user’s activities', async () => {
      const updates: { type: number; createdUser: { id: number }; content: { comment?: { content: string } } }[] = await call('get_user_recent_updates', { userId: member.id, count: 100 });
      expect(updates.length).toBeGreaterThanOrEqual(4);
      expect(updates.every((a) => a.createdUser.id === member.id)).toBe(true);
      expect(updates[0]).toMatchObject({ type: 3, content: { comment: { content: 'Activity probe' } } });
      expect((await call('get_user_recent_updates', { userId: member.id, activityTypeId: [1] })).map((a: { content: { summary: string } }) => a.content.summary)).toEqual(['Needs an admin']);
    });

    it('get_user_stars_count counts the stars a user received, with since/until', async () => {
      expect(await call('get_user_stars_count', { userId: me.id })).toEqual({ count: 0 });
      const comments = (await backlog(t, key, 'GET', '/issues/SEED-1/comments', { order: 'asc', count: 100 })).body as { id: number; createdUser: { id: number } }[];
      const myComment = comments.find((c) => c.createdUser.id === me.id)!;
      expect((await backlog(t, memberKey, 'POST', '/stars', { issueId: (await backlog(t, key, 'GET', '/issues/SEED-1')).body.id })).status).toBe(204);
      expect((await backlog(t, memberKey, 'POST', '/stars', { commentId: myComment.id })).status).toBe(204);
      expect(await call('get_user_stars_count', { userId: me.id })).toEqual({ count: 2 });
      expect(await call('get_user_stars_count', { userId: member.id })).toEqual({ count: 0 });
      // The test clock stands at 2026-11-25.
      expect(await call('get_user_stars_count', { userId: me.id, since: '2026-11-25', until: '2026-11-25' })).toEqual({ count: 2 });
      expect(await call('get_user_stars_count', { userId: me.id, since: '2026-11-26' })).toEqual({ count: 0 });
      const issue = await call('get_issue', { issueKey: 'SEED-1' });
      expect(issue.stars.map((s: { presenter: { id: number } }) => s.presenter.id)).toEqual([member.id]);
    });
  });
});
