import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, type TestResponse } from '../../test/client';
import { addMember, invite, signUpUser, uniqueEmail, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

/**
 * W7.7: no cross-tenant reads, writes or existence checks. For callers of org A, every id of org B
 * (org, member accounts, teams, invitations, API keys), on B's paths and on A's own paths, answers
 * exactly like a random id that exists nowhere, with no data of B in the body, and B's data stays
 * byte-for-byte the same after every write attempt. An API key scoped to A stays in A even when its
 * owner is also a member of B.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Actor = 'A admin' | 'A member' | 'A-scoped API key (owner also in B)' | 'session of an account in A and B';
interface ActorInfo {
  client: TestClient;
  accountId: string;
  roleInA: 'admin' | 'member';
  via: 'session' | 'api_key';
}

/** The ids a probe aims at: B's real ones, or random ones for the control request. */
interface Targets {
  orgId: string;
  accountId: string;
  teamId: string;
  invitationId: string;
  apiKeyId: string;
}
type TargetKey = keyof Targets;

interface Probe {
  group: 'B paths' | 'A paths with B ids' | 'A teams with B accounts';
  name: string;
  method: Method;
  /** Which ids of Targets the request carries (the control swaps exactly these for random ones). */
  uses: readonly TargetKey[];
  url: (tg: Targets, self: string) => string;
  body?: (tg: Targets) => unknown;
  expected: (actor: ActorInfo) => readonly [number, string];
  /** Which of B's members (admin, member, guest) / teams (team, empty team) the probe aims at. */
  bMember?: number;
  bTeam?: number;
}

let t: TestApp;
let A: { org: string; admin: TestUser; member: TestUser; team: { id: string; name: string }; dual: TestUser; keyClient: TestClient };
let B: {
  org: string;
  admin: TestUser;
  member: TestUser;
  guest: TestUser;
  teams: { id: string; name: string }[];
  invitation: { id: string; email: string };
  apiKeyId: string;
  /** Names, emails and ids of B: none may appear in an answer to A. */
  secrets: string[];
};
let actors: Record<Actor, ActorInfo>;

const api = (path: string) => `/api/v1${path}`;
const ORG_NOT_FOUND = [404, 'org.not_found'] as const;
const FORBIDDEN = [403, 'auth.forbidden'] as const;
const SESSION_REQUIRED = [403, 'auth.session_required'] as const;
const NOT_ORG_MEMBERS = [400, 'team.not_org_members'] as const;
const adminOnly = (code: string) => (actor: ActorInfo) => (actor.roleInA === 'admin' ? ([404, code] as const) : FORBIDDEN);

/** Lists sorted by id, so rows with equal timestamps (the test clock stands still) compare stably. */
function sorted(body: any) {
  if (!Array.isArray(body?.items)) return body;
  const key = (item: any) => String(item.id ?? item.accountId);
  return { ...body, items: [...body.items].sort((x, y) => key(x).localeCompare(key(y))) };
}

/** Everything B's admin (and B's guest) can see of B. */
async function snapshotB() {
  const get = async (path: string) => {
    const res = await B.admin.client.get(api(path));
    if (res.status !== 200) throw new Error(`B snapshot ${path}: ${res.status}`);
    return sorted(res.body);
  };
  const teams = await get(`/orgs/${B.org}/teams`);
  return {
    org: await get(`/orgs/${B.org}`),
    members: await get(`/orgs/${B.org}/members`),
    invitations: await get(`/orgs/${B.org}/invitations`),
    teams,
    teamDetails: await Promise.all((teams.items as { id: string }[]).map((team) => get(`/orgs/${B.org}/teams/${team.id}`))),
    adminApiKeys: await get('/me/api-keys'),
    guestTeams: sorted((await B.guest.client.get(api(`/orgs/${B.org}/teams`))).body),
  };
}

/** A's own state, so attempts on A's paths with B ids are seen to change nothing in A either. */
async function snapshotA() {
  const get = async (path: string) => sorted((await A.admin.client.get(api(`/orgs/${A.org}${path}`))).body);
  return { org: await get(''), members: await get('/members'), invitations: await get('/invitations'), teams: await get('/teams') };
}

/** Replaces the ids a request carried by placeholders, so a B-id answer and a random-id answer compare. */
function normalize(body: unknown, ids: readonly string[]): string {
  let text = JSON.stringify(body) ?? '';
  ids.forEach((id, i) => {
    text = text.split(id).join(`<id${i}>`);
  });
  return text;
}

function probesOf(): Probe[] {
  const probes: Probe[] = [];
  const bPath: Omit<Probe, 'name' | 'method' | 'uses' | 'url'> = { group: 'B paths', expected: () => ORG_NOT_FOUND };
  const add = (p: Probe) => probes.push(p);

  // 1. B's own paths: the org gate answers 404 before anything of B is looked at.
  add({ ...bPath, name: 'GET /orgs/B', method: 'GET', uses: ['orgId'], url: (tg) => api(`/orgs/${tg.orgId}`) });
  add({ ...bPath, name: 'PATCH /orgs/B (rename)', method: 'PATCH', uses: ['orgId'], url: (tg) => api(`/orgs/${tg.orgId}`), body: () => ({ name: 'Hijacked' }) });
  add({ ...bPath, name: 'GET /orgs/B/members', method: 'GET', uses: ['orgId'], url: (tg) => api(`/orgs/${tg.orgId}/members`) });
  add({ ...bPath, name: 'GET /orgs/B/invitations', method: 'GET', uses: ['orgId'], url: (tg) => api(`/orgs/${tg.orgId}/invitations`) });
  add({ ...bPath, name: 'POST /orgs/B/invitations', method: 'POST', uses: ['orgId'], url: (tg) => api(`/orgs/${tg.orgId}/invitations`), body: () => ({ email: uniqueEmail('intruder'), role: 'admin' }) });
  add({ ...bPath, name: 'GET /orgs/B/teams', method: 'GET', uses: ['orgId'], url: (tg) => api(`/orgs/${tg.orgId}/teams`) });
  add({ ...bPath, name: 'POST /orgs/B/teams', method: 'POST', uses: ['orgId'], url: (tg) => api(`/orgs/${tg.orgId}/teams`), body: () => ({ name: 'Intruder Team' }) });
  add({ ...bPath, name: 'DELETE /orgs/B/members/<own id> (leave)', method: 'DELETE', uses: ['orgId'], url: (tg, self) => api(`/orgs/${tg.orgId}/members/${self}`) });
  add({ ...bPath, name: 'DELETE /orgs/B/invitations/<B invitation>', method: 'DELETE', uses: ['orgId', 'invitationId'], url: (tg) => api(`/orgs/${tg.orgId}/invitations/${tg.invitationId}`) });
  add({
    group: 'B paths',
    name: 'POST /me/api-keys { orgId: B }',
    method: 'POST',
    uses: ['orgId'],
    url: () => api('/me/api-keys'),
    body: (tg) => ({ name: 'into B', orgId: tg.orgId }),
    expected: (actor) => (actor.via === 'api_key' ? SESSION_REQUIRED : ORG_NOT_FOUND),
  });
  for (const [i, who] of ['admin', 'member', 'guest'].entries()) {
    const member = { uses: ['orgId', 'accountId'] as const, url: (tg: Targets) => api(`/orgs/${tg.orgId}/members/${tg.accountId}`) };
    add({ ...bPath, ...member, name: `PATCH /orgs/B/members/<B ${who}> role`, method: 'PATCH', body: () => ({ role: 'admin' }), bMember: i });
    add({ ...bPath, ...member, name: `PATCH /orgs/B/members/<B ${who}> canInvite`, method: 'PATCH', body: () => ({ canInvite: true }), bMember: i });
    add({ ...bPath, ...member, name: `DELETE /orgs/B/members/<B ${who}>`, method: 'DELETE', bMember: i });
  }
  for (const [i, which] of ['team', 'empty team'].entries()) {
    const team = { uses: ['orgId', 'teamId'] as const, url: (tg: Targets) => api(`/orgs/${tg.orgId}/teams/${tg.teamId}`), bTeam: i };
    add({ ...bPath, ...team, name: `GET /orgs/B/teams/<B ${which}>`, method: 'GET' });
    add({ ...bPath, ...team, name: `PATCH /orgs/B/teams/<B ${which}>`, method: 'PATCH', body: () => ({ name: 'Hijacked', memberIds: [] }) });
    add({ ...bPath, ...team, name: `DELETE /orgs/B/teams/<B ${which}>`, method: 'DELETE' });
  }

  // 2. A's own paths carrying B's ids: lookups are scoped to A, so B's ids never resolve.
  const aPath = { group: 'A paths with B ids' as const };
  for (const [i, which] of ['team', 'empty team'].entries()) {
    const team = { ...aPath, uses: ['teamId'] as const, url: (tg: Targets) => api(`/orgs/${A.org}/teams/${tg.teamId}`), bTeam: i, expected: () => [404, 'team.not_found'] as const };
    add({ ...team, name: `GET /orgs/A/teams/<B ${which}>`, method: 'GET' });
    add({ ...team, name: `PATCH /orgs/A/teams/<B ${which}>`, method: 'PATCH', body: () => ({ name: 'Hijacked', memberIds: [] }) });
    add({ ...team, name: `DELETE /orgs/A/teams/<B ${which}>`, method: 'DELETE' });
  }
  for (const [i, who] of ['admin', 'member', 'guest'].entries()) {
    const member = { ...aPath, uses: ['accountId'] as const, url: (tg: Targets) => api(`/orgs/${A.org}/members/${tg.accountId}`), bMember: i, expected: adminOnly('member.not_found') };
    add({ ...member, name: `PATCH /orgs/A/members/<B ${who}> role`, method: 'PATCH', body: () => ({ role: 'admin' }) });
    add({ ...member, name: `PATCH /orgs/A/members/<B ${who}> canInvite`, method: 'PATCH', body: () => ({ canInvite: true }) });
    add({ ...member, name: `DELETE /orgs/A/members/<B ${who}>`, method: 'DELETE' });
  }
  add({ ...aPath, name: 'DELETE /orgs/A/invitations/<B invitation>', method: 'DELETE', uses: ['invitationId'], url: (tg) => api(`/orgs/${A.org}/invitations/${tg.invitationId}`), expected: adminOnly('invitation.not_found') });
  add({
    ...aPath,
    name: "DELETE /me/api-keys/<B admin's key>",
    method: 'DELETE',
    uses: ['apiKeyId'],
    url: (tg) => api(`/me/api-keys/${tg.apiKeyId}`),
    expected: (actor) => (actor.via === 'api_key' ? SESSION_REQUIRED : ([404, 'api_key.not_found'] as const)),
  });

  // 3. A's teams cannot take in accounts that are only in B (W5.1 + W7.7).
  for (const [i, who] of ['admin', 'member', 'guest'].entries()) {
    const strangers = { group: 'A teams with B accounts' as const, uses: ['accountId'] as const, bMember: i, expected: () => NOT_ORG_MEMBERS };
    add({ ...strangers, name: `POST /orgs/A/teams { memberIds: [A member, B ${who}] }`, method: 'POST', url: () => api(`/orgs/${A.org}/teams`), body: (tg: Targets) => ({ name: 'Mixed Team', memberIds: [A.member.accountId, tg.accountId] }) });
    add({ ...strangers, name: `PATCH /orgs/A/teams/<A team> { memberIds: [A admin, B ${who}] }`, method: 'PATCH', url: () => api(`/orgs/${A.org}/teams/${A.team.id}`), body: (tg: Targets) => ({ name: 'Mixed Team', memberIds: [A.admin.accountId, tg.accountId] }) });
  }
  return probes;
}

/** B's real ids for a probe; resolved once the fixture exists. */
function realTargets(probe: Probe): Targets {
  const members = [B.admin, B.member, B.guest];
  const team = B.teams[probe.bTeam ?? 0];
  const member = members[probe.bMember ?? 0];
  if (!team || !member) throw new Error(`bad probe ${probe.name}`);
  return { orgId: B.org, accountId: member.accountId, teamId: team.id, invitationId: B.invitation.id, apiKeyId: B.apiKeyId };
}

const PROBES = probesOf();
const ACTORS_BY_GROUP: Record<Probe['group'], Actor[]> = {
  // The account in both orgs legitimately reads B through its own session, so it only probes A's paths.
  'B paths': ['A admin', 'A member', 'A-scoped API key (owner also in B)'],
  'A paths with B ids': ['A admin', 'A member', 'A-scoped API key (owner also in B)', 'session of an account in A and B'],
  'A teams with B accounts': ['A admin', 'A member', 'A-scoped API key (owner also in B)', 'session of an account in A and B'],
};
const CASES = PROBES.flatMap((probe) => ACTORS_BY_GROUP[probe.group].map((actor) => ({ probe, actor })));

beforeAll(async () => {
  t = await buildTestApp();
  const post = async (user: TestUser, path: string, body: unknown) => {
    const res = await user.client.post(api(path), body);
    if (res.status !== 201) throw new Error(`fixture ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  // Org B first: admin, member, guest, two teams, a pending invitation, an API key.
  const bAdmin = await signUpUser(t, { name: 'Bea Bravoadmin', orgName: 'Bravo Tenant' });
  const bMember = await addMember(t, bAdmin, 'member', { name: 'Bob Bravomember' });
  const bGuest = await addMember(t, bAdmin, 'guest', { name: 'Gia Bravoguest' });
  const bTeam = await post(bAdmin, `/orgs/${bAdmin.orgId}/teams`, { name: 'Bravo Secret Team', description: 'classified', memberIds: [bMember.accountId, bGuest.accountId] });
  const bEmptyTeam = await post(bAdmin, `/orgs/${bAdmin.orgId}/teams`, { name: 'Bravo Empty Team' });
  const bInvitation = await invite(t, bAdmin, 'member');
  const bKey = await post(bAdmin, '/me/api-keys', { name: 'bravo automation', orgId: bAdmin.orgId });

  // Org A: admin, member, a team, an invitation, and an admin of A who is also a member of B.
  const aAdmin = await signUpUser(t, { name: 'Alice Alphaadmin', orgName: 'Alpha Tenant' });
  const aMember = await addMember(t, aAdmin, 'member', { name: 'Arno Alphamember' });
  const aTeam = await post(aAdmin, `/orgs/${aAdmin.orgId}/teams`, { name: 'Alpha Team', memberIds: [aAdmin.accountId, aMember.accountId] });
  await invite(t, aAdmin, 'guest');
  const dual = await addMember(t, aAdmin, 'admin', { name: 'Dana Dualadmin' });
  const intoB = await invite(t, bAdmin, 'member', dual.email);
  const accepted = await dual.client.post(api(`/invitations/${encodeURIComponent(intoB.token)}/accept`), {});
  if (accepted.status !== 200) throw new Error(`dual accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const dualKey = await post(dual, '/me/api-keys', { name: 'alpha only', orgId: aAdmin.orgId });
  const keyClient = new TestClient(t.app);
  keyClient.apiKey = dualKey.secret as string;

  A = { org: aAdmin.orgId, admin: aAdmin, member: aMember, team: { id: aTeam.id, name: aTeam.name }, dual, keyClient };
  B = {
    org: bAdmin.orgId,
    admin: bAdmin,
    member: bMember,
    guest: bGuest,
    teams: [
      { id: bTeam.id, name: bTeam.name },
      { id: bEmptyTeam.id, name: bEmptyTeam.name },
    ],
    invitation: { id: bInvitation.invitationId, email: bInvitation.email },
    apiKeyId: bKey.apiKey.id as string,
    secrets: [
      'Bravo Tenant',
      'Bea Bravoadmin',
      'Bob Bravomember',
      'Gia Bravoguest',
      'Bravo Secret Team',
      'Bravo Empty Team',
      'classified',
      'bravo automation',
      bAdmin.orgId,
      bTeam.id,
      bEmptyTeam.id,
      bInvitation.invitationId,
      bInvitation.email,
      bKey.apiKey.id as string,
      bKey.apiKey.prefix as string,
      ...[bAdmin, bMember, bGuest].flatMap((u) => [u.email, u.accountId]),
    ],
  };
  actors = {
    'A admin': { client: aAdmin.client, accountId: aAdmin.accountId, roleInA: 'admin', via: 'session' },
    'A member': { client: aMember.client, accountId: aMember.accountId, roleInA: 'member', via: 'session' },
    'A-scoped API key (owner also in B)': { client: keyClient, accountId: dual.accountId, roleInA: 'admin', via: 'api_key' },
    'session of an account in A and B': { client: dual.client, accountId: dual.accountId, roleInA: 'admin', via: 'session' },
  };
});

afterAll(async () => {
  await t?.close();
});

describe('fixture sanity: the ids used below are real and reachable by their own tenant', () => {
  it('B admin reads B; the dual account reads B by session and A by its key; A callers read A', async () => {
    const bOrg = await B.admin.client.get(api(`/orgs/${B.org}`));
    expect(bOrg.body).toMatchObject({ id: B.org, name: 'Bravo Tenant', myRole: 'admin' });
    const bTeam = await B.admin.client.get(api(`/orgs/${B.org}/teams/${B.teams[0]?.id}`));
    expect(bTeam.body).toMatchObject({ name: 'Bravo Secret Team', memberCount: 2 });
    const bInvitations = await B.admin.client.get(api(`/orgs/${B.org}/invitations`));
    expect(bInvitations.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: B.invitation.id, status: 'pending' })]));

    const dualInB = await A.dual.client.get(api(`/orgs/${B.org}`));
    expect(dualInB.body).toMatchObject({ id: B.org, myRole: 'member' });
    const dualTeamInB = await A.dual.client.get(api(`/orgs/${B.org}/teams/${B.teams[0]?.id}`));
    expect(dualTeamInB.status).toBe(200);
    const keyInA = await A.keyClient.get(api(`/orgs/${A.org}`));
    expect(keyInA.body).toMatchObject({ id: A.org, myRole: 'admin' });
    for (const actor of Object.values(actors)) expect((await actor.client.get(api(`/orgs/${A.org}/teams/${A.team.id}`))).status).toBe(200);
  });
});

