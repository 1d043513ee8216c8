import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireOrgAdmin, type PassAdminDeps } from './domains.deps';
import { addDomainBody, domainListSchema, domainOrgParams, domainParams, domainSchema, presentDomain } from './domains.schemas';
import { addDomain, listDomains, purgeOrgDomains, removeDomain, verifyDomain } from './domains.service';
import { noContent } from '../../../kernel/http/openapi';

const tags = ['pass'];

/** W8.3: an org's email domains, proven by DNS TXT. Admins only. */
export function domainRoutes(deps: PassAdminDeps) {
  // A closed org holds no domain: it is free for another org to verify (W8.3).
  deps.kernel.events.on('identity.org.deleted', async (event) => {
    await purgeOrgDomains(deps, String(event.payload.orgId));
  });
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/orgs/:orgId/pass/domains', { schema: { tags, params: domainOrgParams, response: { 200: domainListSchema } } }, async (request) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      return { domains: (await listDomains(deps, access.org.id)).map(presentDomain) };
    });

    app.post(
      '/orgs/:orgId/pass/domains',
      { schema: { tags, params: domainOrgParams, body: addDomainBody, response: { 201: domainSchema } } },
      async (request, reply) => {
        const access = await requireOrgAdmin(deps, request, request.params.orgId);
        const row = await addDomain(deps, request, access, request.body.domain);
        return reply.status(201).send(presentDomain(row));
      },
    );

    app.post(
      '/orgs/:orgId/pass/domains/:domainId/verify',
      { schema: { tags, params: domainParams, response: { 200: domainSchema } } },
      async (request) => {
        const access = await requireOrgAdmin(deps, request, request.params.orgId);
        return presentDomain(await verifyDomain(deps, request, access, request.params.domainId));
      },
    );

    app.delete('/orgs/:orgId/pass/domains/:domainId', { schema: { tags, params: domainParams, response: { 204: noContent } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      await removeDomain(deps, request, access, request.params.domainId);
      return reply.status(204).send();
    });
  };
}
