import type { Kysely } from 'kysely';
import { publicUrlOf } from '../../../config';
import { outboundPolicyOf, type OutboundPolicy } from '../../../kernel/outbound-http';
import type { Kernel } from '../../../kernel/module';
import type { IdentityApi } from '../../identity';
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

export const outboundPolicy = (deps: Pick<SsoDeps, 'kernel'>): OutboundPolicy => outboundPolicyOf(deps.kernel.config);

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

export { auditByAdmin, requireOrgAdmin } from '../pass-admin';
