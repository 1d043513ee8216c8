import type { Backlog } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { purgeProjectsOrganization } from '../projects.purge';

interface Upload {
  dir?: string;
  name: string;
  content: string | Uint8Array;
  type?: string;
  /** Send the file part before the `dir` field. */
  fileFirst?: boolean;
}

/**
 * Shared files (issue 3): the Toride upload/mkdir/delete endpoints over real HTTP multipart, the
 * Backlog read endpoints through backlog-js 0.20.1, the rules (roles, file sharing off, names,
 * limits), W7.7 across orgs, audit, disk usage and the org purge — on whichever database runs.
 */
describe('shared files', () => {
  let t: TestApp;
  let port: number;
  let admin: TestUser;
  let keyAdmin: string;
  let keyMember: string;
  let keyGuest: string;
  let keyViewOnly: string;
  let keyAddOnly: string;
  let keyOutsider: string;
  let keyGuestOutsider: string;
  let keyOther: string;
  let client: Backlog;
  let memberClient: Backlog;
  let projectId: number;

  const upload = async (key: string | null, project: string | number, file: Upload) => {
    const form = new FormData();
    const part = new Blob([file.content as BlobPart], { type: file.type ?? 'text/plain' });
    if (file.fileFirst) form.append('file', part, file.name);
    if (file.dir !== undefined) form.append('dir', file.dir);
    if (!file.fileFirst) form.append('file', part, file.name);
    const response = await fetch(`http://127.0.0.1:${port}/api/v2/projects/${project}/files`, { method: 'POST', headers: key ? { 'backlog-api-key': key } : {}, body: form });
    return { status: response.status, body: (await response.json()) as any };
  };
  const mkdir = (key: string, project: string | number, dir: string, name: string) => backlog(t, key, 'POST', `/projects/${project}/directories`, { dir, name });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { orgName: 'Acme' });
    keyAdmin = await apiKeyOf(admin);
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    keyMember = await apiKeyOf(member);
    keyGuest = await apiKeyOf(await addMember(t, admin, 'guest', { name: 'Gus Guest' }));
    const viewOnly = await addMember(t, admin, 'member', { name: 'Vic Viewer' });
    const addOnly = await addMember(t, admin, 'member', { name: 'Ada Adder' });
    keyViewOnly = await apiKeyOf(viewOnly);
    keyAddOnly = await apiKeyOf(addOnly);
    keyOutsider = await apiKeyOf(await addMember(t, admin, 'member', { name: 'Otto Outsider' }));
    keyGuestOutsider = await apiKeyOf(await addMember(t, admin, 'guest', { name: 'Gil Guest Elsewhere' }));
    keyOther = await apiKeyOf(await signUpUser(t, { orgName: 'Other' }));
    for (const [user, restriction] of [
      [viewOnly, 'view_only'],
      [addOnly, 'add_issues_only'],
    ] as const) {
      const r = await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/${user.accountId}`, { restriction });
      expect(r.status).toBe(200);
    }
    port = await listenOnLoopback(t);
    client = backlogClient(port, keyAdmin);
    memberClient = backlogClient(port, keyMember);
    projectId = (await client.postProject({ name: 'Files', key: 'FILES', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    for (const key of [keyMember, keyGuest, keyViewOnly, keyAddOnly]) {
      const id = (await backlog(t, key, 'GET', '/users/myself')).body.id;
      expect((await backlog(t, keyAdmin, 'POST', '/projects/FILES/users', { userId: id })).status).toBe(200);
    }
  });
  afterAll(async () => t.close());

  it('uploads into nested directories, lists them through backlog-js and downloads with safe headers', async () => {
    const docs = await mkdir(keyMember, 'FILES', '/', 'docs');
    expect(docs.status).toBe(201);
    expect(docs.body).toMatchObject({ projectId, type: 'directory', dir: '/', name: 'docs', size: 0, createdUser: { name: 'Mia Member' } });
    expect((await mkdir(keyMember, 'FILES', '/docs/', 'specs 仕様')).body).toMatchObject({ type: 'directory', dir: '/docs/', name: 'specs 仕様' });

    const spec = await upload(keyMember, 'FILES', { dir: '/docs/specs 仕様/', name: 'api 設計.txt', content: 'hello shared' });
    expect(spec.status).toBe(201);
    expect(spec.body).toMatchObject({ projectId, type: 'file', dir: '/docs/specs 仕様/', name: 'api 設計.txt', size: 12, createdUser: { name: 'Mia Member' }, updatedUser: { name: 'Mia Member' } });
    expect(Object.keys(spec.body).sort()).toEqual(['created', 'createdUser', 'dir', 'id', 'name', 'projectId', 'size', 'type', 'updated', 'updatedUser']);
    expect(spec.body.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // The `dir` field may follow the file part; a path without slashes means the same directory.
    const png = await upload(keyAdmin, 'FILES', { dir: 'docs', name: 'logo.png', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), type: 'image/png', fileFirst: true });
    expect(png.body).toMatchObject({ dir: '/docs/', name: 'logo.png', size: 4 });
    const html = await upload(keyAdmin, 'FILES', { name: 'page.html', content: '<script>alert(1)</script>', type: 'text/html' });
    expect(html.body).toMatchObject({ dir: '/', name: 'page.html' });

    // backlog-js inserts the path unencoded; the web app percent-encodes each segment: both work.
    expect((await client.getSharedFiles('FILES', '', {})).map((f) => f.name)).toEqual(['page.html', 'docs']);
    expect((await client.getSharedFiles(projectId, '', { order: 'asc' })).map((f) => f.name)).toEqual(['docs', 'page.html']);
    expect((await client.getSharedFiles('FILES', 'docs', { order: 'asc' })).map((f) => `${f.type}:${f.name}`)).toEqual(['file:logo.png', 'directory:specs 仕様']);
    expect((await memberClient.getSharedFiles('FILES', `docs/${encodeURIComponent('specs 仕様')}`, {})).map((f) => f.id)).toEqual([spec.body.id]);
    expect((await backlog(t, keyGuest, 'GET', '/projects/FILES/files/metadata/docs/specs 仕様/')).body).toHaveLength(1);
    expect((await client.getSharedFiles('FILES', 'docs', { order: 'asc', offset: 1, count: 1 })).map((f) => f.name)).toEqual(['specs 仕様']);
    expect((await backlog(t, keyViewOnly, 'GET', '/projects/FILES/files/metadata')).body.map((f: { name: string }) => f.name)).toEqual(['page.html', 'docs']);

    const download = (await memberClient.getSharedFile('FILES', spec.body.id)) as { filename: string; body: ReadableStream };
    expect(download.filename).toBe('api 設計.txt');
    expect(await new Response(download.body).text()).toBe('hello shared');
    const image = await backlog(t, keyViewOnly, 'GET', `/projects/${projectId}/files/${png.body.id}`);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    const script = await backlog(t, keyAdmin, 'GET', `/projects/FILES/files/${html.body.id}`);
    expect(script.headers['content-type']).toBe('application/octet-stream');
    expect(script.headers['content-disposition']).toMatch(/^attachment; filename="page.html"/);
    expect(script.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect((await backlog(t, keyAdmin, 'GET', `/projects/FILES/files/${docs.body.id}`)).status).toBe(400);
  });

  it('refuses bad names, clashes, missing directories and bad parameters with 400 code 7, unknown ones with 404 code 6', async () => {
    await mkdir(keyAdmin, 'FILES', '/', 'rules');
    for (const name of ['a/b', '..', '.', 'back\\slash', ' ', 'x'.repeat(256), 'tab\there']) {
      const res = await mkdir(keyAdmin, 'FILES', '/rules/', name);
      expect(res.status, name).toBe(400);
      expect(res.body.errors[0].code).toBe(7);
    }
    expect((await upload(keyAdmin, 'FILES', { dir: '/rules/', name: '..', content: 'x' })).status).toBe(400);
    expect((await upload(keyAdmin, 'FILES', { dir: '/rules/../', name: 'escape.txt', content: 'x' })).status).toBe(400);
    expect((await upload(keyAdmin, 'FILES', { dir: '/rules/', name: 'same.txt', content: 'x' })).status).toBe(201);
    const clash = await upload(keyMember, 'FILES', { dir: '/rules/', name: 'same.txt', content: 'y' });
    expect(clash.status).toBe(400);
    expect(clash.body.errors[0].code).toBe(7);
    expect((await mkdir(keyAdmin, 'FILES', '/rules/', 'same.txt')).status).toBe(400);
    expect((await upload(keyAdmin, 'FILES', { dir: '/nowhere/', name: 'a.txt', content: 'x' })).status).toBe(404);
    expect((await mkdir(keyAdmin, 'FILES', '/rules/same.txt/', 'sub')).status).toBe(404);
    const missing = await backlog(t, keyAdmin, 'GET', '/projects/FILES/files/metadata/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].code).toBe(6);
    expect((await backlog(t, keyAdmin, 'GET', '/projects/FILES/files/metadata/', { count: 1001 })).status).toBe(400);
    expect((await backlog(t, keyAdmin, 'GET', '/projects/FILES/files/metadata/', { order: 'sideways' })).status).toBe(400);
    expect((await backlog(t, keyAdmin, 'GET', '/projects/FILES/files/abc')).status).toBe(400);
    expect((await backlog(t, keyAdmin, 'GET', '/projects/FILES/files/987654')).status).toBe(404);
    expect((await backlog(t, keyAdmin, 'POST', '/projects/FILES/directories', { dir: '/' })).status).toBe(400);

    // Not multipart, no file part, a second file, a file over the limit.
    expect((await backlog(t, keyAdmin, 'POST', '/projects/FILES/files', { dir: '/' })).status).toBe(400);
    const noFile = new FormData();
    noFile.append('dir', '/');
    const url = `http://127.0.0.1:${port}/api/v2/projects/FILES/files`;
    expect((await fetch(url, { method: 'POST', headers: { 'backlog-api-key': keyAdmin }, body: noFile })).status).toBe(400);
    const two = new FormData();
    two.append('file', new Blob(['a']), 'one.txt');
    two.append('file', new Blob(['b']), 'two.txt');
    expect([400, 413]).toContain((await fetch(url, { method: 'POST', headers: { 'backlog-api-key': keyAdmin }, body: two })).status);
    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'application/octet-stream' }), 'big.bin');
    const bigRes = await fetch(url, { method: 'POST', headers: { 'backlog-api-key': keyAdmin }, body: big });
    expect(bigRes.status).toBe(413);
    expect(((await bigRes.json()) as { errors: { code: number }[] }).errors[0]?.code).toBe(10);
    expect((await client.getSharedFiles('FILES', 'rules', {})).map((f) => f.name)).toEqual(['same.txt']);
  });

  it('401 without a key; members and guests write, "add issues only" and "view only" read but get 403, outsiders (guests included) 404', async () => {
    expect((await upload(null, 'FILES', { name: 'anon.txt', content: 'x' })).status).toBe(401);
    expect((await backlog(t, null, 'GET', '/projects/FILES/files/metadata/')).status).toBe(401);
    expect((await backlog(t, null, 'POST', '/projects/FILES/directories', { dir: '/', name: 'x' })).status).toBe(401);
    expect((await backlog(t, null, 'DELETE', '/projects/FILES/files/1')).status).toBe(401);

    expect((await upload(keyGuest, 'FILES', { name: 'guest.txt', content: 'g' })).status).toBe(201);
    for (const key of [keyViewOnly, keyAddOnly]) {
      const res = await upload(key, 'FILES', { name: 'denied.txt', content: 'x' });
      expect(res.status).toBe(403);
      expect(res.body.errors[0].code).toBe(5);
      expect((await mkdir(key, 'FILES', '/', 'denied')).status).toBe(403);
      expect((await backlog(t, key, 'GET', '/projects/FILES/files/metadata/')).status).toBe(200);
    }
    const guestFile = (await client.getSharedFiles('FILES', '', {})).find((f) => f.name === 'guest.txt');
    expect((await backlog(t, keyViewOnly, 'DELETE', `/projects/FILES/files/${guestFile?.id}`)).status).toBe(403);
    for (const res of [
      await upload(keyOutsider, 'FILES', { name: 'out.txt', content: 'x' }),
      await backlog(t, keyOutsider, 'GET', '/projects/FILES/files/metadata/'),
      await backlog(t, keyOutsider, 'GET', `/projects/FILES/files/${guestFile?.id}`),
      await backlog(t, keyOutsider, 'DELETE', `/projects/FILES/files/${guestFile?.id}`),
      await upload(keyGuestOutsider, 'FILES', { name: 'out.txt', content: 'x' }),
      await backlog(t, keyGuestOutsider, 'GET', `/projects/FILES/files/${guestFile?.id}`),
      await mkdir(keyGuestOutsider, 'FILES', '/', 'out'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.errors[0].code).toBe(6);
    }
  });

  it('deletes files and empty directories (200 with the entry), refuses non-empty ones; audits uploads and deletions', async () => {
    const dir = (await mkdir(keyMember, 'FILES', '/', 'trash')).body;
    const file = (await upload(keyMember, 'FILES', { dir: '/trash/', name: 'old.txt', content: 'old' })).body;
    const notEmpty = await backlog(t, keyMember, 'DELETE', `/projects/FILES/files/${dir.id}`);
    expect(notEmpty.status).toBe(400);
    expect(notEmpty.body.errors[0].code).toBe(7);
    const removed = await backlog(t, keyMember, 'DELETE', `/projects/FILES/files/${file.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(file);
    expect((await backlog(t, keyMember, 'GET', `/projects/FILES/files/${file.id}`)).status).toBe(404);
    expect((await backlog(t, keyMember, 'DELETE', `/projects/FILES/files/${dir.id}`)).body).toMatchObject({ id: dir.id, type: 'directory' });
    expect((await backlog(t, keyMember, 'GET', '/projects/FILES/files/metadata/trash')).status).toBe(404);

    const uploads = await t.kernel.audit.list({ orgId: admin.orgId, action: 'project.shared_file_uploaded' });
    expect(uploads.find((e) => e.details?.sharedFileId === file.id)).toMatchObject({ target: { type: 'project', id: String(projectId) }, details: { path: '/trash/old.txt', size: 3 } });
    const deletions = await t.kernel.audit.list({ orgId: admin.orgId, action: 'project.shared_file_deleted' });
    expect(deletions.map((e) => e.details?.path)).toEqual(expect.arrayContaining(['/trash/old.txt', '/trash']));
    // Backlog's activities 8 (file added) and 10 (file deleted), content { id, dir, name, size }: feeds and webhooks.
    const activities = await client.getProjectActivities('FILES', { activityTypeId: [8, 10], count: 100 });
    const of = (id: number) => activities.filter((a) => (a.content as { id?: number }).id === id).map((a) => [a.type, a.content]);
    expect(of(file.id)).toEqual([
      [10, { id: file.id, dir: '/trash/', name: 'old.txt', size: 3 }],
      [8, { id: file.id, dir: '/trash/', name: 'old.txt', size: 3 }],
    ]);
    expect(of(dir.id).map(([type]) => type)).toEqual([10, 8]);
  });

  it('file sharing turned off: every shared-file endpoint of the project answers 403 code 5', async () => {
    const p = (await backlog(t, keyAdmin, 'POST', '/projects', { name: 'Off', key: 'OFF' })).body;
    const file = (await upload(keyAdmin, 'OFF', { name: 'kept.txt', content: 'k' })).body;
    expect((await backlog(t, keyAdmin, 'PATCH', '/projects/OFF', { useFileSharing: false })).status).toBe(200);
    expect((await backlog(t, keyAdmin, 'GET', '/projects/OFF')).body.useFileSharing).toBe(false);
    for (const res of [
      await backlog(t, keyAdmin, 'GET', '/projects/OFF/files/metadata/'),
      await backlog(t, keyAdmin, 'GET', `/projects/OFF/files/${file.id}`),
      await backlog(t, keyAdmin, 'DELETE', `/projects/OFF/files/${file.id}`),
      await mkdir(keyAdmin, 'OFF', '/', 'd'),
      await upload(keyAdmin, 'OFF', { name: 'new.txt', content: 'n' }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.errors[0].code).toBe(5);
    }
    // Another org's members still get 404, not 403: the project does not exist for them.
    expect((await backlog(t, keyOther, 'GET', `/projects/${p.id}/files/metadata/`)).status).toBe(404);
    // Deleting the project deletes its files, bytes included (foreign keys cascade).
    const store = await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(t.config.regionProjectsEn));
    expect(await store.db.selectFrom('shared_file_data').select('file_id').where('file_id', '=', file.id).execute()).toHaveLength(1);
    expect((await backlog(t, keyAdmin, 'DELETE', '/projects/OFF')).status).toBe(200);
    expect(await store.db.selectFrom('shared_file_data').select('file_id').where('file_id', '=', file.id).execute()).toHaveLength(0);
    expect(await store.db.selectFrom('shared_files').select('id').where('id', '=', file.id).execute()).toHaveLength(0);
  });

  it('W7.7 another org’s project, file and directory ids answer exactly like ids that do not exist', async () => {
    const secret = (await upload(keyAdmin, 'FILES', { name: 'secret.txt', content: 'secret' })).body;
    await backlog(t, keyOther, 'POST', '/projects', { name: 'Mine', key: 'MINE' });
    const cases: [string, string, string][] = [
      ['GET', `/projects/${projectId}/files/metadata/`, '/projects/987654/files/metadata/'],
      ['GET', `/projects/${projectId}/files/${secret.id}`, '/projects/987654/files/987654'],
      ['DELETE', `/projects/${projectId}/files/${secret.id}`, '/projects/987654/files/987654'],
      ['GET', `/projects/MINE/files/${secret.id}`, '/projects/MINE/files/987654'],
      ['DELETE', `/projects/MINE/files/${secret.id}`, '/projects/MINE/files/987654'],
    ];
    for (const [method, foreign, random] of cases) {
      const a = await backlog(t, keyOther, method as 'GET' | 'DELETE', foreign);
      const b = await backlog(t, keyOther, method as 'GET' | 'DELETE', random);
      expect(a.status, foreign).toBe(404);
      expect(a.body).toEqual(b.body);
    }
    const foreignUpload = await upload(keyOther, projectId, { name: 'x.txt', content: 'x' });
    const randomUpload = await upload(keyOther, 987654, { name: 'x.txt', content: 'x' });
    expect(foreignUpload.status).toBe(404);
    expect(foreignUpload.body).toEqual(randomUpload.body);
    expect((await backlog(t, keyAdmin, 'GET', `/projects/FILES/files/${secret.id}`)).status).toBe(200);
  });

  it('the web app uploads with its session cookie, the org header and the CSRF token (multipart), and lists what it uploaded', async () => {
    const form = new FormData();
    form.append('dir', '/');
    form.append('file', new Blob(['from the browser'], { type: 'text/plain' }), 'web.txt');
    const encoded = new Request('http://127.0.0.1/', { method: 'POST', body: form });
    const body = Buffer.from(await encoded.arrayBuffer());
    const headers = { 'content-type': encoded.headers.get('content-type') as string, 'x-toride-org': admin.orgId };
    const noCsrf = await admin.client.request('POST', '/api/v2/projects/FILES/files', body, { ...headers, 'x-csrf-token': 'wrong' });
    expect(noCsrf.status).toBe(403);
    const made = await admin.client.request('POST', '/api/v2/projects/FILES/files', body, headers);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ type: 'file', dir: '/', name: 'web.txt', size: 16 });
    const listed = await admin.client.request('GET', '/api/v2/projects/FILES/files/metadata/?order=asc&count=1000', undefined, { 'x-toride-org': admin.orgId });
    expect(listed.body.map((f: { name: string }) => f.name)).toContain('web.txt');
  });

  it('disk usage counts shared files in `file`; the org purge deletes them, bytes included, and leaves other orgs alone', async () => {
    const before = (await backlog(t, keyAdmin, 'GET', '/projects/FILES/diskUsage')).body;
    await upload(keyAdmin, 'FILES', { name: 'weight.bin', content: new Uint8Array(1000), type: 'application/octet-stream' });
    const after = (await backlog(t, keyAdmin, 'GET', '/projects/FILES/diskUsage')).body;
    expect(after.file - before.file).toBe(1000);
    const space = (await backlog(t, keyAdmin, 'GET', '/space/diskUsage')).body;
    expect(space.file).toBe(space.details.reduce((n: number, d: { file: number }) => n + d.file, 0));
    expect(space.details.find((d: { projectId: number }) => d.projectId === projectId).file).toBe(after.file);

    const otherKeep = await upload(keyOther, 'MINE', { name: 'theirs.txt', content: 'keep' });
    expect(otherKeep.status).toBe(201);
    const store = await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(t.config.regionProjectsEn));
    const rows = async (table: 'shared_files' | 'shared_file_data', orgId: string) => (await store.db.selectFrom(table).select('org_id').where('org_id', '=', orgId).execute()).length;
    expect(await rows('shared_file_data', admin.orgId)).toBeGreaterThan(0);
    let result = await purgeProjectsOrganization(t.kernel, admin.orgId, 10_000);
    while (!result.done) result = await purgeProjectsOrganization(t.kernel, admin.orgId, 10_000);
    expect(await rows('shared_files', admin.orgId)).toBe(0);
    expect(await rows('shared_file_data', admin.orgId)).toBe(0);
    const otherOrg = (await store.db.selectFrom('shared_files').select('org_id').where('name', '=', 'theirs.txt').executeTakeFirstOrThrow()).org_id;
    expect(await rows('shared_file_data', otherOrg)).toBe(1);
  });
});
