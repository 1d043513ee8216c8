import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

const countRows = async (db: Kysely<ProjectsDb>, orgId: string) => {
  const counts: Record<string, number> = {};
  for (const table of ['spaces', 'space_users', 'projects', 'issues', 'comments'] as const) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
};

describe('W7.7 cross-tenant: an API key of org A never resolves anything of org B', () => {
  let t: TestApp;
  let a: TestUser;
  let keyA: string;
  let keyB: string;
  let projectB: { id: number; projectKey: string };
  let issueB: { id: number; issueKey: string };
  let commentB: number;

  beforeAll(async () => {
    t = await buildTestApp();
    a = await signUpUser(t, { orgName: 'Org A' });
    const b = await signUpUser(t, { orgName: 'Org B' });
    keyA = await apiKeyOf(a);
    keyB = await apiKeyOf(b);
    await backlog(t, keyA, 'POST', '/projects', { name: 'Alpha', key: 'ALPHA' });
    projectB = (await backlog(t, keyB, 'POST', '/projects', { name: 'Bravo', key: 'BRAVO' })).body;
    const typeB = (await backlog(t, keyB, 'GET', '/projects/BRAVO/issueTypes')).body[0].id;
    issueB = (await backlog(t, keyB, 'POST', '/issues', { projectId: projectB.id, summary: 'Secret', issueTypeId: typeB, priorityId: 3 })).body;
    commentB = (await backlog(t, keyB, 'POST', `/issues/${issueB.id}/comments`, { content: 'secret comment' })).body.id;
  });
  afterAll(async () => t.close());

  it('W7.7 org B’s project, issue and comment ids and keys answer exactly like ids that do not exist', async () => {
    const pairs: [string, string, Record<string, string | number> | undefined][] = [
      ['GET', `/projects/${projectB.id}`, undefined],
      ['GET', '/projects/BRAVO', undefined],
      ['PATCH', `/projects/${projectB.id}`, { name: 'pwned' }],
      ['DELETE', '/projects/BRAVO', undefined],
      ['GET', '/projects/BRAVO/users', undefined],
      ['GET', '/projects/BRAVO/issueTypes', undefined],
      ['POST', '/projects/BRAVO/categories', { name: 'x' }],
      ['GET', `/issues/${issueB.id}`, undefined],
      ['GET', `/issues/${issueB.issueKey}`, undefined],
      ['PATCH', `/issues/${issueB.id}`, { summary: 'pwned' }],
      ['DELETE', `/issues/${issueB.id}`, undefined],
      ['GET', `/issues/${issueB.id}/comments`, undefined],
      ['POST', `/issues/${issueB.id}/comments`, { content: 'x' }],
      ['GET', `/issues/${issueB.id}/comments/${commentB}`, undefined],
    ];
    for (const [method, path, form] of pairs) {
      const foreign = await backlog(t, keyA, method as 'GET', path, form);
      const random = await backlog(t, keyA, method as 'GET', path.replace(String(projectB.id), '987654').replace(String(issueB.id), '987655').replace('BRAVO', 'NOSUCH'), form);
      expect(foreign.status, `${method} ${path}`).toBe(404);
      expect(foreign.body, `${method} ${path}`).toEqual(random.body);
    }
    expect((await backlog(t, keyB, 'GET', '/issues/BRAVO-1')).body.summary).toBe('Secret');
    expect((await backlog(t, keyB, 'GET', '/projects/BRAVO')).body.name).toBe('Bravo');
  });

  it('W7.7 lists, counts and writes never reach org B', async () => {
    expect((await backlog(t, keyA, 'GET', '/issues', { projectId: [projectB.id] })).body).toEqual([]);
    expect((await backlog(t, keyA, 'GET', '/issues/count', { projectId: [projectB.id] })).body).toEqual({ count: 0 });
    expect((await backlog(t, keyA, 'GET', '/issues', { id: [issueB.id] })).body).toEqual([]);
    expect((await backlog(t, keyA, 'GET', '/projects', { all: true })).body.map((p: { projectKey: string }) => p.projectKey)).toEqual(['ALPHA']);
    const post = await backlog(t, keyA, 'POST', '/issues', { projectId: projectB.id, summary: 'x', issueTypeId: 1, priorityId: 3 });
    expect(post.status).toBe(404);
    // B's numbered users are not users of A's space.
    const userB = (await backlog(t, keyB, 'GET', '/users/myself')).body.id;
    expect((await backlog(t, keyA, 'POST', '/projects/ALPHA/users', { userId: userB })).status).toBe(400);
    expect((await backlog(t, keyA, 'GET', '/users')).body.map((u: { id: number }) => u.id)).not.toContain(userB);
  });

  it('each org gets its own space key', async () => {
    expect((await backlog(t, keyA, 'GET', '/space')).body.spaceKey).not.toBe((await backlog(t, keyB, 'GET', '/space')).body.spaceKey);
  });
});

