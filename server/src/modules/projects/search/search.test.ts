import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

/** Full-text search over issues: summary, description and comments, on SQLite FTS5 and PostgreSQL pg_trgm. */
describe('GET /issues?keyword= searches summary, description and comments (issue 3 §1)', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let projectId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    key = await apiKeyOf(await signUpUser(t, { orgName: 'Search' }));
    otherKey = await apiKeyOf(await signUpUser(t, { orgName: 'Other' }));
    const project = (await backlog(t, key, 'POST', '/projects', { name: 'Search', key: 'SRCH' })).body;
    projectId = project.id;
    const type = (await backlog(t, key, 'GET', '/projects/SRCH/issueTypes')).body[0].id;
    const add = async (summary: string, description = '') =>
      (await backlog(t, key, 'POST', '/issues', { projectId, summary, description, issueTypeId: type, priorityId: 3 })).body;
    await add('Login fails on Safari', 'Steps: open the LOGIN page');
    await add('検索機能の改善', '全文検索で日本語を部分一致で探せるようにする');
    const third = await add('Refactor', 'nothing here');
    await backlog(t, key, 'POST', `/issues/${third.id}/comments`, { content: 'The root cause is a race in the scheduler' });
    const edited = await add('Old title');
    await backlog(t, key, 'PATCH', `/issues/${edited.id}`, { summary: 'Quarterly report' });

    const otherProject = (await backlog(t, otherKey, 'POST', '/projects', { name: 'Other', key: 'OTHER' })).body;
    const otherType = (await backlog(t, otherKey, 'GET', '/projects/OTHER/issueTypes')).body[0].id;
    await backlog(t, otherKey, 'POST', '/issues', { projectId: otherProject.id, summary: 'Login secret of another org', issueTypeId: otherType, priorityId: 3 });
  });
  afterAll(async () => t.close());

  const search = async (keyword: string) => {
    const r = await backlog(t, key, 'GET', '/issues', { keyword });
    expect(r.status).toBe(200);
    return (r.body as { summary: string }[]).map((i) => i.summary).sort();
  };

  it('matches substrings case-insensitively in summary and description', async () => {
    expect(await search('login')).toEqual(['Login fails on Safari']);
    expect(await search('SAFARI')).toEqual(['Login fails on Safari']);
    expect(await search('ogi')).toEqual(['Login fails on Safari']);
  });

  it('matches Japanese substrings, also shorter than a trigram', async () => {
    expect(await search('部分一致')).toEqual(['検索機能の改善']);
    expect(await search('検索')).toEqual(['検索機能の改善']);
    expect(await search('日本語')).toEqual(['検索機能の改善']);
  });

  it('matches comment text, follows edits, and counts the same way', async () => {
    expect(await search('race in the scheduler')).toEqual(['Refactor']);
    expect(await search('quarterly')).toEqual(['Quarterly report']);
    expect(await search('Old title')).toEqual([]);
    expect((await backlog(t, key, 'GET', '/issues/count', { keyword: 'scheduler' })).body).toEqual({ count: 1 });
  });

  it('treats LIKE wildcards and quotes literally, and never crosses orgs (W7.7)', async () => {
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
    expect(await search('"login"')).toEqual([]);
    expect(await search('secret of another')).toEqual([]);
  });
});
