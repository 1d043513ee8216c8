import type { FastifyRequest } from 'fastify';
import type { ScimPatchOperation } from 'scim-patch';
import { scimBad, scimNotFound } from './scim-errors';
import { auditScim, type ScimCaller, type ScimDeps } from './scim.deps';
import { applyPatch, patchOperations } from './scim-patch-ops';
import { listResponse, type ListQuery } from './scim-query';
import { etagOf, GROUP_SCHEMA } from './scim-user-mapping';
import { assertShallow } from './scim-values';

type Json = Record<string, unknown>;
interface Team {
  id: string;
  orgId: string;
  name: string;
  memberIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** SCIM Groups ↔ Toride teams (W5.1): displayName is the team name, members are account ids. */
function presentGroup(deps: ScimDeps, team: Team, externalId: string | null, names: Map<string, string | null>): Json {
  return {
    schemas: [GROUP_SCHEMA],
    id: team.id,
    ...(externalId ? { externalId } : {}),
    displayName: team.name,
    members: team.memberIds.map((id) => ({ value: id, display: names.get(id) ?? undefined, $ref: `${deps.baseUrl}/Users/${id}` })),
    meta: {
      resourceType: 'Group',
      created: team.createdAt,
      lastModified: team.updatedAt,
      location: `${deps.baseUrl}/Groups/${team.id}`,
      version: etagOf(team.updatedAt, `${externalId ?? ''}|${team.memberIds.join(',')}`),
    },
  };
}

async function memberNames(deps: ScimDeps, orgId: string) {
  return new Map((await deps.identity.listOrgMembers(orgId)).map((m) => [m.accountId, m.name]));
}

async function presentOne(deps: ScimDeps, team: Team): Promise<Json> {
  const kept = await deps.repo.findResource(team.orgId, 'Group', team.id);
  return presentGroup(deps, team, kept?.external_id ?? null, await memberNames(deps, team.orgId));
}

async function loadTeam(deps: ScimDeps, orgId: string, id: string): Promise<Team> {
  const team = await deps.identity.teams.get(orgId, id);
  if (!team) throw scimNotFound(`Group ${id.slice(0, 64)} not found.`);
  return team;
}

interface GroupInput {
  displayName: string;
  externalId: string | null | undefined;
  memberIds: string[] | undefined;
}

function parseGroup(body: unknown): GroupInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw scimBad('invalidSyntax', 'The body must be a SCIM Group object.');
  const g = body as Json;
  assertShallow(g, 'The Group');
  if (g.schemas !== undefined && (!Array.isArray(g.schemas) || !g.schemas.includes(GROUP_SCHEMA))) throw scimBad('invalidSyntax', `schemas must include ${GROUP_SCHEMA}.`);
  const name = typeof g.displayName === 'string' ? g.displayName.trim() : '';
  if (name.length < 1 || name.length > 100) throw scimBad('invalidValue', 'displayName must be 1 to 100 characters.');
  if (g.externalId !== undefined && g.externalId !== null && typeof g.externalId !== 'string') throw scimBad('invalidValue', 'externalId must be a string.');
  let memberIds: string[] | undefined;
  if (g.members !== undefined && g.members !== null) {
    if (!Array.isArray(g.members)) throw scimBad('invalidValue', 'members must be an array.');
    memberIds = g.members.map((m: unknown) => {
      const value = m && typeof m === 'object' ? (m as Json).value : undefined;
      if (typeof value !== 'string' || value === '') throw scimBad('invalidValue', 'Each member needs a value (a User id).');
      return value;
    });
  }
  return { displayName: name, externalId: g.externalId as string | null | undefined, memberIds };
}

async function keep(deps: ScimDeps, orgId: string, teamId: string, externalId: string | null) {
  await deps.repo.saveResource({ org_id: orgId, resource_type: 'Group', resource_id: teamId, external_id: externalId, attributes: '{}', updated_at: deps.kernel.clock.now().toISOString() });
}

/** A team member must be a member of the org; anything else (another org's user, a typo) is invalidValue. */
function memberError(error: unknown): never {
  if (error instanceof Error && 'code' in error && (error as { code: string }).code === 'team.not_org_members') {
    throw scimBad('invalidValue', 'Some members are not users of this organization.');
  }
  throw error;
}