describe('W7.7 no cross-tenant reads, writes or existence checks', () => {
  it('probes every identity route with ids of B', () => {
    expect(CASES.length).toBeGreaterThan(100);
  });

  for (const { probe, actor } of CASES) {
    it(`[W7.7] ${probe.group} · ${actor}: ${probe.name} answers like a random id`, async () => {
      const who = actors[actor];
      const [wantStatus, wantCode] = probe.expected(who);
      const real = realTargets(probe);
      const random: Targets = { orgId: randomUUID(), accountId: randomUUID(), teamId: randomUUID(), invitationId: randomUUID(), apiKeyId: randomUUID() };
      const control: Targets = { ...real };
      for (const key of probe.uses) control[key] = random[key];
      const write = probe.method !== 'GET';

      const beforeB = write ? await snapshotB() : null;
      const beforeA = write ? await snapshotA() : null;
      const res: TestResponse = await who.client.request(probe.method, probe.url(real, who.accountId), probe.body?.(real));
      const afterB = write ? await snapshotB() : null;
      const afterA = write ? await snapshotA() : null;
      const ctrl: TestResponse = await who.client.request(probe.method, probe.url(control, who.accountId), probe.body?.(control));

      expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: wantStatus, code: wantCode });
      // Existence must not be distinguishable: the B id answers exactly like an id that exists nowhere.
      expect(ctrl.status).toBe(res.status);
      const realIds = probe.uses.map((key) => real[key]);
      const controlIds = probe.uses.map((key) => control[key]);
      expect(normalize(res.body, realIds)).toBe(normalize(ctrl.body, controlIds));
      // No name, email or id of B in the answer (beyond the ids the caller sent itself).
      const text = normalize(res.body, realIds).toLowerCase();
      expect(B.secrets.filter((secret) => text.includes(secret.toLowerCase()))).toEqual([]);
      if (write) {
        expect(afterB).toEqual(beforeB);
        expect(afterA).toEqual(beforeA);
      }
    });
  }
});

