import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog, encodeForm, type Form } from '../../../test/backlog-client';
import { TestClient } from '../../../test/client';
import { signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';

/**
 * W7.2 / W7.3 / issue 3 §5: every ClassicRoleType (1 Administrator, 2 Normal User — also as project
 * administrator and as a non-member —, 3 Reporter, 4 Viewer, 5 Guest Reporter, 6 Guest Viewer) × every
 * project action, through `/api/v2` with real classic users signed in to their space (anchors §1.1).
 * 404 = the project does not exist for the caller (W7.7); 403 = visible but not allowed.
 */
const ROLES = ['admin', 'projectAdmin', 'normal', 'reporter', 'viewer', 'guestReporter', 'guestViewer', 'outsider'] as const;
type Role = (typeof ROLES)[number];
type Expected = Record<Role, number>;
const ROLE_TYPE: Record<Role, number> = { admin: 1, projectAdmin: 2, normal: 2, reporter: 3, viewer: 4, guestReporter: 5, guestViewer: 6, outsider: 2 };

/** `status` for the roles granted, 403 for the others, 404 for the non-member. */
const only = (status: number, granted: readonly Role[]): Expected =>
  Object.fromEntries(ROLES.map((r) => [r, granted.includes(r) ? status : r === 'outsider' ? 404 : 403])) as Expected;
const READERS = ROLES.filter((r) => r !== 'outsider');
const EDITORS: Role[] = ['admin', 'projectAdmin', 'normal'];
const REPORTERS: Role[] = [...EDITORS, 'reporter', 'guestReporter'];
const PROJECT_ADMINS: Role[] = ['admin', 'projectAdmin'];

describe('W7.3 ClassicRoleType 1–6 × every project action (real classic users, classic sessions)', () => {
  let t: TestApp;
  let owner: TestUser;
  let ownerKey: string;
  let spaceKey: string;
  const users = {} as Record<Role, { client: TestClient; csrf: string; id: number }>;
  let projectId: number;
  let typeId: number;
  let wikiId: number;
  let openStatusId: number;

  const v2 = (role: Role, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, form?: Form) => {
    const u = users[role];
    return u.client.request(method, `/api/v2${path}`, form && method !== 'GET' ? encodeForm(form) : undefined, {
      'x-toride-space': spaceKey,
      'x-csrf-token': u.csrf,
      ...(form && method !== 'GET' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    });
  };

  beforeAll(async () => {
    t = await buildTestApp();
    owner = await signUpUser(t, { name: 'Owner', orgName: 'Classic Matrix' });
    ownerKey = await apiKeyOf(owner);
    expect((await owner.client.request('PUT', `/api/v1/orgs/${owner.orgId}/projects/classic`, { userLimit: 40 })).status).toBe(200);
    spaceKey = (await backlog(t, ownerKey, 'GET', '/space')).body.spaceKey;
    for (const role of ROLES) {
      const login = `m-${role.toLowerCase()}`;
      const created = await backlog(t, ownerKey, 'POST', '/users', { userId: login, password: 'x', name: role, mailAddress: `${login}@example.test`, roleType: ROLE_TYPE[role] });
      expect(created.status).toBe(201);
      const initial = /Initial password: (\S+)/.exec((await t.kernel.mailer.outbox(100)).find((m) => m.to === `${login}@example.test`)?.text ?? '')?.[1] ?? '';
      const client = new TestClient(t.app);
      const signIn = await client.post(`/api/v1/classic/${spaceKey}/sign-in`, { userId: login, password: initial, newPassword: 'matrix passphrase' });
      expect(signIn.status).toBe(200);
      users[role] = { client, csrf: signIn.body.csrfToken, id: created.body.id };
    }
    // The classic Administrator creates the project and manages its members, as Backlog's admins do.
    const project = await v2('admin', 'POST', '/projects', { name: 'Roles', key: 'CM' });
    expect(project.status).toBe(201);
    projectId = project.body.id;
    for (const role of ROLES.filter((r) => r !== 'admin' && r !== 'outsider')) {
      expect((await v2('admin', 'POST', '/projects/CM/users', { userId: users[role].id })).status).toBe(200);
    }
    expect((await v2('admin', 'POST', '/projects/CM/administrators', { userId: users.projectAdmin.id })).status).toBe(200);
    typeId = (await v2('admin', 'GET', '/projects/CM/issueTypes')).body[0].id;
    openStatusId = (await v2('admin', 'GET', '/projects/CM/statuses')).body[1].id;
    expect((await v2('admin', 'POST', '/issues', { projectId, summary: 'First', issueTypeId: typeId, priorityId: 3 })).status).toBe(201);
    wikiId = (await v2('admin', 'POST', '/wikis', { projectId, name: 'Home', content: 'x' })).body.id;
  });
  afterAll(async () => t.close());

  const issue = (n: number): Form => ({ projectId: 0, summary: `Issue ${n}`, issueTypeId: 0, priorityId: 3 });
  const actions: [string, (n: number) => [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, form?: Form], Expected][] = [
    ['view project', () => ['GET', '/projects/CM'], only(200, READERS)],
    ['read issues', () => ['GET', '/issues/CM-1'], only(200, READERS)],
    ['read wiki', () => ['GET', '/wikis?projectIdOrKey=CM'], only(200, READERS)],
    ['list project members', () => ['GET', '/projects/CM/users'], only(200, READERS)],
    ['update project', (n) => ['PATCH', '/projects/CM', { name: `Roles ${n}` }], only(200, PROJECT_ADMINS)],
    ['add issue type', (n) => ['POST', '/projects/CM/issueTypes', { name: `T${n}`, color: '#e30000' }], only(201, PROJECT_ADMINS)],
    ['add status', (n) => ['POST', '/projects/CM/statuses', { name: `S${n}`, color: '#393939' }], only(201, PROJECT_ADMINS)],
    ['add category', (n) => ['POST', '/projects/CM/categories', { name: `C${n}` }], only(201, EDITORS)],
    ['add milestone', (n) => ['POST', '/projects/CM/versions', { name: `V${n}` }], only(201, EDITORS)],
    ['add issue', (n) => ['POST', '/issues', issue(n)], only(201, REPORTERS)],
    ['update issue', (n) => ['PATCH', '/issues/CM-1', { summary: `Edited ${n}` }], only(200, EDITORS)],
    ['change status', () => ['PATCH', '/issues/CM-1', { statusId: 0 }], only(200, EDITORS)],
    ['comment', () => ['POST', '/issues/CM-1/comments', { content: 'hi' }], only(201, REPORTERS)],
    ['add wiki page', (n) => ['POST', '/wikis', { projectId: 0, name: `Page ${n}`, content: 'c' }], only(201, EDITORS)],
    ['edit wiki page', (n) => ['PATCH', '/wikis/0', { content: `v${n}` }], only(200, EDITORS)],
    ['add document', (n) => ['POST', '/documents', { projectId: 0, title: `Doc ${n}` }], only(201, EDITORS)],
    ['create project', (n) => ['POST', '/projects', { name: `P${n}`, key: `PX${n}` }], { ...only(403, []), outsider: 403, admin: 201 }],
    ['list the space users', () => ['GET', '/users'], { ...only(200, [...READERS, 'outsider']), guestReporter: 403, guestViewer: 403 }],
    ['add a classic user', (n) => ['POST', '/users', { userId: `new${n}`, password: 'x', name: `New ${n}`, mailAddress: `new${n}@example.test`, roleType: 2 }], { ...only(403, []), outsider: 403, admin: 201 }],
  ];

  it.each(actions)('W7.3 %s', async (_name, call, expected) => {
    const seen = {} as Record<Role, number>;
    let n = 0;
    for (const role of ROLES) {
      const [method, path, form] = call(++n);
      if (form && 'projectId' in form) Object.assign(form, { projectId, ...('issueTypeId' in form ? { issueTypeId: typeId } : {}) });
      if (form && 'statusId' in form) form.statusId = n % 2 === 0 ? openStatusId : 1;
      const response = await v2(role, method, path.replace('/wikis/0', `/wikis/${wikiId}`), form);
      seen[role] = response.status;
      if (response.status >= 400) expect(response.body.errors[0].code).toBe(response.status === 404 ? 6 : 5);
    }
    expect(seen).toEqual(expected);
  });

  it('guests see only their projects; reporters edit only their own comments; roles answer as ClassicRoleType', async () => {
    const visible = async (role: Role) => ((await v2(role, 'GET', '/projects')).body as { projectKey: string }[]).map((p) => p.projectKey);
    expect((await v2('admin', 'POST', '/projects', { name: 'Hidden', key: 'HID' })).status).toBe(201);
    expect(await visible('admin')).toEqual(expect.arrayContaining(['CM', 'HID']));
    for (const role of ['guestReporter', 'guestViewer', 'reporter', 'normal'] as const) expect(await visible(role)).toEqual(['CM']);
    expect(await visible('outsider')).toEqual([]);
    expect((await v2('guestViewer', 'GET', '/projects/HID')).status).toBe(404);

    const own = await v2('reporter', 'POST', '/issues/CM-1/comments', { content: 'mine' });
    expect(own.status).toBe(201);
    expect((await v2('reporter', 'PATCH', `/issues/CM-1/comments/${own.body.id}`, { content: 'mine, edited' })).status).toBe(200);
    expect((await v2('normal', 'PATCH', `/issues/CM-1/comments/${own.body.id}`, { content: 'not yours' })).status).toBe(403);

    for (const role of ROLES) {
      const me = await v2(role, 'GET', '/users/myself');
      expect([role, me.body.roleType]).toEqual([role, ROLE_TYPE[role]]);
    }
    const members = (await v2('guestViewer', 'GET', '/projects/CM/users')).body as { id: number; roleType: number }[];
    expect(members.find((m) => m.id === users.guestReporter.id)?.roleType).toBe(5);
    // The Administrators' user page lists the space's classic users; nobody else may read it.
    const listed = await users.admin.client.request('GET', `/api/v1/classic/${spaceKey}/users`);
    expect(listed.body.users.map((u: { userId: string }) => u.userId)).toEqual(expect.arrayContaining(ROLES.map((r) => `m-${r.toLowerCase()}`)));
    expect(listed.body.users.find((u: { id: number }) => u.id === users.guestViewer.id)).toMatchObject({ roleType: 6, mailAddress: 'm-guestviewer@example.test' });
    for (const role of ['normal', 'reporter', 'guestViewer'] as const) expect((await users[role].client.request('GET', `/api/v1/classic/${spaceKey}/users`)).status).toBe(403);
    expect((await new TestClient(t.app).request('GET', `/api/v1/classic/${spaceKey}/users`)).status).toBe(401);
    // A role change by the administrator applies at the next request; the audit log names the classic admin.
    expect((await v2('admin', 'PATCH', `/users/${users.viewer.id}`, { roleType: 2 })).status).toBe(200);
    const [entry] = await t.kernel.audit.list({ orgId: owner.orgId, action: 'projects.classic_user_updated' });
    expect(entry?.actor).toMatchObject({ type: 'anonymous', id: `classic:${users.admin.id}`, name: 'admin' });
    expect((await v2('viewer', 'POST', '/issues/CM-1/comments', { content: 'now I may' })).status).toBe(201);
  });
});
