import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { usesTls } from '../../config';
import { assertThat, unauthenticated } from '../../kernel/errors';
import { operatorOf, requestMeta, type Authenticator } from '../../kernel/http/request-context';
import type { StoreDescription } from '../../kernel/module';
import type { IdentityApi } from '../identity';
import { endOperatorSession, findOperator, operatorCsrfToken, resolveOperatorSession, signInOperator, type OperatorDeps } from './operator.service';
import { errorResponses, noContent } from '../../kernel/http/openapi';

export const OPERATOR_COOKIE = 'toride_operator';
const tags = ['operator'];
const operatorSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });

export const operatorAuthenticator = (deps: OperatorDeps): Authenticator => ({
  kind: 'operator',
  async authenticate(request: FastifyRequest) {
    const token = request.cookies[OPERATOR_COOKIE];
    if (!token) return null;
    const resolved = await resolveOperatorSession(deps, token);
    if (!resolved) return null;
    return { kind: 'operator', via: 'session', operatorId: resolved.operator.id, sessionId: resolved.session.id, csrfToken: operatorCsrfToken(deps, resolved.session.id) };
  },
});

export interface OperatorRouteDeps extends OperatorDeps {
  readonly identity: IdentityApi;
  describeOrg(orgId: string): Promise<StoreDescription[]>;
}

/**
 * The operator console API. Without an org's consent operators see metadata only: ids, names,
 * dates, plan state, counts and sizes — never content (W2.1). Every read is audited (W18.1).
 */
export function operatorRoutes(deps: OperatorRouteDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const auditRead = async (request: FastifyRequest, action: string) => {
      const principal = operatorOf(request);
      await deps.kernel.audit.record({ action, outcome: 'success', actor: { type: 'operator', id: principal.operatorId }, ...requestMeta(request) });
    };

    app.post(
      '/operator/sessions',
      { config: { auth: 'public' }, schema: { tags, body: z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256), code: z.string().regex(/^\d{6}$/) }), response: { ...errorResponses(401, 429), 200: z.object({ operator: operatorSchema, csrfToken: z.string() }) } } },
      async (request, reply) => {
        const { operator, token, sessionId } = await signInOperator(deps, request.body, requestMeta(request));
        reply.setCookie(OPERATOR_COOKIE, token, { path: '/', httpOnly: true, secure: usesTls(deps.kernel.config), sameSite: 'strict' });
        return { operator: { id: operator.id, email: operator.email, name: operator.name }, csrfToken: operatorCsrfToken(deps, sessionId) };
      },
    );

    app.delete('/operator/sessions/current', { config: { auth: 'operator' }, schema: { tags, response: { 204: noContent } } }, async (request, reply) => {
      await endOperatorSession(deps, operatorOf(request).sessionId);
      reply.clearCookie(OPERATOR_COOKIE, { path: '/' });
      return reply.status(204).send();
    });

    app.get('/operator/me', { config: { auth: 'operator' }, schema: { tags, response: { 200: z.object({ operator: operatorSchema, csrfToken: z.string() }) } } }, async (request) => {
      const principal = operatorOf(request);
      const operator = await findOperator(deps, principal.operatorId);
      assertThat(operator, () => unauthenticated());
      return { operator: { id: operator.id, email: operator.email, name: operator.name }, csrfToken: principal.csrfToken };
    });

    const storeSchema = z.object({ module: z.string(), region: z.string(), kinds: z.array(z.object({ kind: z.string(), rows: z.number() })) });
    app.get(
      '/operator/orgs',
      { config: { auth: 'operator' }, schema: { tags, response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), planState: z.string(), memberCount: z.number(), stores: z.array(storeSchema) })) }) } } },
      async (request) => {
        await auditRead(request, 'operator.orgs.listed');
        const orgs = await deps.identity.listOrganizationsMetadata();
        return { items: await Promise.all(orgs.map(async (org) => ({ ...org, stores: await deps.describeOrg(org.id) }))) };
      },
    );

    app.get(
      '/operator/stores',
      { config: { auth: 'operator' }, schema: { tags, response: { 200: z.object({ items: z.array(z.object({ module: z.string(), region: z.string(), dialect: z.string(), bytes: z.number() })) }) } } },
      async (request) => {
        await auditRead(request, 'operator.stores.listed');
        const stores = deps.kernel.stores.list();
        return { items: await Promise.all(stores.map(async (s) => ({ module: s.module, region: s.region, dialect: s.dialect, bytes: await s.sizeBytes() }))) };
      },
    );

    app.get(
      '/operator/outbox',
      {
        config: { auth: 'operator' },
        schema: {
          tags,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
          // Metadata only (W2.1, issue 16 §5): no address, subject or body — mail carries org content
          // and sign-in links. The response schema strips anything else.
          response: { 200: z.object({ items: z.array(z.object({ id: z.string(), recipientDomain: z.string(), kind: z.string(), status: z.enum(['stored', 'sent', 'failed']), createdAt: z.string() })) }) },
        },
      },
      async (request) => {
        await auditRead(request, 'operator.outbox.read');
        return { items: await deps.kernel.mailer.outboxMetadata(request.query.limit) };
      },
    );
  };
}
