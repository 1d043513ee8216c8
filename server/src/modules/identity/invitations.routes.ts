import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../kernel/http/request-context';
import type { IdentityDeps } from './identity.deps';
import { acceptInvitationBody, invitationPreviewSchema, meSchema, tokenParams } from './identity.schemas';
import { acceptInvitation, previewInvitation } from './invitations.service';
import { buildMe } from './me.presenter';
import { setSessionCookies } from './session-cookies';

const tags = ['invitations'];

export function invitationRoutes(deps: IdentityDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/invitations/:token', { config: { auth: 'public' }, schema: { tags, params: tokenParams, response: { 200: invitationPreviewSchema } } }, async (request) =>
      previewInvitation(deps, request.params.token),
    );

    app.post(
      '/invitations/:token/accept',
      { config: { auth: 'optional' }, schema: { tags, params: tokenParams, body: acceptInvitationBody, response: { 200: z.object({ orgId: z.string(), me: meSchema }) } } },
      async (request, reply) => {
        const principal = request.principal?.kind === 'account' ? request.principal : null;
        const result = await acceptInvitation(deps, request.params.token, principal, request.body, requestMeta(request));
        if (result.session) setSessionCookies(reply, deps.kernel.config, result.session);
        const csrfToken = result.session?.csrfToken ?? (principal?.via === 'session' ? principal.csrfToken : '');
        return { orgId: result.orgId, me: await buildMe(deps, result.accountId, csrfToken) };
      },
    );
  };
}
