import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backlog} from 'backlog-js';
import { Error as BacklogErrors } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';
import type { ProjectsDb } from '../projects.db';
import { projectsStoreSpec } from '../projects.db';
import { deliveriesSettled, MAX_WEBHOOKS_PER_PROJECT } from './index';

/**
 * Project webhooks under the default outbound policy (issue 3 §2): Backlog's five endpoints through
 * backlog-js, who may manage them, W7.7, and SSRF refusals at save time and at connect time. The
 * public targets here are IP literals that are never contacted: no activity in their projects matches.
 */
const PUBLIC_TARGET = 'https://93.184.215.14/hooks/toride';
describe('project webhooks (issue 3 §2, W7.7)', () => {
  let t: TestApp;
  let owner: TestUser;
  let keyAdmin: string;
  let keyMember: string;
  let keyProjectAdmin: string;
  let keyOutsider: string;
  let keyOther: string;
  let admin: Backlog;
  let projectAdmin: Backlog;
  let projectId: number;
  let otherWebhookId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    owner = await signUpUser(t, { orgName: 'Hooks Co', name: 'Ada Admin' });
    const member = await addMember(t, owner, 'member');
    const lead = await addMember(t, owner, 'member', { name: 'Lea Lead' });
    const outsider = await addMember(t, owner, 'member');
    const other = await signUpUser(t, { orgName: 'Other Co' });
    [keyAdmin, keyMember, keyProjectAdmin, keyOutsider, keyOther] = await Promise.all([apiKeyOf(owner), apiKeyOf(member), apiKeyOf(lead), apiKeyOf(outsider), apiKeyOf(other)]);
    const port = await listenOnLoopback(t);
    admin = backlogClient(port, keyAdmin);
    projectAdmin = backlogClient(port, keyProjectAdmin);
    projectId = (await admin.postProject({ name: 'Hooks', key: 'HOOK', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    for (const key of [keyMember, keyProjectAdmin]) {
      const userId = (await backlog(t, key, 'GET', '/users/myself')).body.id as number;
      await admin.postProjectUser(projectId, String(userId));
      if (key === keyProjectAdmin) await admin.postProjectAdministrators(projectId, { userId });
    }
    await backlog(t, keyOther, 'POST', '/projects', { name: 'Other', key: 'OTHER' });
    otherWebhookId = (await backlog(t, keyOther, 'POST', '/projects/OTHER/webhooks', { name: 'theirs', hookUrl: PUBLIC_TARGET, allEvent: false })).body.id;
  });
  afterAll(async () => t.close());

  it('getWebhooks, postWebhook, getWebhook, patchWebhook and deleteWebhook round-trip through backlog-js', async () => {
    expect(await admin.getWebhooks(projectId)).toEqual([]);
    const created = await projectAdmin.postWebhook(projectId, { name: 'CI', description: 'build bot', hookUrl: PUBLIC_TARGET, allEvent: false, activityTypeIds: [3, 1, 3] });
    expect(created).toMatchObject({ name: 'CI', description: 'build bot', hookUrl: PUBLIC_TARGET, allEvent: false, activityTypeIds: [1, 3] });
    expect(created.createdUser).toMatchObject({ name: 'Lea Lead' });
    expect(created.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Object.keys(created).sort()).toEqual(['activityTypeIds', 'allEvent', 'created', 'createdUser', 'description', 'hookUrl', 'id', 'name', 'updated', 'updatedUser']);

    expect(await admin.getWebhook('HOOK', String(created.id))).toEqual(created);
    const patched = await admin.patchWebhook(projectId, String(created.id), { name: 'CI 2', allEvent: true, activityTypeIds: [2], hookUrl: `${PUBLIC_TARGET}?v=2` });
    expect(patched).toMatchObject({ id: created.id, name: 'CI 2', description: 'build bot', allEvent: true, activityTypeIds: [2], hookUrl: `${PUBLIC_TARGET}?v=2` });
    expect(patched.updatedUser).toMatchObject({ name: 'Ada Admin' });
    expect((await admin.getWebhooks('HOOK')).map((w) => w.name)).toEqual(['CI 2']);
    // A form cannot carry an empty array: an empty value clears the list.
    expect((await backlog(t, keyAdmin, 'PATCH', `/projects/HOOK/webhooks/${created.id}`, { activityTypeIds: '' })).body.activityTypeIds).toEqual([]);

    expect(await admin.deleteWebhook(projectId, String(created.id))).toMatchObject({ id: created.id, name: 'CI 2' });
    expect(await admin.getWebhooks(projectId)).toEqual([]);
    await expect(admin.getWebhook(projectId, String(created.id))).rejects.toBeInstanceOf(BacklogErrors.BacklogApiError);

    const actions = (await t.kernel.audit.list({ orgId: owner.orgId })).filter((e) => e.action.startsWith('project.webhook_'));
    expect(actions.map((e) => e.action).sort()).toEqual(['project.webhook_created', 'project.webhook_deleted', 'project.webhook_updated', 'project.webhook_updated']);
    // The audit log names the target's origin, never its path (chat hook URLs carry tokens there).
    expect(JSON.stringify(actions)).not.toContain('/hooks/toride');
    expect(JSON.stringify(actions)).toContain('https://93.184.215.14');
  });

  it('the hook URL is sealed at rest', async () => {
    const created = (await backlog(t, keyAdmin, 'POST', '/projects/HOOK/webhooks', { name: 'sealed', hookUrl: `${PUBLIC_TARGET}/secret-token-123` })).body;
    const db = (await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(t.config.regionProjectsEn))).db;
    const row = await db.selectFrom('webhooks').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.hook_url_sealed).not.toContain('secret-token-123');
    await backlog(t, keyAdmin, 'DELETE', `/projects/HOOK/webhooks/${created.id}`);
  });

  it('refuses private, loopback and link-local targets and plain http under the default policy (400, code 7)', async () => {
    const refused = ['https://127.0.0.1/hook', 'https://10.0.0.8/hook', 'https://192.168.1.1/hook', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/hook', 'https://localhost/hook'];
    for (const hookUrl of refused) {
      const response = await backlog(t, keyAdmin, 'POST', '/projects/HOOK/webhooks', { name: 'x', hookUrl });
      expect(response.status, hookUrl).toBe(400);
      expect(response.body.errors[0], hookUrl).toMatchObject({ code: 7, message: expect.stringMatching(/^hookUrl: .*(private|loopback|link-local)/) });
    }
    const http = await backlog(t, keyAdmin, 'POST', '/projects/HOOK/webhooks', { name: 'x', hookUrl: 'http://127.0.0.1:9/hook' });
    expect(http.status).toBe(400);
    expect(http.body.errors[0].message).toBe('hookUrl: Only https:// URLs are allowed.');
    const created = (await backlog(t, keyAdmin, 'POST', '/projects/HOOK/webhooks', { name: 'ok', hookUrl: PUBLIC_TARGET })).body;
    const patch = await backlog(t, keyAdmin, 'PATCH', `/projects/HOOK/webhooks/${created.id}`, { hookUrl: 'https://127.0.0.1/hook' });
    expect(patch.status).toBe(400);
    expect((await backlog(t, keyAdmin, 'GET', `/projects/HOOK/webhooks/${created.id}`)).body.hookUrl).toBe(PUBLIC_TARGET);
    await backlog(t, keyAdmin, 'DELETE', `/projects/HOOK/webhooks/${created.id}`);
    expect((await backlog(t, keyAdmin, 'GET', '/projects/HOOK/webhooks')).body).toEqual([]);
  });

  it('checks again at connect time: a name that resolves to a private address is never contacted (DNS rebinding)', async () => {
    let hits = 0;
    const receiver: Server = createServer((_request, response) => response.end('ok'));
    receiver.on('connection', () => {
      hits += 1;
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      await backlog(t, keyAdmin, 'POST', '/projects', { name: 'Rebind', key: 'REBIND' });
      const hook = (await backlog(t, keyAdmin, 'POST', '/projects/REBIND/webhooks', { name: 'rebinding', hookUrl: PUBLIC_TARGET, allEvent: true })).body;
      // As if the name had resolved to a public address when saved and to loopback now.
      const db = (await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(t.config.regionProjectsEn))).db;
      const port = (receiver.address() as AddressInfo).port;
      await db.updateTable('webhooks').set({ hook_url_sealed: t.kernel.secrets.seal(`https://localhost:${port}/hook`) }).where('id', '=', hook.id).execute();
      const issueTypeId = (await backlog(t, keyAdmin, 'GET', '/projects/REBIND/issueTypes')).body[0].id;
      expect((await backlog(t, keyAdmin, 'POST', '/issues', { projectId: (await backlog(t, keyAdmin, 'GET', '/projects/REBIND')).body.id, summary: 'Ping', issueTypeId, priorityId: 3 })).status).toBe(201);
      await deliveriesSettled(t.kernel);
      const [delivery] = (await backlog(t, keyAdmin, 'GET', `/projects/REBIND/webhooks/${hook.id}/deliveries`)).body;
      expect(delivery).toMatchObject({ activityTypeId: 1, attempt: 1, status: 'pending', responseStatus: null, error: 'localhost resolves only to private or reserved addresses.' });
      expect(hits).toBe(0);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('validates input: name and hookUrl required, activity type ids are numbers, at most 50 per project', async () => {
    const post = (form: Record<string, string | number | boolean | number[]>) => backlog(t, keyAdmin, 'POST', '/projects/HOOK/webhooks', form);
    expect((await post({ hookUrl: PUBLIC_TARGET })).body.errors[0]).toMatchObject({ code: 7, message: expect.stringContaining('name') });
    expect((await post({ name: 'x' })).body.errors[0]).toMatchObject({ code: 7, message: expect.stringContaining('hookUrl') });
    expect((await post({ name: 'x', hookUrl: 'not a url' })).body.errors[0]).toMatchObject({ code: 7, message: 'hookUrl: The URL is not valid.' });
    expect((await post({ name: 'x', hookUrl: PUBLIC_TARGET, activityTypeIds: ['abc' as unknown as number] })).status).toBe(400);
    expect((await post({ name: 'x', hookUrl: PUBLIC_TARGET, allEvent: 'maybe' as unknown as boolean })).status).toBe(400);
    expect((await backlog(t, keyAdmin, 'GET', '/projects/HOOK/webhooks/abc')).status).toBe(400);

    await backlog(t, keyAdmin, 'POST', '/projects', { name: 'Full', key: 'FULL' });
    for (let i = 0; i < MAX_WEBHOOKS_PER_PROJECT; i += 1) expect((await backlog(t, keyAdmin, 'POST', '/projects/FULL/webhooks', { name: `h${i}`, hookUrl: PUBLIC_TARGET })).status).toBe(201);
    const over = await backlog(t, keyAdmin, 'POST', '/projects/FULL/webhooks', { name: 'one too many', hookUrl: PUBLIC_TARGET });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].message).toBe('A project can have at most 50 webhooks.');
  });

  it('401 without a key; 403 (code 5) for members who are not project administrators; 404 outside the project', async () => {
    const hook = (await backlog(t, keyAdmin, 'POST', '/projects/HOOK/webhooks', { name: 'perm', hookUrl: PUBLIC_TARGET })).body;
    const paths: ['GET' | 'POST' | 'PATCH' | 'DELETE', string, Record<string, string>?][] = [
      ['GET', '/projects/HOOK/webhooks'],
      ['POST', '/projects/HOOK/webhooks', { name: 'x', hookUrl: PUBLIC_TARGET }],
      ['GET', `/projects/HOOK/webhooks/${hook.id}`],
      ['PATCH', `/projects/HOOK/webhooks/${hook.id}`, { name: 'pwned' }],
      ['GET', `/projects/HOOK/webhooks/${hook.id}/deliveries`],
      ['DELETE', `/projects/HOOK/webhooks/${hook.id}`],
    ];
    for (const [method, path, form] of paths) {
      const anonymous = await backlog(t, null, method, path, form);
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect(anonymous.body.errors[0].code).toBe(11);
      const member = await backlog(t, keyMember, method, path, form);
      expect(member.status, `${method} ${path}`).toBe(403);
      expect(member.body.errors[0].code).toBe(5);
      const outsider = await backlog(t, keyOutsider, method, path, form);
      expect(outsider.status, `${method} ${path}`).toBe(404);
      expect(outsider.body.errors[0].code).toBe(6);
    }
    expect((await backlog(t, keyAdmin, 'GET', `/projects/HOOK/webhooks/${hook.id}`)).body.name).toBe('perm');
    expect((await backlog(t, keyProjectAdmin, 'GET', `/projects/HOOK/webhooks/${hook.id}/deliveries`)).body).toEqual([]);
  });

  it('W7.7: another org’s project and webhook ids answer exactly like ids that do not exist', async () => {
    const mine = (await backlog(t, keyAdmin, 'POST', '/projects/HOOK/webhooks', { name: 'mine', hookUrl: PUBLIC_TARGET })).body;
    const pairs: ['GET' | 'PATCH' | 'DELETE', string, string][] = [
      ['GET', `/projects/HOOK/webhooks/${otherWebhookId}`, '/projects/HOOK/webhooks/987654'],
      ['PATCH', `/projects/HOOK/webhooks/${otherWebhookId}`, '/projects/HOOK/webhooks/987654'],
      ['DELETE', `/projects/HOOK/webhooks/${otherWebhookId}`, '/projects/HOOK/webhooks/987654'],
      ['GET', `/projects/HOOK/webhooks/${otherWebhookId}/deliveries`, '/projects/HOOK/webhooks/987654/deliveries'],
      ['GET', '/projects/OTHER/webhooks', '/projects/NOSUCH/webhooks'],
      ['GET', `/projects/OTHER/webhooks/${otherWebhookId}`, `/projects/NOSUCH/webhooks/${otherWebhookId}`],
    ];
    for (const [method, foreignPath, missingPath] of pairs) {
      const foreign = await backlog(t, keyAdmin, method, foreignPath, method === 'PATCH' ? { name: 'pwned' } : undefined);
      const missing = await backlog(t, keyAdmin, method, missingPath, method === 'PATCH' ? { name: 'pwned' } : undefined);
      expect(foreign.status, foreignPath).toBe(404);
      expect(foreign.body, foreignPath).toEqual(missing.body);
    }
    // A webhook of another project of the same org is not reachable through this project either.
    await backlog(t, keyAdmin, 'POST', '/projects', { name: 'Second', key: 'SECOND' });
    expect((await backlog(t, keyAdmin, 'GET', `/projects/SECOND/webhooks/${mine.id}`)).status).toBe(404);
    expect((await backlog(t, keyOther, 'GET', `/projects/OTHER/webhooks/${otherWebhookId}`)).body.name).toBe('theirs');
  });
});
