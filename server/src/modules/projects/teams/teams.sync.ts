import type { Kysely } from 'kysely';
import { TEAM_CHANGED_EVENT, type OrgTeam } from '../../identity';
import { isClassicAccount } from '../classic/classic.db';
import type { ProjectsDb } from '../projects.db';
import { createSpacesRepository } from '../spaces.repository';
import type { Caller, ProjectsDeps } from '../spaces.service';
import type { SpaceTeamRow } from './teams.db';
import { createTeamsRepository } from './teams.repository';

/**
 * An organization's teams live in identity (one source of truth). This space numbers them for Backlog
 * clients and mirrors their members in space-user numbers (`space_team_members`), because project
 * membership through teams (W5.2) must resolve inside the projects store's SQL: project lists, issue
 * visibility, assignee and notification choices all ask "is user N a member of project P?".
 *
 * The mirror follows identity three ways:
 * 1. every Backlog request re-reads the caller's own teams from identity (`refreshCallerTeams`), so
 *    access decisions about the caller never rest on a stale copy: leaving a team ends access at once;
 * 2. every read of teams through `/api/v2` re-mirrors the teams it read (`adoptIdentityTeams`), and so
 *    does the project's user list (`refreshProjectTeams`);
 * 3. identity's `identity.team.changed` and `identity.member.removed` events re-mirror other users
 *    (choice lists, notifications) when teams change elsewhere (`/api/v1`, SCIM, SSO).
 */

export interface AdoptedTeams {
  /** identity team id → its numbered row here. */
  readonly rows: Map<string, SpaceTeamRow>;
  /** account id → space-user number, for the members and creators of the adopted teams. */
  readonly userIds: Map<string, number>;
}

const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id, i) => id === b[i]);

/** Space-user numbers of accounts, numbering the ones this space has never seen (like `spaceUserIdOf`). */
async function spaceUserIds(db: Kysely<ProjectsDb>, orgId: string, accountIds: readonly string[], at: string): Promise<Map<string, number>> {
  const wanted = new Set(accountIds);
  if (wanted.size === 0) return new Map();
  const repo = createSpacesRepository(db);
  const pick = async () => (await repo.listUsers(orgId)).filter((row) => wanted.has(row.account_id));
  let rows = await pick();
  if (rows.length < wanted.size) {
    const known = new Set(rows.map((row) => row.account_id));
    for (const accountId of wanted) if (!known.has(accountId)) await repo.insertUser(orgId, accountId, at);
    rows = await pick();
  }
  return new Map(rows.map((row) => [row.account_id, row.id]));
}

/** Identity teams as this space knows them: numbered on first sight, members mirrored (written only on a difference). */
export async function adoptIdentityTeams(deps: ProjectsDeps, db: Kysely<ProjectsDb>, orgId: string, teams: readonly OrgTeam[]): Promise<AdoptedTeams> {
  const at = deps.kernel.clock.now().toISOString();
  const repo = createTeamsRepository(db);
  const rows = await repo.ensureIdentityTeams(orgId, teams.map((team) => team.id), at);
  const byIdentity = new Map(rows.map((row) => [row.identity_team_id ?? '', row]));
  const userIds = await spaceUserIds(db, orgId, teams.flatMap((team) => [...team.memberIds, ...(team.createdBy ? [team.createdBy] : [])]), at);
  const mirrored = await repo.listMembers(orgId, rows.map((row) => row.id));
  for (const team of teams) {
    const row = byIdentity.get(team.id);
    if (!row) continue;
    const want = team.memberIds.flatMap((accountId) => userIds.get(accountId) ?? []).sort((a, b) => a - b);
    const have = mirrored.filter((m) => m.team_id === row.id).map((m) => m.user_id);
    if (!sameIds(want, have)) await db.transaction().execute((trx) => createTeamsRepository(trx).replaceMembers(orgId, row.id, want));
  }
  return { rows: byIdentity, userIds };
}

/** (1) above: the caller's own identity teams, mirrored before the request's access checks run. */
export async function refreshCallerTeams(deps: ProjectsDeps, caller: Caller): Promise<void> {
  const accountId = caller.access.account.id;
  // Space-local users of a classic space are in classic teams only, which live here already.
  if (isClassicAccount(accountId)) return;
  const repo = createTeamsRepository(caller.db);
  const [identityTeamIds, mirrored] = await Promise.all([
    deps.identity.teams.teamIdsOfAccount(caller.orgId, accountId),
    repo.listIdentityMembershipsOf(caller.orgId, caller.userId),
  ]);
  const current = new Set(identityTeamIds);
  for (const row of mirrored) if (!current.has(row.identity_team_id ?? '')) await repo.removeMember(caller.orgId, row.id, caller.userId);
  const mirroredIds = new Set(mirrored.map((row) => row.identity_team_id));
  const missing = identityTeamIds.filter((id) => !mirroredIds.has(id));
  if (missing.length === 0) return;
  for (const row of await repo.ensureIdentityTeams(caller.orgId, missing, deps.kernel.clock.now().toISOString())) {
    await repo.addMember(caller.orgId, row.id, caller.userId);
  }
}

/**
 * The store holding an org's space, among the projects stores this process has open (events carry only
 * the org id). A store not open yet is not opened for an event: reads re-mirror what they show (2 above).
 */
async function spaceStoreOf(deps: ProjectsDeps, orgId: string): Promise<Kysely<ProjectsDb> | null> {
  for (const store of deps.kernel.stores.list().filter((s) => s.module === 'projects')) {
    const db = store.db as Kysely<ProjectsDb>;
    if (await createSpacesRepository(db).findSpace(orgId)) return db;
  }
  return null;
}

/** (3) above: subscribes once per app to identity's team and membership events. */
export function followIdentityTeams(deps: ProjectsDeps): void {
  deps.kernel.events.on(TEAM_CHANGED_EVENT, async (event) => {
    const teamId = event.payload.teamId;
    if (!event.orgId || typeof teamId !== 'string') return;
    const db = await spaceStoreOf(deps, event.orgId);
    if (!db) return;
    const team = await deps.identity.teams.get(event.orgId, teamId);
    if (team) await adoptIdentityTeams(deps, db, event.orgId, [team]);
    else await createTeamsRepository(db).deleteByIdentityId(event.orgId, teamId);
  });
  // Identity takes a removed member out of every team; the mirror follows.
  deps.kernel.events.on('identity.member.removed', async (event) => {
    const accountId = event.payload.accountId;
    if (!event.orgId || typeof accountId !== 'string') return;
    const db = await spaceStoreOf(deps, event.orgId);
    const user = db ? await createSpacesRepository(db).findUserByAccount(event.orgId, accountId) : undefined;
    if (!db || !user) return;
    const repo = createTeamsRepository(db);
    for (const row of await repo.listIdentityMembershipsOf(event.orgId, user.id)) await repo.removeMember(event.orgId, row.id, user.id);
  });
}