export async function listGroups(deps: ScimDeps, caller: ScimCaller, query: ListQuery) {
  const [teams, kept, names] = await Promise.all([deps.identity.teams.list(caller.orgId), deps.repo.listResources(caller.orgId, 'Group'), memberNames(deps, caller.orgId)]);
  const ext = new Map(kept.map((r) => [r.resource_id, r.external_id]));
  const sorted = [...teams].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return listResponse(sorted.map((t) => presentGroup(deps, t, ext.get(t.id) ?? null, names)), query);
}

export async function getGroup(deps: ScimDeps, caller: ScimCaller, id: string) {
  return presentOne(deps, await loadTeam(deps, caller.orgId, id));
}

export async function createGroup(deps: ScimDeps, request: FastifyRequest, caller: ScimCaller, body: unknown) {
  const input = parseGroup(body);
  const team = await deps.identity.teams.create(caller.orgId, { name: input.displayName, memberIds: input.memberIds ?? [] }).catch(memberError);
  await keep(deps, caller.orgId, team.id, input.externalId ?? null);
  await auditScim(deps, request, caller, { action: 'team.created', target: { type: 'team', id: team.id }, details: { name: team.name, memberIds: team.memberIds } });
  return presentOne(deps, team);
}

async function apply(deps: ScimDeps, request: FastifyRequest, caller: ScimCaller, current: Team, input: GroupInput, keptExternalId: string | null) {
  const team = await deps.identity.teams
    .update(caller.orgId, current.id, { name: input.displayName, ...(input.memberIds ? { memberIds: input.memberIds } : {}) })
    .catch(memberError);
  const externalId = input.externalId === undefined ? keptExternalId : input.externalId;
  await keep(deps, caller.orgId, team.id, externalId);
  await auditScim(deps, request, caller, {
    action: 'team.updated',
    target: { type: 'team', id: team.id },
    details: { name: team.name, memberIds: team.memberIds, previousMemberIds: current.memberIds },
  });
  return presentOne(deps, team);
}

export async function replaceGroup(deps: ScimDeps, request: FastifyRequest, caller: ScimCaller, id: string, body: unknown) {
  const current = await loadTeam(deps, caller.orgId, id);
  const kept = await deps.repo.findResource(caller.orgId, 'Group', id);
  const input = parseGroup(body);
  return apply(deps, request, caller, current, { ...input, memberIds: input.memberIds ?? [] }, kept?.external_id ?? null);
}

/**
 * Entra (without `aadOptscim062020`) removes members with `{"op":"Remove","path":"members","value":[{"value":id}]}`;
 * scim-patch removes only whole equal objects, so each becomes `members[value eq "id"]`.
 */
function expandMemberRemovals(ops: ScimPatchOperation[]): ScimPatchOperation[] {
  return ops.flatMap((op) => {
    if (op.op !== 'remove' || op.path?.toLowerCase() !== 'members' || !Array.isArray(op.value)) return [op];
    return op.value.map((m: unknown) => {
      const value = m && typeof m === 'object' ? (m as Json).value : undefined;
      if (typeof value !== 'string' || !/^[\w.@:-]{1,128}$/.test(value)) throw scimBad('invalidValue', 'Each member to remove needs a value (a User id).');
      return { op: 'remove', path: `members[value eq "${value}"]` } as ScimPatchOperation;
    });
  });
}

/** Member add / remove (`members[value eq "…"]` or a value list) and displayName replace. */
export async function patchGroup(deps: ScimDeps, request: FastifyRequest, caller: ScimCaller, id: string, body: unknown) {
  const ops = expandMemberRemovals(patchOperations(body));
  const current = await loadTeam(deps, caller.orgId, id);
  const before = await presentOne(deps, current);
  const after = applyPatch(before, ops);
  if (after.id !== before.id) throw scimBad('mutability', 'id cannot be changed.');
  const input = parseGroup({ ...after, members: after.members ?? [] });
  input.memberIds = [...new Set(input.memberIds ?? [])];
  const kept = await deps.repo.findResource(caller.orgId, 'Group', id);
  return apply(deps, request, caller, current, { ...input, externalId: 'externalId' in after ? input.externalId : null }, kept?.external_id ?? null);
}

export async function deleteGroup(deps: ScimDeps, request: FastifyRequest, caller: ScimCaller, id: string) {
  const team = await loadTeam(deps, caller.orgId, id);
  await deps.identity.teams.delete(caller.orgId, id);
  await deps.repo.deleteResource(caller.orgId, 'Group', id);
  await auditScim(deps, request, caller, { action: 'team.deleted', target: { type: 'team', id }, details: { name: team.name } });
}

