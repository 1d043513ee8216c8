import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

/** `parentChild` on GET /issues (backlog-js ParentChildType 0–10; issues have two levels at most). */
describe('GET /issues parentChild filter (issue 3 §1)', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await buildTestApp();
    key = await apiKeyOf(await signUpUser(t, { orgName: 'Tree' }));
    const project = (await backlog(t, key, 'POST', '/projects', { name: 'Tree', key: 'TREE', subtaskingEnabled: true })).body;
    const type = (await backlog(t, key, 'GET', '/projects/TREE/issueTypes')).body[0].id;
    const add = async (summary: string, parentIssueId?: number) =>
      (await backlog(t, key, 'POST', '/issues', { projectId: project.id, summary, issueTypeId: type, priorityId: 3, ...(parentIssueId ? { parentIssueId } : {}) })).body;
    const parent = await add('Parent');
    await add('Child', parent.id);
    await add('Alone');
  });
  afterAll(async () => t.close());

  it('selects parents, children, standalone and leaf issues; 400 beyond 10', async () => {
    const summaries = async (parentChild: number) => ((await backlog(t, key, 'GET', `/issues?parentChild=${parentChild}`)).body as { summary: string }[]).map((i) => i.summary).sort();
    expect(await summaries(0)).toEqual(['Alone', 'Child', 'Parent']);
    expect(await summaries(1)).toEqual(['Alone', 'Parent']);
    expect(await summaries(2)).toEqual(['Child']);
    expect(await summaries(3)).toEqual(['Alone']);
    expect(await summaries(4)).toEqual(['Parent']);
    expect(await summaries(5)).toEqual([]);
    expect(await summaries(10)).toEqual(['Alone', 'Child']);
    expect((await backlog(t, key, 'GET', '/issues/count?parentChild=4')).body).toEqual({ count: 1 });
    expect((await backlog(t, key, 'GET', '/issues?parentChild=11')).status).toBe(400);
  });
});
