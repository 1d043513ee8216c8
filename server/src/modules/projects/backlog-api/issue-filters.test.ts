import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../../kernel/clock';
import { signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

/** GET /issues and /issues/count: resolution, attachment, due-date and date-range filters (issue 3 §1). */
describe('GET /issues date, resolution and attachment filters (issue 3 §1)', () => {
  const clock = createTestClock('2027-03-01T10:00:00.000Z');
  let t: TestApp;
  let key: string;
  let port: number;

  const summaries = async (query: string) => ((await backlog(t, key, 'GET', `/issues?${query}`)).body as { summary: string }[]).map((i) => i.summary).sort();
  const count = async (query: string) => ((await backlog(t, key, 'GET', `/issues/count?${query}`)).body as { count: number }).count;

  beforeAll(async () => {
    t = await buildTestApp({ clock });
    key = await apiKeyOf(await signUpUser(t, { orgName: 'Dates' }));
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    port = address.port;
    const project = (await backlog(t, key, 'POST', '/projects', { name: 'Dates', key: 'DATES' })).body;
    const type = (await backlog(t, key, 'GET', '/projects/DATES/issueTypes')).body[0].id;
    const add = async (summary: string, extra: Record<string, string | number | number[]> = {}) =>
      (await backlog(t, key, 'POST', '/issues', { projectId: project.id, summary, issueTypeId: type, priorityId: 3, ...extra })).body as { id: number; issueKey: string };

    // March 1st, the last second of March 2nd, and March 3rd (UTC).
    await add('First', { startDate: '2027-03-01', dueDate: '2027-03-10' });
    clock.set('2027-03-02T23:59:59.000Z');
    const second = await add('Second', { dueDate: '2027-03-20' });
    clock.set('2027-03-03T00:00:00.000Z');
    const form = new FormData();
    form.append('file', new Blob(['spec'], { type: 'text/plain' }), 'spec.txt');
    const upload = await fetch(`http://127.0.0.1:${port}/api/v2/space/attachment`, { method: 'POST', headers: { 'backlog-api-key': key }, body: form });
    const attachmentId = ((await upload.json()) as { id: number }).id;
    await add('Third', { attachmentId: [attachmentId] });
    // Updating the second issue on March 5th resolves it (resolution 0, "Fixed").
    clock.set('2027-03-05T12:00:00.000Z');
    expect((await backlog(t, key, 'PATCH', `/issues/${second.issueKey}`, { statusId: 3, resolutionId: 0 })).status).toBe(200);
  });
  afterAll(async () => t.close());

  it('created and updated ranges are whole UTC days, both ends included', async () => {
    expect(await summaries('createdSince=2027-03-02')).toEqual(['Second', 'Third']);
    expect(await summaries('createdUntil=2027-03-02')).toEqual(['First', 'Second']);
    expect(await summaries('createdSince=2027-03-02&createdUntil=2027-03-02')).toEqual(['Second']);
    expect(await summaries('updatedSince=2027-03-04')).toEqual(['Second']);
    expect(await summaries('updatedUntil=2027-03-03')).toEqual(['First', 'Third']);
    expect(await count('createdSince=2027-03-02&createdUntil=2027-03-03')).toBe(2);
  });

  it('start and due dates, hasDueDate, resolutionId[] and attachment', async () => {
    expect(await summaries('startDateSince=2027-03-01&startDateUntil=2027-03-01')).toEqual(['First']);
    expect(await summaries('dueDateSince=2027-03-10&dueDateUntil=2027-03-19')).toEqual(['First']);
    expect(await summaries('dueDateUntil=2027-03-20')).toEqual(['First', 'Second']);
    expect(await summaries('hasDueDate=true')).toEqual(['First', 'Second']);
    expect(await summaries('hasDueDate=false')).toEqual(['Third']);
    expect(await summaries('resolutionId[]=0')).toEqual(['Second']);
    expect(await summaries('resolutionId[]=1&resolutionId[]=2')).toEqual([]);
    expect(await summaries('attachment=true')).toEqual(['Third']);
    expect(await summaries('attachment=false')).toEqual(['First', 'Second']);
    expect(await count('attachment=false&hasDueDate=true')).toBe(2);
  });

  it('bad dates and flags answer 400 code 7', async () => {
    for (const query of ['createdSince=2027-02-30', 'dueDateUntil=03/01/2027', 'hasDueDate=maybe', 'attachment=1x', 'resolutionId[]=x']) {
      const res = await backlog(t, key, 'GET', `/issues?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors[0].code, query).toBe(7);
    }
  });
});
