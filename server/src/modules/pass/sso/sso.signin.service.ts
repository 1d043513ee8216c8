import type { FastifyReply } from 'fastify';
import type { RequestMeta } from '../../../kernel/http/request-context';
import type { ManagedAccountActor } from '../../identity';
import type { SsoConnectionRow, SsoRequestRow } from './sso.db';
import { parseMapping, ssoRepo, type SsoDeps, type SsoMapping, type SsoRole } from './sso.deps';

/** Why an SSO sign-in was refused: a stable code for the audit log, the test result and the sign-in page. */
export class SsoFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SsoFailure';
  }
}

/** What the IdP said about the user, before mapping. */
export interface IdpIdentity {
  subject: string;
  attributes: Record<string, unknown>;
  /** SAML NameID when its format is an email address (used when the email attribute is absent). */
  fallbackEmail?: string | null;
  /** SAML only: what single logout later names this sign-in by. */
  saml?: { nameId: string; nameIdFormat: string | null; sessionIndex: string | null };
}

/** A session's absolute lifetime in identity (sessions.service.ts); its SSO record is swept after it. */
const SESSION_ABSOLUTE_MS = 90 * 24 * 3600 * 1000;

export interface MappedIdentity {
  subject: string;
  email: string;
  name: string;
  groups: string[];
  role: SsoRole;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

const values = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter((v): v is string => typeof v === 'string');

export function mapIdentity(mapping: SsoMapping, identity: IdpIdentity): MappedIdentity {
  const email = (values(identity.attributes[mapping.email])[0] ?? identity.fallbackEmail ?? '').trim().toLowerCase();
  if (!EMAIL.test(email)) throw new SsoFailure('sso.email_missing', `The IdP sent no usable email address in "${mapping.email}".`);
  const name = values(identity.attributes[mapping.name])[0]?.trim() || email.split('@')[0]!;
  const groups = values(identity.attributes[mapping.groups]);
  const roleValue = values(identity.attributes[mapping.role])[0];
  const role = (roleValue && mapping.roleValues[roleValue]) || mapping.defaultRole;
  return { subject: identity.subject, email, name: name.slice(0, 200), groups, role };
}

async function recordTest(deps: SsoDeps, conn: SsoConnectionRow, ok: boolean, result: Record<string, unknown>, meta: RequestMeta, actorId: string | null) {
  const now = deps.kernel.clock.now().toISOString();
  await ssoRepo(deps).updateConnection(conn.org_id, conn.id, { last_test_at: now, last_test_ok: ok ? 1 : 0, last_test_result: JSON.stringify(result) });
  await deps.kernel.audit.record({
    orgId: conn.org_id,
    action: 'sso.connection.tested',
    outcome: ok ? 'success' : 'failure',
    actor: { type: 'account', id: actorId },
    target: { type: 'sso_connection', id: conn.id },
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    details: result,
  });
}

/** Audits a refused SSO sign-in (every attack of the suite lands here) and records a failed test run. */
export async function recordFailure(deps: SsoDeps, conn: SsoConnectionRow, request: SsoRequestRow | null, failure: SsoFailure, meta: RequestMeta): Promise<void> {
  await deps.kernel.audit.record({
    orgId: conn.org_id,
    action: 'auth.sign_in',
    outcome: 'failure',
    actor: { type: 'anonymous' },
    target: { type: 'sso_connection', id: conn.id },
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    details: { method: conn.protocol, reason: failure.code, message: failure.message.slice(0, 300) },
  });
  if (request?.test) await recordTest(deps, conn, false, { error: failure.code, message: failure.message.slice(0, 300) }, meta, request.actor_account_id);
}

/**
 * The IdP vouched for `identity`: find the org's managed account (or a verified-domain member), create it
 * with JIT when on, sync teams, start a normal session. In test mode only the result is recorded.
 * Returns where to send the browser.
 */
export async function completeSsoSignIn(
  deps: SsoDeps,
  reply: FastifyReply,
  conn: SsoConnectionRow,
  request: SsoRequestRow | null,
  identity: IdpIdentity,
  meta: RequestMeta,
): Promise<string> {
  const mapped = mapIdentity(parseMapping(conn.mapping), identity);
  if (request?.test) {
    await recordTest(deps, conn, true, { mapped }, meta, request.actor_account_id);
    return `/orgs/${conn.org_id}/settings/sso?test=${conn.id}`;
  }
  const accountId = await resolveAccount(deps, conn, mapped, meta);
  await syncTeams(deps, conn, accountId, mapped.groups);
  const { sessionId } = await deps.identity.externalSignIn.startExternalSession(reply, { accountId, orgId: conn.org_id, method: conn.protocol, connectionId: conn.id }, meta);
  if (identity.saml) {
    const now = deps.kernel.clock.now();
    await ssoRepo(deps).insertSsoSession({
      session_id: sessionId,
      connection_id: conn.id,
      org_id: conn.org_id,
      account_id: accountId,
      name_id: identity.saml.nameId,
      name_id_format: identity.saml.nameIdFormat,
      session_index: identity.saml.sessionIndex,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
    });
  }
  return '/';
}

async function resolveAccount(deps: SsoDeps, conn: SsoConnectionRow, mapped: MappedIdentity, meta: RequestMeta): Promise<string> {
  const orgId = conn.org_id;
  const actor: ManagedAccountActor = { accountId: null, kind: 'sso', ip: meta.ip, userAgent: meta.userAgent };
  const managed = (await deps.identity.managedAccounts.findByExternalId(orgId, mapped.subject)) ?? (await deps.identity.managedAccounts.findByEmail(orgId, mapped.email));
  if (managed) {
    if (!managed.active) throw new SsoFailure('sso.account_inactive', 'The account is suspended in Toride.');
    const patch: Record<string, unknown> = {};
    if (managed.externalId === null) patch.externalId = mapped.subject;
    if (managed.name !== mapped.name) patch.name = mapped.name;
    if (Object.keys(patch).length > 0) await deps.identity.managedAccounts.update(orgId, managed.id, patch, actor);
    return managed.id;
  }
  const domain = mapped.email.split('@')[1]!;
  const onVerifiedDomain = (await ssoRepo(deps).orgOfVerifiedDomain(domain)) === orgId;
  const existing = await deps.identity.externalSignIn.findAccount(orgId, mapped.email);
  if (existing) {
    // Only the org's own people: a member whose address is on a domain the org has verified (W8.3).
    if (existing.role !== null && existing.managedOrgId === null && onVerifiedDomain && !existing.suspended) return existing.id;
    throw new SsoFailure('sso.account_not_linked', 'This address belongs to an account the organization does not manage.');
  }
  if (!conn.jit) throw new SsoFailure('sso.no_account', 'No account exists for this user and just-in-time provisioning is off.');
  if (!onVerifiedDomain) throw new SsoFailure('sso.domain_not_verified', 'Just-in-time provisioning needs the email domain to be verified by the organization.');
  const created = await deps.identity.managedAccounts.create(orgId, { email: mapped.email, name: mapped.name, role: mapped.role, externalId: mapped.subject }, actor);
  return created.id;
}

/** Mapped teams follow the IdP's groups at every sign-in; unmapped teams are left alone. */
async function syncTeams(deps: SsoDeps, conn: SsoConnectionRow, accountId: string, groups: readonly string[]): Promise<void> {
  const mapping = parseMapping(conn.mapping);
  const wanted = new Set(groups.map((g) => mapping.groupTeams[g]).filter((t): t is string => Boolean(t)));
  const mappedTeams = new Set(Object.values(mapping.groupTeams));
  if (mappedTeams.size === 0) return;
  const teams = await deps.identity.teams.list(conn.org_id);
  for (const teamName of mappedTeams) {
    const team = teams.find((t) => t.name === teamName);
    const member = team?.memberIds.includes(accountId) ?? false;
    if (wanted.has(teamName) && !team) await deps.identity.teams.create(conn.org_id, { name: teamName, memberIds: [accountId] });
    else if (team && wanted.has(teamName) && !member) await deps.identity.teams.update(conn.org_id, team.id, { memberIds: [...team.memberIds, accountId] });
    else if (team && !wanted.has(teamName) && member) await deps.identity.teams.update(conn.org_id, team.id, { memberIds: team.memberIds.filter((id) => id !== accountId) });
  }
}
