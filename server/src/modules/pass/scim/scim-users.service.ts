import type { ManagedAccount } from '../../identity';
import { scimBad, scimNotFound, ScimError } from './scim-errors';
import type { ScimCaller, ScimDeps } from './scim.deps';
import { applyPatch, patchOperations } from './scim-patch-ops';
import { listResponse, type ListQuery } from './scim-query';
import { ENTERPRISE_SCHEMA, parseUser, presentUser, roleFrom, type UserInput } from './scim-user-mapping';

type Json = Record<string, unknown>;

/** SCIM Users ↔ the org's managed accounts (W8.3). Identity audits every change with actor kind `scim`. */
async function present(deps: ScimDeps, account: ManagedAccount): Promise<Json> {
  const kept = await deps.repo.findResource(account.orgId, 'User', account.id);
  return presentUser(account, kept?.attributes ?? null, deps.baseUrl);
}

async function loadAccount(deps: ScimDeps, orgId: string, id: string): Promise<ManagedAccount> {
  // Another org's id answers exactly like a random one (W7.7): `get` is scoped by org.
  const account = await deps.identity.managedAccounts.get(orgId, id);
  if (!account) throw scimNotFound(`User ${id.slice(0, 64)} not found.`);
  return account;
}

async function keep(deps: ScimDeps, account: ManagedAccount, input: UserInput) {
  await deps.repo.saveResource({
    org_id: account.orgId,
    resource_type: 'User',
    resource_id: account.id,
    external_id: account.externalId,
    attributes: input.extraJson,
    updated_at: deps.kernel.clock.now().toISOString(),
  });
}

/** userName is unique per org, compared case-insensitively (caseExact=false). */
async function assertUserNameFree(deps: ScimDeps, orgId: string, input: UserInput, exceptId: string | null) {
  const clash = await deps.identity.managedAccounts.findByEmail(orgId, input.email);
  if (clash && clash.id !== exceptId) throw new ScimError(409, 'A user with this userName already exists.', 'uniqueness');
}

export async function getUser(deps: ScimDeps, caller: ScimCaller, id: string): Promise<Json> {
  return present(deps, await loadAccount(deps, caller.orgId, id));
}

const EMAIL_SHAPED = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The lookups IdPs send before every create (`userName eq "…"`, `externalId eq "…"`) answer from one
 * indexed row instead of the whole org. A userName that is an address is always the account's address.
 */
async function directLookup(deps: ScimDeps, orgId: string, query: ListQuery): Promise<ManagedAccount[] | null> {
  const f = query.filter;
  if (!f || f.op !== 'eq' || !('compValue' in f) || typeof f.compValue !== 'string') return null;
  const attr = f.attrPath.toLowerCase();
  if (attr === 'username' && EMAIL_SHAPED.test(f.compValue)) {
    const found = await deps.identity.managedAccounts.findByEmail(orgId, f.compValue);
    return found ? [found] : [];
  }
  if (attr === 'externalid') {
    const found = await deps.identity.managedAccounts.findByExternalId(orgId, f.compValue);
    return found ? [found] : [];
  }
  return null;
}

export async function listUsers(deps: ScimDeps, caller: ScimCaller, query: ListQuery) {
  const direct = await directLookup(deps, caller.orgId, query);
  const [accounts, kept] = await Promise.all([
    direct ?? deps.identity.managedAccounts.list(caller.orgId),
    direct ? Promise.all(direct.map((a) => deps.repo.findResource(caller.orgId, 'User', a.id))).then((rows) => rows.filter((r) => r !== undefined)) : deps.repo.listResources(caller.orgId, 'User'),
  ]);
  const extras = new Map(kept.map((r) => [r.resource_id, r.attributes]));
  const sorted = [...accounts].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return listResponse(sorted.map((a) => presentUser(a, extras.get(a.id) ?? null, deps.baseUrl)), query);
}

/**
 * Everything is validated (shape, depth, size, uniqueness) before the first write. The account lives in
 * identity's store and the kept attributes in pass's, so no transaction spans both: if keeping them
 * still fails, the new account is deleted again, so that the IdP's retry does not meet a 409.
 */
