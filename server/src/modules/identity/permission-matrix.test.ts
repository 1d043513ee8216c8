import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, type TestResponse } from '../../test/client';
import { addMember, invite, signUpUser, uniqueEmail, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

/**
 * The identity permission matrix (W7.1 roles and the invite permission, W6.4 invitations, W6.5
 * removal at once, W5.1 teams, W7.7 no existence leak): one table of expected outcomes, one test
 * per cell. Destructive actions build their own fresh target (member, team, invitation) per cell.
 */

const ACTORS = ['admin', 'member', 'inviter', 'guest', 'outsider', 'removed', 'anonymous'] as const;
type Actor = (typeof ACTORS)[number];

/** 'allow', or the denial: a bare status uses the default code for it, a pair names the code. */
type Expect = 'allow' | 401 | 403 | 404 | readonly [403 | 404, string];
const A = 'allow' as const;
const ROLE_NOT_ALLOWED = [403, 'invitation.role_not_allowed'] as const;
const TEAM_NOT_FOUND = [404, 'team.not_found'] as const;

const row = (admin: Expect, member: Expect, inviter: Expect, guest: Expect, outsider: Expect, removed: Expect, anonymous: Expect): Record<Actor, Expect> => ({
  admin,
  member,
  inviter,
  guest,
  outsider,
  removed,
  anonymous,
});

/**
 * THE table. Columns: admin, member, member holding the invite permission, guest, an account of
 * another org, a member removed by an admin, no credentials. Non-members and removed members get
 * 404 `org.not_found` (never 403: the org's existence is not confirmed); anonymous callers get 401.
 */
// prettier-ignore
const MATRIX = {
  //                                  admin member inviter guest           outsider removed anonymous
  'GET org':                      row(A,    A,     A,      A,              404,     404,    401),
  'PATCH org (rename)':           row(A,    403,   403,    403,            404,     404,    401),
  'GET members':                  row(A,    A,     A,      403,            404,     404,    401),
  'PATCH member role':            row(A,    403,   403,    403,            404,     404,    401),
  'PATCH member canInvite':       row(A,    403,   403,    403,            404,     404,    401),
  'DELETE another member':        row(A,    403,   403,    403,            404,     404,    401),
  'GET invitations':              row(A,    403,   A,      403,            404,     404,    401),
  'POST invitation role=member':  row(A,    403,   A,      403,            404,     404,    401),
  'POST invitation role=guest':   row(A,    403,   A,      403,            404,     404,    401),
  'POST invitation role=admin':   row(A,    403,   ROLE_NOT_ALLOWED, 403,  404,     404,    401),
  'DELETE invitation (revoke)':   row(A,    403,   A,      403,            404,     404,    401),
  'GET teams (list)':             row(A,    A,     A,      A,              404,     404,    401),
  'POST team':                    row(A,    A,     A,      403,            404,     404,    401),
  'GET team the actor is not in': row(A,    A,     A,      TEAM_NOT_FOUND, 404,     404,    401),
  'GET team the actor is in':     row(A,    A,     A,      A,              404,     404,    401),
  'PATCH team':                   row(A,    A,     A,      403,            404,     404,    401),
  'DELETE team':                  row(A,    A,     A,      403,            404,     404,    401),
  'GET audit events':             row(A,    403,   403,    403,            404,     404,    401),
} satisfies Record<string, Record<Actor, Expect>>;
type ActionName = keyof typeof MATRIX;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Prepared {
  method: Method;
  url: string;
  body?: unknown;
  /** Strings a denial must not reveal beyond the fixture's own (fresh targets' names, emails). */
  secrets?: string[];
  /** Checks an allowed answer: status, a sanity check of the body, and the effect. */
  allowed: (res: TestResponse, actor: Actor) => Promise<void> | void;
  /** For writes: after a denial, proves that nothing changed. */
  unchanged?: () => Promise<void>;
}
interface ActionSpec {
  spec: string;
  prepare: (actor: Actor) => Promise<Prepared>;
}

const ORG_NAME = 'Matrix Holdings';
const NAMES = {
  admin: 'Ada Matrixadmin',
  member: 'Mona Matrixmember',
  inviter: 'Ivan Matrixinviter',
  guest: 'Gus Matrixguest',
  removed: 'Remy Matrixremoved',
} as const;

interface Fixture {
  orgId: string;
  admin: TestUser;
  member: TestUser;
  inviter: TestUser;
  guest: TestUser;
  removed: TestUser;
  removedApiKey: string;
  outsider: TestUser;
  clients: Record<Actor, TestClient>;
  /** Has admin, member, inviter, guest (and had the removed member). */
  sharedTeam: { id: string; name: string };
  /** Has no members at all. */
  hiddenTeam: { id: string; name: string };
  pendingInvitation: { id: string; email: string };
  /** Names, emails and ids of the org that no denial may contain. */
  secrets: string[];
}

let t: TestApp;
let f: Fixture;

const hex = () => randomBytes(3).toString('hex');
const orgUrl = (suffix = '') => `/api/v1/orgs/${f.orgId}${suffix}`;
const adminGet = async (suffix: string) => {
  const res = await f.admin.client.get(orgUrl(suffix));
  if (res.status !== 200) throw new Error(`admin read of ${suffix} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

interface MemberBody {
  accountId: string;
  email: string;
  name: string;
  role: string;
  canInvite: boolean;
}
interface TeamBody {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  members: { accountId: string; name: string }[];
}
interface InvitationBody {
  id: string;
  email: string;
  role: string;
  status: string;
  invitedBy: { id: string | null; name: string };
}

const adminMembers = async () => (await adminGet('/members')).items as MemberBody[];
const adminTeams = async () => (await adminGet('/teams')).items as TeamBody[];
const adminInvitations = async () => (await adminGet('/invitations')).items as InvitationBody[];

function userOf(actor: Actor): TestUser {
  if (actor === 'outsider' || actor === 'anonymous') throw new Error(`${actor} is not a user of the org`);
  return f[actor];
}

/** A fresh member to act on, so no cell depends on another. */
async function freshVictim(): Promise<TestUser & { name: string }> {
  const name = `Vera Victim${hex()}`;
  return { ...(await addMember(t, f.admin, 'member', { name })), name };
}

async function freshTeam(memberIds: string[]): Promise<TeamBody> {
  const res = await f.admin.client.post(orgUrl('/teams'), { name: `Squad ${hex()}`, description: 'fresh', memberIds });
  if (res.status !== 201) throw new Error(`team creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TeamBody;
}

/** A fresh team holds the actor when they are in the org, so even "their own" team is tested. */
const teamMembersFor = (actor: Actor) =>
  actor === 'admin' || actor === 'member' || actor === 'inviter' || actor === 'guest' ? [f[actor].accountId] : [f.admin.accountId];

const memberOf = async (accountId: string) => (await adminMembers()).find((m) => m.accountId === accountId);

function invitationAction(role: 'member' | 'guest' | 'admin'): ActionSpec {
  return {
    spec: 'W6.4/W7.1',
    async prepare() {
      const email = uniqueEmail(`new-${role}`);
      return {
        method: 'POST',
        url: orgUrl('/invitations'),
        body: { email, role },
        async allowed(res, actor) {
          expect(res.status).toBe(201);
          expect(res.body).toMatchObject({ email, role, status: 'pending', invitedBy: { id: userOf(actor).accountId, name: NAMES[actor as keyof typeof NAMES] } });
          expect((await adminInvitations()).some((i) => i.email === email && i.status === 'pending')).toBe(true);
        },
        async unchanged() {
          expect((await adminInvitations()).some((i) => i.email === email)).toBe(false);
        },
      };
    },
  };
}

const EXPECTED_ORG_VIEW: Partial<Record<Actor, { myRole: string; abilities: Record<string, boolean> }>> = {
  admin: { myRole: 'admin', abilities: { manageOrg: true, viewMembers: true, manageMembers: true, invite: true, manageTeams: true, readAudit: true } },
  member: { myRole: 'member', abilities: { manageOrg: false, viewMembers: true, manageMembers: false, invite: false, manageTeams: true, readAudit: false } },
  inviter: { myRole: 'member', abilities: { manageOrg: false, viewMembers: true, manageMembers: false, invite: true, manageTeams: true, readAudit: false } },
  guest: { myRole: 'guest', abilities: { manageOrg: false, viewMembers: false, manageMembers: false, invite: false, manageTeams: false, readAudit: false } },
};

/** How each action is performed and checked; keyed like MATRIX, so no row goes without one. */
const ACTIONS: Record<ActionName, ActionSpec> = {
  'GET org': {
    spec: 'W7.1',
    prepare: async () => ({
      method: 'GET',
      url: orgUrl(),
      allowed(res, actor) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: f.orgId, name: ORG_NAME, ...EXPECTED_ORG_VIEW[actor] });
      },
    }),
  },

  'PATCH org (rename)': {
    spec: 'W7.1',
    async prepare() {
      const name = `Renamed Holdings ${hex()}`;
      return {
        method: 'PATCH',
        url: orgUrl(),
        body: { name },
        secrets: [name],
        async allowed(res) {
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ id: f.orgId, name });
          expect((await adminGet('')).name).toBe(name);
          const restored = await f.admin.client.patch(orgUrl(), { name: ORG_NAME });
          expect(restored.status).toBe(200);
        },
        async unchanged() {
          expect((await adminGet('')).name).toBe(ORG_NAME);
        },
      };
    },
  },

  'GET audit events': {
    spec: 'W7.6',
    prepare: async () => ({
      method: 'GET',
      url: orgUrl('/audit-events?action=team.created'),
      allowed(res) {
        expect(res.status).toBe(200);
        const names = (res.body.items as { details: { name?: string } | null }[]).map((e) => e.details?.name);
        expect(names).toEqual(expect.arrayContaining(['Hidden Squadron Omega', 'Shared Squadron Zeta']));
      },
    }),
  },

  'GET members': {
    spec: 'W7.1',
    prepare: async () => ({
      method: 'GET',
      url: orgUrl('/members'),
      allowed(res) {
        expect(res.status).toBe(200);
        const items = res.body.items as MemberBody[];
        const byEmail = new Map(items.map((m) => [m.email, m]));
        expect(byEmail.get(f.admin.email)).toMatchObject({ name: NAMES.admin, role: 'admin' });
        expect(byEmail.get(f.member.email)).toMatchObject({ name: NAMES.member, role: 'member', canInvite: false });
        expect(byEmail.get(f.inviter.email)).toMatchObject({ name: NAMES.inviter, role: 'member', canInvite: true });
        expect(byEmail.get(f.guest.email)).toMatchObject({ name: NAMES.guest, role: 'guest' });
        expect(byEmail.has(f.removed.email)).toBe(false);
        expect(byEmail.has(f.outsider.email)).toBe(false);
      },
    }),
  },

  'PATCH member role': {
    spec: 'W7.1',
    async prepare() {
      const victim = await freshVictim();
      return {
        method: 'PATCH',
        url: orgUrl(`/members/${victim.accountId}`),
        body: { role: 'guest' },
        secrets: [victim.email, victim.name, victim.accountId],
        async allowed(res) {
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ accountId: victim.accountId, role: 'guest', canInvite: false });
          expect(await memberOf(victim.accountId)).toMatchObject({ role: 'guest' });
        },
        async unchanged() {
          expect(await memberOf(victim.accountId)).toMatchObject({ role: 'member', canInvite: false });
        },
      };
    },
  },

  'PATCH member canInvite': {
    spec: 'W7.1',
    async prepare() {
      const victim = await freshVictim();
      return {
        method: 'PATCH',
        url: orgUrl(`/members/${victim.accountId}`),
        body: { canInvite: true },
        secrets: [victim.email, victim.name, victim.accountId],
        async allowed(res) {
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ accountId: victim.accountId, role: 'member', canInvite: true });
          expect(await memberOf(victim.accountId)).toMatchObject({ canInvite: true });
        },
        async unchanged() {
          expect(await memberOf(victim.accountId)).toMatchObject({ role: 'member', canInvite: false });
        },
      };
    },
  },

  'DELETE another member': {
    spec: 'W7.1/W6.5',
    async prepare() {
      const victim = await freshVictim();
      return {
        method: 'DELETE',
        url: orgUrl(`/members/${victim.accountId}`),
        secrets: [victim.email, victim.name, victim.accountId],
        async allowed(res) {
          expect(res.status).toBe(204);
          expect(await memberOf(victim.accountId)).toBeUndefined();
          // W6.5: the victim's still-valid session no longer opens the org, at once.
          const after = await victim.client.get(orgUrl());
          expect(after.status).toBe(404);
          expect(after.body.error.code).toBe('org.not_found');
        },
        async unchanged() {
          expect(await memberOf(victim.accountId)).toMatchObject({ role: 'member' });
          expect((await victim.client.get(orgUrl())).status).toBe(200);
        },
      };
    },
  },

  'GET invitations': {
    spec: 'W6.4',
    prepare: async () => ({
      method: 'GET',
      url: orgUrl('/invitations'),
      allowed(res) {
        expect(res.status).toBe(200);
        const items = res.body.items as InvitationBody[];
        expect(items.find((i) => i.id === f.pendingInvitation.id)).toMatchObject({
          email: f.pendingInvitation.email,
          role: 'member',
          status: 'pending',
          invitedBy: { id: f.admin.accountId, name: NAMES.admin },
        });
      },
    }),
  },

  'POST invitation role=member': invitationAction('member'),
  'POST invitation role=guest': invitationAction('guest'),
  'POST invitation role=admin': invitationAction('admin'),

  'DELETE invitation (revoke)': {
    spec: 'W6.4',
    async prepare() {
      const invitation = await invite(t, f.admin, 'member');
      const statusOf = async () => (await adminInvitations()).find((i) => i.id === invitation.invitationId)?.status;
      return {
        method: 'DELETE',
        url: orgUrl(`/invitations/${invitation.invitationId}`),
        secrets: [invitation.email],
        async allowed(res) {
          expect(res.status).toBe(204);
          expect(await statusOf()).toBe('revoked');
          expect((await new TestClient(t.app).get(`/api/v1/invitations/${encodeURIComponent(invitation.token)}`)).status).toBe(404);
        },
        async unchanged() {
          expect(await statusOf()).toBe('pending');
        },
      };
    },
  },

  'GET teams (list)': {
    spec: 'W5.1/W7.1',
    prepare: async () => ({
      method: 'GET',
      url: orgUrl('/teams'),
      async allowed(res, actor) {
        expect(res.status).toBe(200);
        const ids = (res.body.items as TeamBody[]).map((team) => team.id).sort();
        const all = await adminTeams();
        if (actor === 'guest') {
          // Guests see exactly the teams they are in: the shared one, never the hidden one.
          const theirs = all.filter((team) => team.members.some((m) => m.accountId === f.guest.accountId)).map((team) => team.id);
          expect(ids).toEqual(theirs.sort());
          expect(ids).toContain(f.sharedTeam.id);
          expect(ids).not.toContain(f.hiddenTeam.id);
          expect(ids.length).toBeLessThan(all.length);
          expect(JSON.stringify(res.body)).not.toContain(f.hiddenTeam.name);
        } else {
          expect(ids).toEqual(all.map((team) => team.id).sort());
          expect(ids).toEqual(expect.arrayContaining([f.sharedTeam.id, f.hiddenTeam.id]));
        }
      },
    }),
  },

  'POST team': {
    spec: 'W5.1',
    async prepare() {
      const name = `New Squad ${hex()}`;
      return {
        method: 'POST',
        url: orgUrl('/teams'),
        body: { name, description: 'made in the matrix', memberIds: [f.member.accountId, f.guest.accountId] },
        secrets: [name],
        async allowed(res) {
          expect(res.status).toBe(201);
          expect(res.body).toMatchObject({ name, description: 'made in the matrix', memberCount: 2 });
          expect((res.body as TeamBody).members.map((m) => m.accountId).sort()).toEqual([f.member.accountId, f.guest.accountId].sort());
          expect((await adminTeams()).some((team) => team.name === name)).toBe(true);
        },
        async unchanged() {
          expect((await adminTeams()).some((team) => team.name === name)).toBe(false);
        },
      };
    },
  },

  'GET team the actor is not in': {
    spec: 'W5.1/W7.7',
    prepare: async () => ({
      method: 'GET',
      url: orgUrl(`/teams/${f.hiddenTeam.id}`),
      allowed(res) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: f.hiddenTeam.id, name: f.hiddenTeam.name, memberCount: 0, members: [] });
      },
    }),
  },

  'GET team the actor is in': {
    spec: 'W5.1/W6.5',
    prepare: async () => ({
      method: 'GET',
      url: orgUrl(`/teams/${f.sharedTeam.id}`),
      allowed(res, actor) {
        expect(res.status).toBe(200);
        const team = res.body as TeamBody;
        expect(team).toMatchObject({ id: f.sharedTeam.id, name: f.sharedTeam.name, memberCount: 4 });
        const ids = team.members.map((m) => m.accountId);
        expect(ids).toContain(userOf(actor).accountId);
        expect(ids).not.toContain(f.removed.accountId);
      },
    }),
  },

  'PATCH team': {
    spec: 'W5.1',
    async prepare(actor) {
      const team = await freshTeam(teamMembersFor(actor));
      const name = `Renamed Squad ${hex()}`;
      return {
        method: 'PATCH',
        url: orgUrl(`/teams/${team.id}`),
        body: { name, description: 'changed', memberIds: [f.member.accountId] },
        secrets: [team.name, name],
        async allowed(res) {
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ id: team.id, name, description: 'changed', memberCount: 1, members: [{ accountId: f.member.accountId, name: NAMES.member }] });
          expect(await adminGet(`/teams/${team.id}`)).toMatchObject({ name, memberCount: 1 });
        },
        async unchanged() {
          expect(await adminGet(`/teams/${team.id}`)).toEqual(team);
        },
      };
    },
  },

  'DELETE team': {
    spec: 'W5.1',
    async prepare(actor) {
      const team = await freshTeam(teamMembersFor(actor));
      return {
        method: 'DELETE',
        url: orgUrl(`/teams/${team.id}`),
        secrets: [team.name],
        async allowed(res) {
          expect(res.status).toBe(204);
          const after = await f.admin.client.get(orgUrl(`/teams/${team.id}`));
          expect(after.status).toBe(404);
          expect(after.body.error.code).toBe('team.not_found');
        },
        async unchanged() {
          expect(await adminGet(`/teams/${team.id}`)).toEqual(team);
        },
      };
    },
  },
};

