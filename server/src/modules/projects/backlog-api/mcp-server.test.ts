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
  let me: { id: number; name: string };
  let member: { id: number; name: string };
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
    member = (await backlog(t, await apiKeyOf(mia), 'GET', '/users/myself')).body;
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

    it.todo('get_space_activities → GET /api/v2/space/activities (engineer A: activities)');
    it.todo('get_user_stars_count → GET /api/v2/users/:userId/stars/count (engineer A: stars)');
    it.todo('get_user_recent_updates → GET /api/v2/users/:userId/activities (engineer A: activities)');
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

    it.todo('get_related_issues → GET /api/v2/issues/:issueIdOrKey/relatedIssues (not yet built)');
    it.todo('add_related_issue → POST /api/v2/issues/:issueIdOrKey/relatedIssues (not yet built)');
    it.todo('remove_related_issue → DELETE /api/v2/issues/:issueIdOrKey/relatedIssues/:relatedIssueId (not yet built)');
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

    it.todo('get_watching_list_items → GET /api/v2/users/:userId/watchings (engineer A: watchings)');
    it.todo('get_watching_list_count → GET /api/v2/users/:userId/watchings/count (engineer A: watchings)');
    it.todo('add_watching → POST /api/v2/watchings (engineer A: watchings)');
    it.todo('update_watching → PATCH /api/v2/watchings/:watchId (engineer A: watchings)');
    it.todo('delete_watching → DELETE /api/v2/watchings/:watchId (engineer A: watchings)');
    it.todo('mark_watching_as_read → POST /api/v2/watchings/:watchId/markAsRead (engineer A: watchings)');
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
    it.todo('get_notifications → GET /api/v2/notifications (engineer A: notifications)');
    it.todo('count_notifications → GET /api/v2/notifications/count (engineer A: notifications)');
    it.todo('reset_unread_notification_count → POST /api/v2/notifications/markAsRead (engineer A: notifications)');
    it.todo('mark_notification_as_read → POST /api/v2/notifications/:id/markAsRead (engineer A: notifications)');
  });
});
