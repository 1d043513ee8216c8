import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountOf, requestMeta } from '../../../kernel/http/request-context';
import { resolveOrgAccess, type OrgAccess } from '../../identity';
import type { ProjectsDeps } from '../spaces.service';
import { deleteApp, listApps, registerApp } from './oauth.service';
import { noContent } from '../../../kernel/http/openapi';

const tags = ['projects'];
const orgParams = z.object({ orgId: z.string().min(1).max(64) });
const appParams = orgParams.extend({ appId: z.coerce.number().int().positive() });
const redirectUri = z
  .url()
  .max(2000)
  // z.url() does not stop the chain: a non-URL must not reach `new URL` here (it threw a TypeError → 500).
  .refine((value) => {
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    // https anywhere; plain http only to this machine (native apps, development), as RFC 8252 allows.
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  }, 'must be https (or http on loopback)')
  .refine((value) => !URL.canParse(value) || !new URL(value).hash, 'must not contain a fragment');
const newApp = z.object({ name: z.string().trim().min(1).max(100), redirectUri });
const appSchema = z.object({ id: z.number().int(), name: z.string(), clientId: z.string(), redirectUri: z.string(), createdAt: z.string() });

/** Native `/api/v1`: org admins register the OAuth 2.0 apps that may act in their Backlog space. */
export function oauthAdminRoutes(deps: ProjectsDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const audit = (request: Parameters<typeof requestMeta>[0], access: OrgAccess, action: string, target: { id: number; clientId: string; name: string }) =>
      deps.kernel.audit.record({
        orgId: access.org.id,
        product: 'projects',
        action,
        outcome: 'success',
        actor: { type: 'account', id: access.account.id, name: access.account.name, email: access.account.email },
        target: { type: 'oauth_app', id: String(target.id) },
        ...requestMeta(request),
        details: { name: target.name, clientId: target.clientId },
      });

    app.get('/orgs/:orgId/projects/oauth-apps', { schema: { tags, params: orgParams, response: { 200: z.object({ apps: z.array(appSchema) }) } } }, async (request) => {
      const access = await resolveOrgAccess(deps.identity.deps, accountOf(request), request.params.orgId);
      return { apps: await listApps(deps, access) };
    });

    app.post('/orgs/:orgId/projects/oauth-apps', { schema: { tags, params: orgParams, body: newApp, response: { 201: appSchema.extend({ clientSecret: z.string() }) } } }, async (request, reply) => {
      const access = await resolveOrgAccess(deps.identity.deps, accountOf(request), request.params.orgId);
      const created = await registerApp(deps, access, request.body);
      await audit(request, access, 'projects.oauth_app_created', created);
      return reply.status(201).header('cache-control', 'no-store').send(created);
    });

    app.delete('/orgs/:orgId/projects/oauth-apps/:appId', { schema: { tags, params: appParams, response: { 204: noContent } } }, async (request, reply) => {
      const access = await resolveOrgAccess(deps.identity.deps, accountOf(request), request.params.orgId);
      const deleted = await deleteApp(deps, access, request.params.appId);
      await audit(request, access, 'projects.oauth_app_deleted', deleted);
      return reply.status(204).send();
    });
  };
}
