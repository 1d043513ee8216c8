import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, forbidden, notFound } from '../../../kernel/errors';
import { accountOf, requestMeta } from '../../../kernel/http/request-context';
import { resolveOrgAccess } from '../../identity';
import { openSpace, type ProjectsDeps } from '../spaces.service';
import { createRestrictionsRepository } from './restrictions.repository';

const tags = ['projects'];
const orgParams = z.object({ orgId: z.string().min(1).max(64) });
const memberParams = orgParams.extend({ accountId: z.string().min(1).max(64) });
const restrictionBody = z.object({ restriction: z.enum(['none', 'add_issues_only', 'view_only']) });
const restrictionSchema = z.object({ accountId: z.string(), restriction: z.enum(['none', 'add_issues_only', 'view_only']) });

/**
 * Native `/api/v1`: org admins restrict members and guests in the org's Backlog space to "add issues
 * only" (roleType 3) or "view only" (roleType 4); `GET /api/v2/users` reflects it as `roleType`.
 */
export function restrictionRoutes(deps: ProjectsDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const adminAccess = async (request: Parameters<typeof accountOf>[0], orgId: string) => {
      const access = await resolveOrgAccess(deps.identity.deps, accountOf(request), orgId);
      if (access.membership.role !== 'admin') throw forbidden('Only organization admins can restrict members.', 'projects.forbidden');
      return access;
    };

    app.get('/orgs/:orgId/projects/restrictions', { schema: { tags, params: orgParams, response: { 200: z.object({ restrictions: z.array(restrictionSchema) }) } } }, async (request) => {
      const access = await adminAccess(request, request.params.orgId);
      const { db } = await openSpace(deps, access.org);
      const rows = await createRestrictionsRepository(db).list(access.org.id);
      return { restrictions: rows.map((r) => ({ accountId: r.account_id, restriction: r.restriction })) };
    });

    app.put('/orgs/:orgId/projects/restrictions/:accountId', { schema: { tags, params: memberParams, body: restrictionBody, response: { 200: restrictionSchema } } }, async (request) => {
      const access = await adminAccess(request, request.params.orgId);
      const members = await deps.identity.listOrgMembers(access.org.id);
      const target = members.find((m) => m.accountId === request.params.accountId);
      if (!target) throw notFound('member.not_found', 'No such member.');
      if (target.role === 'admin') throw badRequest('projects.admin_unrestricted', 'Administrators cannot be restricted.');
      const { db } = await openSpace(deps, access.org);
      const restriction = request.body.restriction === 'none' ? null : request.body.restriction;
      await createRestrictionsRepository(db).set(access.org.id, target.accountId, restriction, deps.kernel.clock.now().toISOString());
      await deps.kernel.audit.record({
        orgId: access.org.id,
        product: 'projects',
        action: 'projects.restriction_changed',
        outcome: 'success',
        actor: { type: 'account', id: access.account.id, name: access.account.name, email: access.account.email },
        target: { type: 'account', id: target.accountId },
        ...requestMeta(request),
        details: { restriction: request.body.restriction },
      });
      return { accountId: target.accountId, restriction: request.body.restriction };
    });
  };
}
