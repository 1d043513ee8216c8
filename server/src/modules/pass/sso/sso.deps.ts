import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { publicUrlOf } from '../../../config';
import { forbidden } from '../../../kernel/errors';
import { accountOf, requestMeta } from '../../../kernel/http/request-context';
import type { OutboundPolicy } from '../../../kernel/outbound-http';
import type { Kernel } from '../../../kernel/module';
import { resolveOrgAccess, type IdentityApi, type OrgAccess } from '../../identity';
import type { SsoDb, VerifiedDomainsView } from './sso.db';
import { createSsoRepository } from './sso.repository';

/** What SSO needs from the pass module. */
export interface SsoDeps {
  readonly kernel: Kernel;
  readonly identity: IdentityApi;
  readonly passDb: Kysely<SsoDb & VerifiedDomainsView>;
}

export const ssoRepo = (deps: Pick<SsoDeps, 'passDb'>) => createSsoRepository(deps.passDb);

export const SSO_PREFIX = '/sso';
/** Bounded clock skew between IdP and Toride. */
export const CLOCK_SKEW_MS = 3 * 60 * 1000;
/** How long a started sign-in (SAML request id, OIDC state) stays usable. */
export const REQUEST_TTL_MS = 10 * 60 * 1000;

export const publicBase = (deps: Pick<SsoDeps, 'kernel'>) => publicUrlOf(deps.kernel.config).replace(/\/$/, '');
export const spEntityIdOf = (deps: Pick<SsoDeps, 'kernel'>, connectionId: string) => `${publicBase(deps)}${SSO_PREFIX}/saml/${connectionId}/metadata`;
export const acsUrlOf = (deps: Pick<SsoDeps, 'kernel'>, connectionId: string) => `${publicBase(deps)}${SSO_PREFIX}/saml/${connectionId}/acs`;
export const sloUrlOf = (deps: Pick<SsoDeps, 'kernel'>, connectionId: string) => `${publicBase(deps)}${SSO_PREFIX}/saml/${connectionId}/slo`;
export const oidcRedirectOf = (deps: Pick<SsoDeps, 'kernel'>, connectionId: string) => `${publicBase(deps)}${SSO_PREFIX}/oidc/${connectionId}/callback`;

export const outboundPolicy = (deps: Pick<SsoDeps, 'kernel'>): OutboundPolicy => ({
  allowPrivate: deps.kernel.config.outboundPrivateTargets === 'on',
  timeoutMs: 10_000,
});

export type SsoRole = 'admin' | 'member' | 'guest';

/** Attribute (SAML) or claim (OIDC) names, and how values become teams and roles. */
export interface SsoMapping {
  email: string;
  name: string;
  groups: string;
  role: string;
  /** IdP group → Toride team name; a mapped team's membership follows the IdP at each sign-in. */
  groupTeams: Record<string, string>;
  /** IdP role value → Toride role. */
  roleValues: Record<string, SsoRole>;
  defaultRole: 'member' | 'guest';
}

export const defaultMapping = (): SsoMapping => ({ email: 'email', name: 'name', groups: 'groups', role: 'role', groupTeams: {}, roleValues: {}, defaultRole: 'member' });

export function parseMapping(text: string): SsoMapping {
  return { ...defaultMapping(), ...(JSON.parse(text) as Partial<SsoMapping>) };
}

/** Org admins only (W7.1): non-members get 404 from the identity gate (W7.7), members and guests 403. */
export async function requireOrgAdmin(deps: SsoDeps, request: FastifyRequest, orgId: string): Promise<OrgAccess> {
  const access = await resolveOrgAccess(deps.identity.deps, accountOf(request), orgId);
  if (access.membership.role !== 'admin') throw forbidden();
  return access;
}

/** An audit entry in the org's log by the admin behind `access`. */
export async function auditByAdmin(
  deps: SsoDeps,
  request: FastifyRequest,
  access: OrgAccess,
  entry: { action: string; outcome?: 'success' | 'failure' | 'denied'; target: { type: string; id: string }; details?: Record<string, unknown> },
): Promise<void> {
  await deps.kernel.audit.record({
    orgId: access.org.id,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    actor: { type: 'account', id: access.account.id, name: access.account.name, email: access.account.email },
    target: entry.target,
    ...requestMeta(request),
    ...(entry.details ? { details: entry.details } : {}),
  });
}