const DEFAULT_CODE = { 401: 'auth.unauthenticated', 403: 'auth.forbidden', 404: 'org.not_found' } as const;

function expectDenied(res: TestResponse, expected: Exclude<Expect, 'allow'>, secrets: readonly string[]): void {
  const [status, code] = typeof expected === 'number' ? [expected, DEFAULT_CODE[expected]] : expected;
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(res.body)).toEqual(['error']);
  const text = JSON.stringify(res.body).toLowerCase();
  const leaked = secrets.filter((secret) => text.includes(secret.toLowerCase()));
  expect(leaked, 'the denial must not reveal org data').toEqual([]);
}

const label = (expected: Expect) => (expected === 'allow' ? 'allow' : typeof expected === 'number' ? String(expected) : expected.join(' '));

const CASES = (Object.keys(MATRIX) as ActionName[]).flatMap((action) =>
  ACTORS.map((actor) => ({ action, actor, expected: MATRIX[action][actor], spec: ACTIONS[action].spec })),
);

beforeAll(async () => {
  t = await buildTestApp();
  const admin = await signUpUser(t, { name: NAMES.admin, orgName: ORG_NAME });
  const member = await addMember(t, admin, 'member', { name: NAMES.member });
  const inviter = await addMember(t, admin, 'member', { name: NAMES.inviter, canInvite: true });
  const guest = await addMember(t, admin, 'guest', { name: NAMES.guest });
  const removed = await addMember(t, admin, 'member', { name: NAMES.removed });
  const outsider = await signUpUser(t, { name: 'Olga Outsider', orgName: 'Elsewhere Inc' });

  const post = async (suffix: string, body: unknown) => {
    const res = await admin.client.post(`/api/v1/orgs/${admin.orgId}${suffix}`, body);
    if (res.status !== 201) throw new Error(`fixture ${suffix} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string };
  };
  const sharedTeam = await post('/teams', {
    name: 'Shared Squadron Zeta',
    memberIds: [admin.accountId, member.accountId, inviter.accountId, guest.accountId, removed.accountId],
  });
  const hiddenTeam = await post('/teams', { name: 'Hidden Squadron Omega', memberIds: [] });
  const pending = await invite(t, admin, 'member');

  // The removed member had an API key for the org; removal must delete it (W6.5).
  const key = await removed.client.post('/api/v1/me/api-keys', { name: 'soon gone', orgId: admin.orgId });
  if (key.status !== 201) throw new Error(`api key failed: ${key.status}`);
  const removal = await admin.client.delete(`/api/v1/orgs/${admin.orgId}/members/${removed.accountId}`);
  if (removal.status !== 204) throw new Error(`removal failed: ${removal.status}`);

  f = {
    orgId: admin.orgId,
    admin,
    member,
    inviter,
    guest,
    removed,
    removedApiKey: key.body.secret as string,
    outsider,
    clients: {
      admin: admin.client,
      member: member.client,
      inviter: inviter.client,
      guest: guest.client,
      outsider: outsider.client,
      removed: removed.client,
      anonymous: new TestClient(t.app),
    },
    sharedTeam: { id: sharedTeam.id, name: sharedTeam.name },
    hiddenTeam: { id: hiddenTeam.id, name: hiddenTeam.name },
    pendingInvitation: { id: pending.invitationId, email: pending.email },
    secrets: [
      ORG_NAME,
      admin.orgId,
      ...Object.values(NAMES),
      ...[admin, member, inviter, guest, removed].flatMap((u) => [u.email, u.accountId]),
      sharedTeam.name,
      sharedTeam.id,
      hiddenTeam.name,
      hiddenTeam.id,
      pending.email,
      pending.invitationId,
    ],
  };
});

afterAll(async () => {
  await t?.close();
});

describe('identity permission matrix (W7.1, W7.6, W6.4, W6.5, W5.1, W7.7)', () => {
  it('covers every action for every actor', () => {
    expect(CASES).toHaveLength(Object.keys(MATRIX).length * ACTORS.length);
  });

  for (const { action, actor, expected, spec } of CASES) {
    it(`[${spec}] ${action} · ${actor} → ${label(expected)}`, async () => {
      const prepared = await ACTIONS[action].prepare(actor);
      const res = await f.clients[actor].request(prepared.method, prepared.url, prepared.body);
      if (expected === 'allow') {
        await prepared.allowed(res, actor);
        return;
      }
      expectDenied(res, expected, [...f.secrets, ...(prepared.secrets ?? [])]);
      await prepared.unchanged?.();
    });
  }
});

describe('removal takes effect at once (W6.5)', () => {
  it('the removed member keeps their account but loses the org, its teams and its API keys', async () => {
    const me = await f.removed.client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect((me.body.orgs as { id: string }[]).map((o) => o.id)).not.toContain(f.orgId);

    const keyClient = new TestClient(t.app);
    keyClient.apiKey = f.removedApiKey;
    const viaKey = await keyClient.get(orgUrl());
    expect(viaKey.status).toBe(401);
    expect(viaKey.body.error.code).toBe('auth.invalid_api_key');

    const shared = (await adminGet(`/teams/${f.sharedTeam.id}`)) as TeamBody;
    expect(shared.members.map((m) => m.accountId)).not.toContain(f.removed.accountId);
  });
});
