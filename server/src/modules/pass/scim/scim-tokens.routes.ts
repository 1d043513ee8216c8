import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOrgAdmin } from '../domains/domains.deps';
import type { ScimTokenRow } from './scim.db';
import { createToken, listTokens, revokeToken, rotateToken, type TokenAdminDeps } from './scim-tokens.service';
import { errorResponses, noContent } from '../../../kernel/http/openapi';

const tags = ['pass'];
const orgParams = z.object({ orgId: z.string().min(1).max(64) });
const tokenParams = orgParams.extend({ tokenId: z.string().min(1).max(64) });
const createBody = z.object({ label: z.string().trim().min(1).max(100) }).strict();

const tokenSchema = z.object({
  id: z.string(),
  label: z.string(),
  hint: z.string(),
  issuedBy: z.string(),
  createdAt: z.string(),
  rotatedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
const issuedSchema = z.object({ token: tokenSchema, secret: z.string(), baseUrl: z.string() });

/** Never the hash: only what an admin needs to tell tokens apart. */
const presentToken = (row: ScimTokenRow): z.infer<typeof tokenSchema> => ({
  id: row.id,
  label: row.label,
  hint: row.hint,
  issuedBy: row.issued_by,
  createdAt: row.created_at,
  rotatedAt: row.rotated_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

/** Admin API for SCIM tokens (issue 4 §5, W7.1): org admins only; other orgs answer 404 (W7.7). */
export function scimTokenRoutes(deps: TokenAdminDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const base = '/orgs/:orgId/pass/scim/tokens';

    app.get(base, { schema: { tags, params: orgParams, response: { 200: z.object({ baseUrl: z.string(), tokens: z.array(tokenSchema) }) } } }, async (request) => {
      const access = await requireOrgAdmin(deps.admin, request, request.params.orgId);
      return { baseUrl: deps.baseUrl, tokens: (await listTokens(deps, access.org.id)).map(presentToken) };
    });

    app.post(base, { schema: { tags, params: orgParams, body: createBody, response: { ...errorResponses(409), 201: issuedSchema } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps.admin, request, request.params.orgId);
      const { row, secret } = await createToken(deps, request, access, request.body.label);
      return reply.status(201).send({ token: presentToken(row), secret, baseUrl: deps.baseUrl });
    });

    app.post(`${base}/:tokenId/rotate`, { schema: { tags, params: tokenParams, response: { 200: issuedSchema } } }, async (request) => {
      const access = await requireOrgAdmin(deps.admin, request, request.params.orgId);
      const { row, secret } = await rotateToken(deps, request, access, request.params.tokenId);
      return { token: presentToken(row), secret, baseUrl: deps.baseUrl };
    });

    app.delete(`${base}/:tokenId`, { schema: { tags, params: tokenParams, response: { 204: noContent } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps.admin, request, request.params.orgId);
      await revokeToken(deps, request, access, request.params.tokenId);
      return reply.status(204).send();
    });
  };
}
