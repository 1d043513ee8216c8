import type { Backlog} from 'backlog-js';
import { Error as BacklogErrors } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';

describe('documents through backlog-js 0.20.1 (issue 3 §1, §2)', () => {
  let t: TestApp;
  let admin: TestUser;
  let client: Backlog;
  let key: string;
  let outsiderKey: string;
  let otherKey: string;
  let projectId: number;
  let foreignDocumentId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Acme' });
    key = await apiKeyOf(admin);
    outsiderKey = await apiKeyOf(await addMember(t, admin, 'member'));
    const port = await listenOnLoopback(t);
    client = backlogClient(port, key);
    projectId = (await client.postProject({ name: 'Handbook', key: 'HB', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    otherKey = await apiKeyOf(await signUpUser(t, { orgName: 'Other' }));
    const otherProject = (await backlog(t, otherKey, 'POST', '/projects', { name: 'Other', key: 'OTH' })).body;
    foreignDocumentId = (await backlog(t, otherKey, 'POST', '/documents', { projectId: otherProject.id, title: 'Foreign' })).body.id;
  });
  afterAll(async () => t.close());

  it('addDocument, getDocument, getDocuments, getDocumentTree, deleteDocument', async () => {
    const root = await client.addDocument({ projectId, title: 'Onboarding', content: 'Welcome\nRead this first', emoji: '📘' });
    expect(root).toMatchObject({ projectId, title: 'Onboarding', plain: 'Welcome\nRead this first', emoji: '📘', statusId: 1, attachments: [], tags: [], childDocumentIds: [] });
    expect(root.id).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(root.json).content[1].content[0].text).toBe('Read this first');
    expect(root.createdUser.name).toBe('Ada Admin');
    const child = await client.addDocument({ projectId, title: 'Laptop setup', parentId: root.id, addLast: true });
    const child2 = await client.addDocument({ projectId, title: 'Accounts', parentId: root.id, addLast: true });
    const first = await client.addDocument({ projectId, title: 'Zero', parentId: root.id });

    expect((await client.getDocument(root.id)).childDocumentIds).toEqual([first.id, child.id, child2.id]);
    const tree = await client.getDocumentTree('HB');
    expect(tree.projectId).toBe(projectId);
    expect(tree.activeTree?.children.map((n) => n.name)).toEqual(['Onboarding']);
    expect(tree.activeTree?.children[0]?.children.map((n) => n.name)).toEqual(['Zero', 'Laptop setup', 'Accounts']);
    expect(tree.activeTree?.children[0]?.emoji).toBe('📘');

    const list = await client.getDocuments({ projectId: [projectId], offset: 0 });
    expect(list).toHaveLength(4);
    expect((await client.getDocuments({ projectId: [projectId], keyword: 'laptop', offset: 0 })).map((d) => d.title)).toEqual(['Laptop setup']);
    expect((await client.getDocuments({ projectId: [projectId], offset: 0, count: 2, sort: 'created', order: 'asc' })).map((d) => d.title)).toEqual(['Onboarding', 'Laptop setup']);

    const deleted = await client.deleteDocument(root.id);
    expect(deleted.title).toBe('Onboarding');
    expect(await client.getDocuments({ projectId: [projectId], offset: 0 })).toEqual([]);
    await expect(client.getDocument(child.id)).rejects.toBeInstanceOf(BacklogErrors.BacklogApiError);
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'project.document_created' })).toHaveLength(4);
  });

  it('401, 400, 404 and cross-tenant ids answer like random ones (W7.7)', async () => {
    expect((await backlog(t, null, 'GET', '/documents')).status).toBe(401);
    expect((await backlog(t, key, 'POST', '/documents', { title: 'no project' })).status).toBe(400);
    expect((await backlog(t, key, 'GET', '/documents?count=0')).status).toBe(400);
    expect((await backlog(t, key, 'POST', '/documents', { projectId, parentId: foreignDocumentId })).status).toBe(400);
    const random = await backlog(t, key, 'GET', '/documents/0123456789abcdef0123456789abcdef');
    const foreign = await backlog(t, key, 'GET', `/documents/${foreignDocumentId}`);
    expect(random.status).toBe(404);
    expect(foreign.body).toEqual(random.body);
    expect((await backlog(t, key, 'DELETE', `/documents/${foreignDocumentId}`)).status).toBe(404);
    expect((await backlog(t, key, 'GET', `/documents/${foreignDocumentId}/attachments/1`)).status).toBe(404);
    expect((await backlog(t, key, 'GET', '/documents/tree?projectIdOrKey=OTH')).status).toBe(404);
    expect((await backlog(t, otherKey, 'GET', `/documents/${foreignDocumentId}`)).body.title).toBe('Foreign');
    // Another org's projects never appear in the list, whatever projectId[] asks for.
    expect((await backlog(t, key, 'GET', '/documents', { projectId: [projectId + 1, projectId + 2] })).body).toEqual([]);
    // An org member outside the project sees none of its documents.
    const mine = (await backlog(t, key, 'POST', '/documents', { projectId, title: 'Private' })).body;
    expect((await backlog(t, outsiderKey, 'GET', `/documents/${mine.id}`)).status).toBe(404);
    expect((await backlog(t, outsiderKey, 'POST', '/documents', { projectId, title: 'x' })).status).toBe(404);
    expect((await backlog(t, outsiderKey, 'GET', '/documents')).body).toEqual([]);
  });
});