export async function createUser(deps: ScimDeps, caller: ScimCaller, body: unknown): Promise<Json> {
  const input = parseUser(body);
  await assertUserNameFree(deps, caller.orgId, input, null);
  if (input.externalId && (await deps.identity.managedAccounts.findByExternalId(caller.orgId, input.externalId))) {
    throw new ScimError(409, 'A user with this externalId already exists.', 'uniqueness');
  }
  const account = await deps.identity.managedAccounts.create(
    caller.orgId,
    { email: input.email, name: input.name, role: input.role ?? 'member', externalId: input.externalId ?? null, active: input.active ?? true },
    caller.actor,
  );
  try {
    await keep(deps, account, input);
  } catch (error) {
    await deps.identity.managedAccounts.delete(caller.orgId, account.id, caller.actor);
    throw error;
  }
  return present(deps, account);
}

async function apply(deps: ScimDeps, caller: ScimCaller, current: ManagedAccount, input: UserInput): Promise<Json> {
  await assertUserNameFree(deps, caller.orgId, input, current.id);
  const updated = await deps.identity.managedAccounts.update(
    caller.orgId,
    current.id,
    {
      email: input.email,
      name: input.name,
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
    },
    caller.actor,
  );
  await keep(deps, updated, input);
  return present(deps, updated);
}

/**
 * PUT replaces the resource. Attributes Toride owns (`active`, `roles`, `externalId`) keep their value
 * when the body leaves them out, so a client that never sends roles cannot demote an admin by accident.
 */
export async function replaceUser(deps: ScimDeps, caller: ScimCaller, id: string, body: unknown): Promise<Json> {
  const current = await loadAccount(deps, caller.orgId, id);
  const input = parseUser(body);
  return apply(deps, caller, current, input);
}

/** The role a PATCH asked for: a role entry it added or changed wins over the ones already there. */
function patchedRole(before: unknown, after: unknown): UserInput['role'] {
  const old = new Set((Array.isArray(before) ? before : []).map((r) => JSON.stringify(r)));
  const list = Array.isArray(after) ? after : after === undefined || after === null ? [] : [after];
  // Entra's "AppRoleAssignmentsComplex" mapping sends each role as a JSON string in `value`.
  const unwrap = (r: unknown) => {
    const value = r && typeof r === 'object' ? (r as Json).value : r;
    if (typeof value === 'string' && value.trim().startsWith('{')) {
      try {
        return { ...(r as Json), value: (JSON.parse(value) as Json).value };
      } catch {
        throw scimBad('invalidValue', 'roles value is not valid JSON.');
      }
    }
    return r;
  };
  const fresh = list.filter((r) => !old.has(JSON.stringify(r))).map(unwrap);
  if (fresh.length > 0) return roleFrom(fresh);
  return list.length > 0 ? roleFrom(list.map(unwrap)) : undefined;
}

export async function patchUser(deps: ScimDeps, caller: ScimCaller, id: string, body: unknown): Promise<Json> {
  const ops = patchOperations(body);
  const current = await loadAccount(deps, caller.orgId, id);
  const before = await present(deps, current);
  const after = applyPatch(before, ops, [ENTERPRISE_SCHEMA]);
  if (after.id !== before.id) throw scimBad('mutability', 'id cannot be changed.');
  const input = parseUser({ ...after, roles: undefined });
  input.role = patchedRole(before.roles, after.roles);
  // A removed `active` or `externalId` means: inactive / no external id.
  if (!('active' in after)) input.active = false;
  if (!('externalId' in after)) input.externalId = null;
  return apply(deps, caller, current, input);
}

/** W4.5: deletion purges the account's personal data at once (identity), and our kept attributes. */
export async function deleteUser(deps: ScimDeps, caller: ScimCaller, id: string): Promise<void> {
  await loadAccount(deps, caller.orgId, id);
  await deps.identity.managedAccounts.delete(caller.orgId, id, caller.actor);
  await deps.repo.deleteResource(caller.orgId, 'User', id);
}
