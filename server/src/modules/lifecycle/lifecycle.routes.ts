import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound } from '../../kernel/errors';
import { accountOf, operatorOf, requestMeta } from '../../kernel/http/request-context';
import type { LifecycleDeps } from './lifecycle.deps';
import type { LifecycleService } from './lifecycle.service';
import { lifecycleViewSchema, orgParams, publicKeySchema, purgedOrgsSchema, reauthBody, receiptFileSchema, receiptParams, setStateBody } from './lifecycle.schemas';

const tags = ['lifecycle'];

/** Org admins see and act on their contract; operators set states; anyone may fetch the receipt public key. */
export function lifecycleRoutes(deps: LifecycleDeps, service: LifecycleService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const sessionOf = (request: Parameters<typeof accountOf>[0]) => {
      const principal = accountOf(request);
      if (principal.via !== 'session') throw forbidden('Sign in with a browser session to change the contract.', 'auth.session_required');
      return principal;
    };

    app.get('/orgs/:orgId/lifecycle', { schema: { tags, params: orgParams, response: { 200: lifecycleViewSchema } } }, async (request) => {
      await service.adminAccess(request.params.orgId, accountOf(request));
      return service.view(request.params.orgId);
    });

    // The orgs whose contract admin the caller was, purged since (issue 16 §6, W4.10): where the
    // Data & contract page finds their receipts once the memberships are gone.
    app.get('/lifecycle/purged-orgs', { schema: { tags, response: { 200: purgedOrgsSchema } } }, async (request) => {
      const principal = accountOf(request);
      if (principal.via === 'api_key') throw forbidden('Sign in with a browser session to list purged organizations.', 'auth.session_required');
      const orgs = await deps.identity.purgedOrgsOfContractAdmin(principal.accountId);
      const items = [];
      for (const org of orgs) {
        const receipts = await deps.repo.receiptsOf(org.id);
        items.push({ orgId: org.id, deletedAt: org.deletedAt, receipts: receipts.map((r) => ({ id: r.id, createdAt: r.created_at })) });
      }
      return { items };
    });

    app.get('/orgs/:orgId/lifecycle/receipts/:receiptId', { schema: { tags, params: receiptParams, response: { 200: receiptFileSchema } } }, async (request) => {
      await service.adminAccess(request.params.orgId, accountOf(request));
      const row = await deps.repo.receipt(request.params.orgId, request.params.receiptId);
      if (!row) throw notFound('lifecycle.receipt_not_found', 'Receipt not found.');
      return JSON.parse(row.document) as z.infer<typeof receiptFileSchema>;
    });

    for (const action of ['cancel', 'delete', 'restore'] as const) {
      app.post(`/orgs/:orgId/lifecycle/${action}`, { schema: { tags, params: orgParams, body: reauthBody, response: { 200: lifecycleViewSchema } } }, async (request) => {
        const principal = sessionOf(request);
        const { orgId } = request.params;
        await service.adminAccess(orgId, principal);
        await deps.identity.reauthenticate(principal.accountId, request.body);
        const actor = { type: 'account' as const, id: principal.accountId };
        const meta = requestMeta(request);
        if (action === 'cancel') return service.cancel(orgId, principal.accountId, actor, meta);
        if (action === 'delete') return service.delete(orgId, principal.accountId, actor, meta);
        return service.restore(orgId, actor, meta);
      });
    }

    app.get('/lifecycle/public-key', { config: { auth: 'public' }, schema: { tags, response: { 200: publicKeySchema } } }, async () => ({
      keyId: deps.signer.keyId,
      algorithm: 'Ed25519' as const,
      publicKeyPem: deps.signer.publicKeyPem(),
    }));

    app.post(
      '/operator/orgs/:orgId/lifecycle',
      { config: { auth: 'operator' }, schema: { tags, params: orgParams, body: setStateBody, response: { 200: lifecycleViewSchema } } },
      async (request) => {
        const operator = operatorOf(request);
        const { service: svc, state, ...dates } = request.body;
        await service.setState(request.params.orgId, svc, state, dates, { type: 'operator', id: operator.operatorId }, requestMeta(request), 'set_by_operator');
        return service.view(request.params.orgId);
      },
    );

    app.get(
      '/operator/lifecycle',
      { config: { auth: 'operator' }, schema: { tags, response: { 200: z.object({ items: z.array(lifecycleViewSchema.omit({ history: true })), receipts: z.array(z.object({ id: z.string(), orgId: z.string(), createdAt: z.string() })) }) } } },
      async (request) => {
        operatorOf(request);
        const orgIds = [...new Set((await deps.repo.allContracts()).map((c) => c.org_id))];
        const items = [];
        for (const orgId of orgIds) {
          const { history: _history, ...rest } = await service.view(orgId);
          items.push(rest);
        }
        const receipts = (await deps.repo.allReceipts()).map((r) => ({ id: r.id, orgId: r.org_id, createdAt: r.created_at }));
        return { items, receipts };
      },
    );
  };
}