describe('W7.7 no existence checks through A-side writes that touch B-shaped values', () => {
  it("B's team names are free in A: no team.name_taken reveals that B has them", async () => {
    const before = await snapshotB();
    const created = await A.member.client.post(api(`/orgs/${A.org}/teams`), { name: 'Bravo Secret Team' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Bravo Secret Team', memberCount: 0 });
    const renamed = await A.member.client.patch(api(`/orgs/${A.org}/teams/${created.body.id}`), { name: 'Bravo Empty Team' });
    expect(renamed.status).toBe(200);
    expect((await A.member.client.delete(api(`/orgs/${A.org}/teams/${created.body.id}`))).status).toBe(204);
    expect(await snapshotB()).toEqual(before);
  });

  it("inviting a B member's email into A answers exactly like inviting an unknown address", async () => {
    const before = await snapshotB();
    const known = await A.admin.client.post(api(`/orgs/${A.org}/invitations`), { email: B.member.email, role: 'member' });
    const unknownEmail = uniqueEmail('nobody');
    const unknown = await A.admin.client.post(api(`/orgs/${A.org}/invitations`), { email: unknownEmail, role: 'member' });
    expect([known.status, unknown.status]).toEqual([201, 201]);
    expect(normalize(known.body, [known.body.id, B.member.email])).toBe(normalize(unknown.body, [unknown.body.id, unknownEmail]));
    for (const id of [known.body.id, unknown.body.id]) expect((await A.admin.client.delete(api(`/orgs/${A.org}/invitations/${id}`))).status).toBe(204);
    expect(await snapshotB()).toEqual(before);
  });
});
