import type { Backlog } from 'backlog-js';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { projectsRegions, purgeProjectsOrganization } from '../projects.purge';
import { MAX_RELATED_ISSUES } from './related-issues.service';

/** Related issues (backlog-js getRelatedIssues / addRelatedIssue / removeRelatedIssue; issue 3 §5, W7.7). */
describe('related issues', () => {
  let t: TestApp;
  let owner: TestUser;
  let admin: Backlog;
  let member: Backlog;
  let keyAdmin: string;
  let keyMember: string;
  let keyViewer: string;
  let keyOutsider: string;
  let keyOther: string;
  let projectId: number;
  let typeId: number;
  let otherIssueId: number;
  const newIssue = async (summary: string, pid = projectId) => (await admin.postIssue({ projectId: pid, summary, issueTypeId: pid === projectId ? typeId : ((await admin.getIssueTypes(pid))[0]?.id as number), priorityId: 3 })).id;

  beforeAll(async () => {
    t = await buildTestApp();
    owner = await signUpUser(t, { orgName: 'Acme' });
    const mia = await addMember(t, owner, 'member');
    const vic = await addMember(t, owner, 'member');
    const out = await addMember(t, owner, 'member');
    const r = await owner.client.request('PUT', `/api/v1/orgs/${owner.orgId}/projects/restrictions/${vic.accountId}`, { restriction: 'view_only' });
    expect(r.status).toBe(200);
    keyAdmin = await apiKeyOf(owner);
    keyMember = await apiKeyOf(mia);
    keyViewer = await apiKeyOf(vic);
    keyOutsider = await apiKeyOf(out);
    const other = await signUpUser(t, { orgName: 'Other' });
    keyOther = await apiKeyOf(other);
    const port = await listenOnLoopback(t);
    admin = backlogClient(port, keyAdmin);
    member = backlogClient(port, keyMember);
    projectId = (await admin.postProject({ name: 'Rel', key: 'REL', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    for (const key of [keyMember, keyViewer]) await admin.postProjectUser(projectId, String((await backlog(t, key, 'GET', '/users/myself')).body.id));
    typeId = (await admin.getIssueTypes(projectId))[0]?.id as number;
    const otherProject = (await backlog(t, keyOther, 'POST', '/projects', { name: 'O', key: 'OTH' })).body;
    const otherType = (await backlog(t, keyOther, 'GET', '/projects/OTH/issueTypes')).body[0].id;
    otherIssueId = (await backlog(t, keyOther, 'POST', '/issues', { projectId: otherProject.id, summary: 'foreign', issueTypeId: otherType, priorityId: 3 })).body.id;
  });
  afterAll(async () => t.close());

  it('relates symmetrically, across projects of the space; self and repeats are no error; removes from either side', async () => {
    const a = await newIssue('Alpha');
    const b = await newIssue('Beta');
    const c = await newIssue('Gamma');
    const added = await member.addRelatedIssue('REL-1', { targetIssueId: b });
    expect(added).toMatchObject({ id: b, summary: 'Beta', issueKey: 'REL-2', type: 'RELATES', status: { name: 'Open' }, stars: [] });
    await member.addRelatedIssue(a, { targetIssueId: c });
    expect((await member.getRelatedIssues(a)).map((i) => [i.summary, i.type])).toEqual([
      ['Beta', 'RELATES'],
      ['Gamma', 'RELATES'],
    ]);
    // Symmetric: B and C see A.
    expect((await member.getRelatedIssues(b)).map((i) => i.id)).toEqual([a]);
    expect((await member.getRelatedIssues('REL-3')).map((i) => i.id)).toEqual([a]);
    // Relating again, the other way round, or to itself answers the target and adds nothing.
    expect(await member.addRelatedIssue(b, { targetIssueId: a })).toMatchObject({ id: a, type: 'RELATES' });
    expect(await member.addRelatedIssue(a, { targetIssueId: a })).toMatchObject({ id: a });
    expect((await member.getRelatedIssues(a)).map((i) => i.id)).toEqual([b, c]);
    // Removing from B's side removes A–B; the answer is the unlinked issue.
    expect(await member.removeRelatedIssue(b, a)).toMatchObject({ id: a, summary: 'Alpha', type: 'RELATES' });
    expect((await member.getRelatedIssues(a)).map((i) => i.id)).toEqual([c]);
    expect((await backlog(t, keyMember, 'DELETE', `/issues/${a}/relatedIssues/${b}`)).status).toBe(404);
    // Another project of the same space (the admin sees both): related, and hidden from those who cannot see it.
    const elsewhere = (await admin.postProject({ name: 'Else', key: 'ELSE', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    const d = await newIssue('Delta', elsewhere);
    expect((await admin.addRelatedIssue(a, { targetIssueId: d })).projectId).toBe(elsewhere);
    expect((await admin.getRelatedIssues(a)).map((i) => i.id)).toEqual([c, d]);
    expect((await member.getRelatedIssues(a)).map((i) => i.id)).toEqual([c]);
    expect((await backlog(t, keyMember, 'DELETE', `/issues/${a}/relatedIssues/${d}`)).status).toBe(404);
    // Deleting an issue takes its relations with it.
    await admin.deleteIssue(c);
    expect((await admin.getRelatedIssues(a)).map((i) => i.id)).toEqual([d]);
  });

  it(`refuses more than ${MAX_RELATED_ISSUES} related issues`, async () => {
    const hub = await newIssue('Hub');
    for (let n = 0; n < MAX_RELATED_ISSUES; n++) {
      const id = await newIssue(`Spoke ${n}`);
      expect((await backlog(t, keyAdmin, 'POST', `/issues/${hub}/relatedIssues`, { targetIssueId: id })).status).toBe(200);
    }
    const extra = await newIssue('One too many');
    const refused = await backlog(t, keyAdmin, 'POST', `/issues/${hub}/relatedIssues`, { targetIssueId: extra });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toMatch(/at most 50/);
    expect((await admin.getRelatedIssues(hub)).length).toBe(MAX_RELATED_ISSUES);
  }, 120_000);

  it('401 without a key, 400 on bad input, 403 for view-only users, 404 for outsiders and unknown ids', async () => {
    const a = await newIssue('Guarded');
    const b = await newIssue('Guarded too');
    expect((await backlog(t, null, 'GET', `/issues/${a}/relatedIssues`)).status).toBe(401);
    expect((await backlog(t, null, 'POST', `/issues/${a}/relatedIssues`, { targetIssueId: b })).status).toBe(401);
    expect((await backlog(t, keyMember, 'POST', `/issues/${a}/relatedIssues`, {})).status).toBe(400);
    expect((await backlog(t, keyMember, 'POST', `/issues/${a}/relatedIssues`, { targetIssueId: 'x' })).status).toBe(400);
    expect((await backlog(t, keyMember, 'DELETE', `/issues/${a}/relatedIssues/x`)).status).toBe(400);
    expect((await backlog(t, keyMember, 'POST', `/issues/${a}/relatedIssues`, { targetIssueId: 987654 })).status).toBe(400);
    const viewer = await backlog(t, keyViewer, 'POST', `/issues/${a}/relatedIssues`, { targetIssueId: b });
    expect(viewer.status).toBe(403);
    expect((await backlog(t, keyViewer, 'GET', `/issues/${a}/relatedIssues`)).status).toBe(200);
    await admin.addRelatedIssue(a, { targetIssueId: b });
    expect((await backlog(t, keyViewer, 'DELETE', `/issues/${a}/relatedIssues/${b}`)).status).toBe(403);
    for (const [method, path, form] of [
      ['GET', `/issues/${a}/relatedIssues`, undefined],
      ['POST', `/issues/${a}/relatedIssues`, { targetIssueId: b }],
      ['DELETE', `/issues/${a}/relatedIssues/${b}`, undefined],
    ] as const) {
      const outsider = await backlog(t, keyOutsider, method, path, form);
      expect(outsider.status, path).toBe(404);
      expect(outsider.body).toEqual((await backlog(t, keyOutsider, method, path.replace(String(a), '987654'), form)).body);
    }
    expect((await admin.getRelatedIssues(a)).map((i) => i.id)).toEqual([b]);
  });

  it('W7.7: another org’s issue ids answer exactly like ids that do not exist, on both ends', async () => {
    const mine = await newIssue('Mine');
    const foreignTarget = await backlog(t, keyAdmin, 'POST', `/issues/${mine}/relatedIssues`, { targetIssueId: otherIssueId });
    const randomTarget = await backlog(t, keyAdmin, 'POST', `/issues/${mine}/relatedIssues`, { targetIssueId: 987654 });
    expect(foreignTarget.status).toBe(400);
    expect(foreignTarget.body).toEqual(randomTarget.body);
    for (const [method, path, form] of [
      ['GET', `/issues/${mine}/relatedIssues`, undefined],
      ['POST', `/issues/${mine}/relatedIssues`, { targetIssueId: otherIssueId }],
      ['DELETE', `/issues/${mine}/relatedIssues/${otherIssueId}`, undefined],
    ] as const) {
      const foreign = await backlog(t, keyOther, method, path, form);
      const random = await backlog(t, keyOther, method, path.replace(String(mine), '987654'), form);
      expect(foreign.status, path).toBe(404);
      expect(foreign.body).toEqual(random.body);
    }
    expect(await admin.getRelatedIssues(mine)).toEqual([]);
  });

  it('purging the org deletes its relations and nothing of another org', async () => {
    const a = await newIssue('Purge A');
    const b = await newIssue('Purge B');
    await admin.addRelatedIssue(a, { targetIssueId: b });
    const otherTwo = (await backlog(t, keyOther, 'POST', '/issues', { projectId: (await backlog(t, keyOther, 'GET', '/projects/OTH')).body.id, summary: 'foreign 2', issueTypeId: (await backlog(t, keyOther, 'GET', '/projects/OTH/issueTypes')).body[0].id, priorityId: 3 })).body.id;
    expect((await backlog(t, keyOther, 'POST', `/issues/${otherIssueId}/relatedIssues`, { targetIssueId: otherTwo })).status).toBe(200);
    const count = async () => {
      const byOrg = new Map<string, number>();
      for (const region of projectsRegions(t.kernel)) {
        const db = (await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(region))).db as Kysely<ProjectsDb>;
        for (const row of await db.selectFrom('issue_relations').select('org_id').execute()) byOrg.set(row.org_id, (byOrg.get(row.org_id) ?? 0) + 1);
      }
      return byOrg;
    };
    const before = await count();
    expect(before.get(owner.orgId)).toBeGreaterThan(0);
    const otherOrgs = [...before.keys()].filter((id) => id !== owner.orgId);
    expect(otherOrgs.length).toBe(1);
    let done = false;
    for (let round = 0; round < 100 && !done; round++) done = (await purgeProjectsOrganization(t.kernel, owner.orgId, 500)).done;
    expect(done).toBe(true);
    const after = await count();
    expect(after.get(owner.orgId)).toBeUndefined();
    expect(after.get(otherOrgs[0] as string)).toBe(before.get(otherOrgs[0] as string));
  }, 120_000);
});
