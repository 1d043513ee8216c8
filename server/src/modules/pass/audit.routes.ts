import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountOf, requestMeta } from '../../kernel/http/request-context';
import type { Kernel } from '../../kernel/module';
import { resolveOrgAccess, type IdentityApi } from '../identity';
import { requireAuditReader } from './audit.policy';
import { auditExportQuery, auditOrgParams, auditPageSchema, auditSearchQuery } from './audit.schemas';
import { exportAudit, searchAudit, type AuditDeps } from './audit.service';

/** The export streams a file: NDJSON (one event per line) or CSV, per `format`. */
const exportFile = {
  description: 'The audit events as a file (attachment)',
  // A stream, not serialized: `any` keeps the handler's `send(stream)` typed.
  content: { 'application/x-ndjson': { schema: z.any().describe('One JSON audit event per line') }, 'text/csv': { schema: z.any().describe('A header row, then one row per event') } },
};

const tags = ['audit'];

export function auditRoutes(deps: AuditDeps & { kernel: Kernel; identity: IdentityApi }) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const readerAccess = async (request: Parameters<typeof accountOf>[0], orgId: string) => {
      // Non-members get 404 org.not_found from the identity gate, holders-only 403 after it.
      const access = await resolveOrgAccess(deps.identity.deps, accountOf(request), orgId);
      requireAuditReader(access);
      return access;
    };

    app.get(
      '/orgs/:orgId/audit-events',
      { schema: { tags, params: auditOrgParams, querystring: auditSearchQuery, response: { 200: auditPageSchema } } },
      async (request) => {
        const access = await readerAccess(request, request.params.orgId);
        return searchAudit(deps, access.org.id, request.query);
      },
    );

    app.get('/orgs/:orgId/audit-events/export', { schema: { tags, params: auditOrgParams, querystring: auditExportQuery, response: { 200: exportFile } } }, async (request, reply) => {
      const access = await readerAccess(request, request.params.orgId);
      const { format, from, to } = request.query;
      // The export is itself audited, before any line leaves (W4.6, issue 4 §6).
      await deps.kernel.audit.record({
        orgId: access.org.id,
        action: 'audit.exported',
        outcome: 'success',
        actor: { type: 'account', id: access.account.id, name: access.account.name, email: access.account.email },
        target: { type: 'org', id: access.org.id },
        ...requestMeta(request),
        details: { format, from: from ?? null, to: to ?? null },
      });
      const stream = await exportAudit(deps, access.org.id, { format, from, to });
      const stamp = deps.clock.now().toISOString().replace(/[:.]/g, '-');
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${access.org.id}-${stamp}.${format}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    });
  };
}