describe('W3.2 region placement of the projects store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  const seed = async (user: TestUser) => {
    const key = await apiKeyOf(user);
    const project = (await backlog(t, key, 'POST', '/projects', { name: 'Here', key: 'HERE' })).body;
    const type = (await backlog(t, key, 'GET', '/projects/HERE/issueTypes')).body[0].id;
    const issue = await backlog(t, key, 'POST', '/issues', { projectId: project.id, summary: 'Where am I?', issueTypeId: type, priorityId: 3 });
    await backlog(t, key, 'POST', `/issues/${issue.body.id}/comments`, { content: 'ここ' });
  };

  it('W3.2 a ja org’s projects data lands in the ap-northeast store and nowhere else; an en org’s in us-west', async () => {
    const ja = await signUpUser(t, { orgName: '東京', locale: 'ja' });
    const en = await signUpUser(t, { orgName: 'Oregon', locale: 'en' });
    await seed(ja);
    await seed(en);
    const tokyo = await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec('ap-northeast'));
    const oregon = await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec('us-west'));
    expect(tokyo.location).toMatch(/ap[-_]northeast/);
    expect(oregon.location).toMatch(/us[-_]west/);
    expect(await countRows(tokyo.db, ja.orgId)).toEqual({ spaces: 1, space_users: 1, projects: 1, issues: 1, comments: 1 });
    expect(await countRows(oregon.db, ja.orgId)).toEqual({ spaces: 0, space_users: 0, projects: 0, issues: 0, comments: 0 });
    expect(await countRows(oregon.db, en.orgId)).toEqual({ spaces: 1, space_users: 1, projects: 1, issues: 1, comments: 1 });
    expect(await countRows(tokyo.db, en.orgId)).toEqual({ spaces: 0, space_users: 0, projects: 0, issues: 0, comments: 0 });
    const space = await tokyo.db.selectFrom('spaces').selectAll().where('org_id', '=', ja.orgId).executeTakeFirstOrThrow();
    expect(space.region).toBe('ap-northeast');
  });
});

describe('lazy store opening under concurrent first requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('W3.2 concurrent first requests of a new org share one store opening and create one space', async () => {
    const user = await signUpUser(t, { locale: 'ja' });
    const key = await apiKeyOf(user);
    const answers = await Promise.all(Array.from({ length: 6 }, () => backlog(t, key, 'GET', '/space')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.spaceKey)).size).toBe(1);
    const stores = t.kernel.stores.list().filter((s) => s.module === 'projects');
    expect(stores.map((s) => s.region)).toEqual(['ap-northeast']);
    const spaces = await (stores[0]?.db as Kysely<ProjectsDb>).selectFrom('spaces').selectAll().where('org_id', '=', user.orgId).execute();
    expect(spaces).toHaveLength(1);
    const [a, b] = await Promise.all([t.kernel.stores.open(projectsStoreSpec('sa-east')), t.kernel.stores.open(projectsStoreSpec('sa-east'))]);
    expect(a).toBe(b);
  });
});

// Its own block, so that no other app is open meanwhile: two apps at once per worker would crowd
// PostgreSQL's connection limit when the suite runs on that dialect.
describe('W3.2 configurable projects regions', () => {
  it('W3.2 the regions are configurable (TORIDE_REGION_PROJECTS_JA / _EN)', async () => {
    const custom = await buildTestApp({ config: { regionProjectsJa: 'eu-central', regionProjectsEn: 'ca-central' } });
    try {
      const ja = await signUpUser(custom, { locale: 'ja' });
      const key = await apiKeyOf(ja);
      await backlog(custom, key, 'POST', '/projects', { name: 'Custom', key: 'CUSTOM' });
      const regions = custom.kernel.stores.list().filter((s) => s.module === 'projects').map((s) => s.region);
      expect(regions).toEqual(['eu-central']);
      const store = await custom.kernel.stores.open<ProjectsDb>(projectsStoreSpec('eu-central'));
      expect((await countRows(store.db, ja.orgId)).projects).toBe(1);
    } finally {
      await custom.close();
    }
  });
});
