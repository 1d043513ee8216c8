import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, uniqueEmail } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { expectScimError, issueScimToken, userBody } from './scim.test-support';

/** Issue 4 §5: SCIM Groups ↔ Toride teams (W5.1), member PATCH, audited as SCIM, scoped by org (W7.7). */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const patchOf = (...Operations: object[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations });

async function setup() {
  const admin = await signUpUser(t);
  const { scim } = await issueScimToken(t, admin);
  const a = (await scim.post('/Users', userBody(uniqueEmail('a'), { displayName: 'Alice A' }))).body.id as string;
  const b = (await scim.post('/Users', userBody(uniqueEmail('b'), { displayName: 'Bob B' }))).body.id as string;
  return { admin, scim, a, b };
}

describe('SCIM Groups', () => {
  it('creates a team with members, lists and filters by displayName (case-insensitive), PUT replaces', async () => {
    const { admin, scim, a, b } = await setup();
    const created = await scim.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', externalId: 'grp-1', members: [{ value: a }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: 'Engineering', externalId: 'grp-1', members: [{ value: a, display: 'Alice A' }], meta: { resourceType: 'Group' } });
    await scim.post('/Groups', { schemas: [GROUP], displayName: 'Design' });
    const filtered = await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "engineering"')}`);
    expect(filtered.body.totalResults).toBe(1);
    expect(filtered.body.Resources[0].id).toBe(created.body.id);
    expect((await scim.get(`/Groups?filter=${encodeURIComponent('externalId eq "grp-1"')}`)).body.totalResults).toBe(1);
    expect((await scim.get('/Groups?count=1')).body).toMatchObject({ totalResults: 2, itemsPerPage: 1 });
    const put = await scim.put(`/Groups/${created.body.id}`, { schemas: [GROUP], displayName: 'Eng', members: [{ value: b }] });
    expect(put.body).toMatchObject({ displayName: 'Eng', externalId: 'grp-1', members: [{ value: b }] });
    expect(await t.identity.teams.get(admin.orgId, created.body.id)).toMatchObject({ name: 'Eng', memberIds: [b] });
    const actions = (await t.kernel.audit.list({ orgId: admin.orgId })).filter((e) => e.action.startsWith('team.'));
    expect(actions.map((e) => e.action)).toEqual(expect.arrayContaining(['team.created', 'team.updated']));
    expect(actions.every((e) => (e.details as { actorKind?: string }).actorKind === 'scim')).toBe(true);
  });

  it('PATCH adds and removes members (idempotently), renames; members may be any org member', async () => {
    const { admin, scim, a, b } = await setup();
    const invited = await addMember(t, admin, 'member');
    const { body: group } = await scim.post('/Groups', { schemas: [GROUP], displayName: 'Ops' });
    const url = `/Groups/${group.id}`;
    expect((await scim.patch(url, patchOf({ op: 'add', path: 'members', value: [{ value: a }, { value: b }, { value: a }] }))).status).toBe(204);
    expect((await t.identity.teams.get(admin.orgId, group.id))?.memberIds.sort()).toEqual([a, b].sort());
    await scim.patch(url, patchOf({ op: 'add', path: 'members', value: [{ value: a }, { value: invited.accountId }] }));
    expect((await t.identity.teams.get(admin.orgId, group.id))?.memberIds.sort()).toEqual([a, b, invited.accountId].sort());
    await scim.patch(url, patchOf({ op: 'remove', path: `members[value eq "${a}"]` }, { op: 'Replace', path: 'displayName', value: 'Operations' }));
    expect(await t.identity.teams.get(admin.orgId, group.id)).toMatchObject({ name: 'Operations' });
    expect((await t.identity.teams.get(admin.orgId, group.id))?.memberIds.sort()).toEqual([b, invited.accountId].sort());
    await scim.patch(url, patchOf({ op: 'replace', path: 'members', value: [{ value: a }] }));
    expect((await t.identity.teams.get(admin.orgId, group.id))?.memberIds).toEqual([a]);
    await scim.patch(url, patchOf({ op: 'remove', path: 'members' }));
    expect((await t.identity.teams.get(admin.orgId, group.id))?.memberIds).toEqual([]);
  });

  it('a deleted user leaves its teams; DELETE removes the team', async () => {
    const { admin, scim, a, b } = await setup();
    const { body: group } = await scim.post('/Groups', { schemas: [GROUP], displayName: 'Temp', members: [{ value: a }, { value: b }] });
    expect((await scim.delete(`/Users/${a}`)).status).toBe(204);
    expect((await scim.get(`/Groups/${group.id}`)).body.members.map((m: { value: string }) => m.value)).toEqual([b]);
    expect((await scim.delete(`/Groups/${group.id}`)).status).toBe(204);
    expect(await t.identity.teams.get(admin.orgId, group.id)).toBeNull();
    expectScimError(await scim.delete(`/Groups/${group.id}`), 404);
  });

  it('errors: 409 uniqueness for a taken name, 400 for a bad body or a stranger, 404 across orgs', async () => {
    const { scim, a } = await setup();
    const other = await setup();
    const { body: group } = await scim.post('/Groups', { schemas: [GROUP], displayName: 'Unique' });
    expectScimError(await scim.post('/Groups', { schemas: [GROUP], displayName: 'Unique' }), 409, 'uniqueness');
    expectScimError(await scim.post('/Groups', { schemas: [GROUP] }), 400, 'invalidValue');
    expectScimError(await scim.post('/Groups', { schemas: ['urn:x'], displayName: 'X' }), 400, 'invalidSyntax');
    expectScimError(await scim.post('/Groups', { schemas: [GROUP], displayName: 'X', members: [{ value: other.a }] }), 400, 'invalidValue');
    expectScimError(await scim.patch(`/Groups/${group.id}`, patchOf({ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] })), 400, 'invalidValue');
    expectScimError(await scim.patch(`/Groups/${group.id}`, patchOf({ op: 'remove', path: 'members', value: [{ value: 'a"]' }] })), 400, 'invalidValue');
    // W7.7: the other org's token sees nothing of this org's teams.
    const theirs = await other.scim.get(`/Groups/${group.id}`);
    const random = await other.scim.get('/Groups/0192aaaa-0000-7000-8000-000000000000');
    expectScimError(theirs, 404);
    expect(theirs.body.detail.replace(group.id, 'X')).toBe(random.body.detail.replace('0192aaaa-0000-7000-8000-000000000000', 'X'));
    expectScimError(await other.scim.patch(`/Groups/${group.id}`, patchOf({ op: 'add', path: 'members', value: [{ value: other.a }] })), 404);
    expectScimError(await other.scim.delete(`/Groups/${group.id}`), 404);
    expect((await other.scim.get('/Groups')).body.totalResults).toBe(0);
    expect(a).toBeTruthy();
  });
});
