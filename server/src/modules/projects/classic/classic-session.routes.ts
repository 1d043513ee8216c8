import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, forbidden } from '../../../kernel/errors';
import { requestMeta } from '../../../kernel/http/request-context';
import { assertPasswordStrong, hashPassword, verifyPassword } from '../../../kernel/passwords';
import type { ProjectsDeps } from '../spaces.service';
import { createClassicApiKey, endClassicCredentials, endClassicSession, listClassicApiKeys, revokeClassicApiKey } from './classic-auth.service';
import { auditClassicSelf, classicSessionOf, clearClassicCookies } from './classic-session';
import type { ClassicApiKeyRow, ClassicUserRow } from './classic.db';
import { createClassicRepository } from './classic.repository';
import { errorResponses, noContent } from '../../../kernel/http/openapi';

const tags = ['projects'];
const spaceParams = z.object({ spaceKey: z.string().regex(/^[a-z0-9]{2,40}$/) });
const keyParams = spaceParams.extend({ keyId: z.string().min(1).max(64) });
const passwordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(10).max(200) });
const keyBody = z.object({ name: z.string().trim().min(1).max(100) });

export const presentClassicMe = (user: ClassicUserRow, spaceKey: string, csrfToken: string, spaceName?: string) => ({
  id: user.space_user_id,
  userId: user.login_id,
  name: user.name,
  mailAddress: user.mail_address,
  roleType: user.role_type,
  spaceKey,
  ...(spaceName !== undefined ? { spaceName } : {}),
  csrfToken,
});
/** Response schemas (the OpenAPI document is generated from them, issue 12 §7). */
export const classicMeSchema = z.object({
  id: z.number().int(),
  userId: z.string(),
  name: z.string(),
  mailAddress: z.string(),
  roleType: z.number().int(),
  spaceKey: z.string(),
  spaceName: z.string().optional(),
  csrfToken: z.string(),
});
const keySchema = z.object({ id: z.string(), name: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
const presentKey = (k: ClassicApiKeyRow) => ({ id: k.id, name: k.name, prefix: k.prefix, createdAt: k.created_at, lastUsedAt: k.last_used_at });

/**
 * A signed-in classic user's own session, password and personal API keys (W6.6). Public for the
 * platform's auth hook: these routes authenticate the classic session cookie themselves.
 */
export function classicSessionRoutes(deps: ProjectsDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const open = { auth: 'public' as const };

    app.get('/classic/:spaceKey/session', { config: open, schema: { tags, params: spaceParams, response: { ...errorResponses(401, 403), 200: classicMeSchema } } }, async (request) => {
      const s = await classicSessionOf(deps, request, request.params.spaceKey);
      return presentClassicMe(s.user, s.spaceKey, s.csrfToken, s.org.name);
    });

    app.delete('/classic/:spaceKey/session', { config: open, schema: { tags, params: spaceParams, response: { ...errorResponses(401, 403), 204: noContent } } }, async (request, reply) => {
      const s = await classicSessionOf(deps, request, request.params.spaceKey);
      await endClassicSession(s.db, s.orgId, s.sessionId);
      await auditClassicSelf(deps, request, 'projects.classic_user_signed_out', s.user);
      clearClassicCookies(reply);
      return reply.status(204).send();
    });

    // A password change ends every other session of the user (their keys stay: they are not passwords).
    app.post('/classic/:spaceKey/password', { config: open, schema: { tags, params: spaceParams, body: passwordBody, response: { ...errorResponses(401, 403, 429), 204: noContent } } }, async (request, reply) => {
      const s = await classicSessionOf(deps, request, request.params.spaceKey);
      await deps.kernel.rateLimiter.consume(`classic-password:ip:${requestMeta(request).ip}`, { limit: 30, windowSeconds: 300 });
      if (!(await verifyPassword(s.user.password_hash, request.body.currentPassword))) throw new AppError(400, 'classic.invalid_password', 'The current password is wrong.');
      if (request.body.newPassword === request.body.currentPassword) throw new AppError(400, 'classic.password_unchanged', 'The new password must differ from the old one.');
      await assertPasswordStrong(request.body.newPassword, { email: s.user.mail_address, name: s.user.name, orgName: s.org.name, words: [s.user.login_id, s.spaceKey] });
      const at = deps.kernel.clock.now().toISOString();
      await createClassicRepository(s.db).updateUser(s.orgId, s.user.space_user_id, { password_hash: await hashPassword(request.body.newPassword), must_change_password: 0, updated_at: at });
      await endClassicCredentials(s.db, s.orgId, s.user.space_user_id, { keepSession: s.sessionId });
      await auditClassicSelf(deps, request, 'projects.classic_user_password_changed', s.user);
      return reply.status(204).send();
    });

    // The space's own users for its Administrators' user page (web); changes go through `/api/v2/users`.
    app.get('/classic/:spaceKey/users', { config: open, schema: { tags, params: spaceParams, response: { ...errorResponses(401, 403), 200: z.object({ users: z.array(classicMeSchema.pick({ id: true, userId: true, name: true, mailAddress: true, roleType: true })) }) } } }, async (request) => {
      const s = await classicSessionOf(deps, request, request.params.spaceKey);
      if (s.user.role_type !== 1) throw forbidden('Only administrators can manage the users of the space.', 'project.forbidden');
      const users = await createClassicRepository(s.db).listUsers(s.orgId);
      return { users: users.map((u) => ({ id: u.space_user_id, userId: u.login_id, name: u.name, mailAddress: u.mail_address, roleType: u.role_type })) };
    });

    app.get('/classic/:spaceKey/api-keys', { config: open, schema: { tags, params: spaceParams, response: { ...errorResponses(401, 403), 200: z.object({ apiKeys: z.array(keySchema) }) } } }, async (request) => {
      const s = await classicSessionOf(deps, request, request.params.spaceKey);
      return { apiKeys: (await listClassicApiKeys(s.db, s.user)).map(presentKey) };
    });

    // The secret is shown once, here; only its SHA-256 digest is stored.
    app.post('/classic/:spaceKey/api-keys', { config: open, schema: { tags, params: spaceParams, body: keyBody, response: { ...errorResponses(401, 403), 201: keySchema.extend({ secret: z.string() }) } } }, async (request, reply) => {
      const s = await classicSessionOf(deps, request, request.params.spaceKey);
      const { row, secret } = await createClassicApiKey(deps, s.db, s.user, request.body.name);
      await auditClassicSelf(deps, request, 'projects.classic_api_key_created', s.user, { keyId: row.id, prefix: row.prefix });
      return reply.status(201).send({ ...presentKey(row), secret });
    });

    app.delete('/classic/:spaceKey/api-keys/:keyId', { config: open, schema: { tags, params: keyParams, response: { ...errorResponses(401, 403), 204: noContent } } }, async (request, reply) => {
      const s = await classicSessionOf(deps, request, request.params.spaceKey);
      await revokeClassicApiKey(s.db, s.user, request.params.keyId);
      await auditClassicSelf(deps, request, 'projects.classic_api_key_revoked', s.user, { keyId: request.params.keyId });
      return reply.status(204).send();
    });
  };
}
