import type { FastifyRequest } from 'fastify';
import { forbidden } from '../../kernel/errors';
import { accountOf, requestMeta } from '../../kernel/http/request-context';
import type { Kernel } from '../../kernel/module';
import { resolveOrgAccess, type IdentityApi, type OrgAccess } from '../identity';

/** What every pass admin feature (domains, managed accounts, SSO, SCIM, audit push) checks and records with. */
export interface PassAdminContext {
  readonly kernel: Kernel;
  readonly identity: IdentityApi;
}

/** Org admins only (W7.1): non-members get 404 from the identity gate (W7.7), members and guests 403. */
export async function requireOrgAdmin(deps: PassAdminContext, request: FastifyRequest, orgId: string): Promise<OrgAccess> {
  const access = await resolveOrgAccess(deps.identity.deps, accountOf(request), orgId);
  if (access.membership.role !== 'admin') throw forbidden();
  return access;
}

/** An audit entry in the org's log by the admin behind `access`. */
export async function auditByAdmin(
  deps: PassAdminContext,
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
