import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../../kernel/http/request-context';
import type { IdentityApi } from '../../identity';
import { requireAuditReader } from '../audit.policy';
import { requireOrgAdmin } from '../pass-admin';
import type { AuditPushTargetTable } from './audit-push.db';
import { configurePush, getPushTarget, removePush, rotatePushSecret, sendTestPush, type AuditPushDeps } from './audit-push.service';
import { noContent } from '../../../kernel/http/openapi';

const tags = ['audit'];
const params = z.object({ orgId: z.string().min(1).max(64) });
const targetSchema = z.object({
  url: z.string(),
  enabled: z.boolean(),
  lastDeliveredSeq: z.number().int(),
  failures: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const configureBody = z.object({ url: z.string().trim().min(1).max(2000), enabled: z.boolean().default(true) });

/** The sealed secret and org id stay inside; the secret itself is shown once, on creation or rotation. */
const presentTarget = (row: AuditPushTargetTable): z.infer<typeof targetSchema> => ({
  url: row.url,
  enabled: row.enabled === 1,
  lastDeliveredSeq: Number(row.last_delivered_seq),
  failures: Number(row.failures),
  nextAttemptAt: row.next_attempt_at,
  lastAttemptAt: row.last_attempt_at,
  lastSuccessAt: row.last_success_at,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** `/orgs/:orgId/audit-push`: admins who also read the audit log, since a push target receives all of it (W7.6). */
export function auditPushRoutes(deps: AuditPushDeps & { identity: IdentityApi }) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const adminReader = async (request: FastifyRequest, orgId: string) => {
      const access = await requireOrgAdmin(deps, request, orgId);
      requireAuditReader(access);
      return access;
    };
    const path = '/orgs/:orgId/audit-push';

    app.get(path, { schema: { tags, params, response: { 200: z.object({ target: targetSchema.nullable() }) } } }, async (request) => {
      const access = await adminReader(request, request.params.orgId);
      const target = await getPushTarget(deps, access.org.id);
      return { target: target ? presentTarget(target) : null };
    });

    app.put(path, { schema: { tags, params, body: configureBody, response: { 200: z.object({ target: targetSchema, secret: z.string().nullable() }) } } }, async (request) => {
      const access = await adminReader(request, request.params.orgId);
      const { target, secret } = await configurePush(deps, access, request.body, requestMeta(request));
      return { target: presentTarget(target), secret };
    });

    app.post(`${path}/rotate-secret`, { schema: { tags, params, response: { 200: z.object({ secret: z.string() }) } } }, async (request) => {
      const access = await adminReader(request, request.params.orgId);
      return { secret: await rotatePushSecret(deps, access, requestMeta(request)) };
    });

    app.post(
      `${path}/test`,
      { schema: { tags, params, response: { 200: z.object({ ok: z.boolean(), status: z.number().int().nullable(), error: z.string().nullable() }) } } },
      async (request) => {
        const access = await adminReader(request, request.params.orgId);
        return sendTestPush(deps, access);
      },
    );

    app.delete(path, { schema: { tags, params, response: { 204: noContent } } }, async (request, reply) => {
      const access = await adminReader(request, request.params.orgId);
      await removePush(deps, access, requestMeta(request));
      return reply.status(204).send();
    });
  };
}
