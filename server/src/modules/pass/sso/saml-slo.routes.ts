import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../../kernel/http/request-context';
import { handleIdpLogoutRequest, handleIdpLogoutResponse, recordSloFailure, type SloBinding, type SloMessage } from './saml-slo.service';
import type { SsoConnectionRow } from './sso.db';
import type { SsoDeps } from './sso.deps';
import { SsoFailure } from './sso.signin.service';

const params = z.object({ connectionId: z.string().min(1).max(64) });
const message = z
  .object({
    SAMLRequest: z.string().min(1).max(1024 * 1024).optional(),
    SAMLResponse: z.string().min(1).max(1024 * 1024).optional(),
    RelayState: z.string().max(2000).optional(),
    SigAlg: z.string().max(200).optional(),
    Signature: z.string().max(4096).optional(),
  })
  .refine((m) => Boolean(m.SAMLRequest) !== Boolean(m.SAMLResponse), { message: 'Exactly one of SAMLRequest and SAMLResponse.' });

/**
 * The SP's SingleLogoutService (issue 13 §2): `GET` is the HTTP-Redirect binding, `POST` the HTTP-POST
 * binding; each takes the IdP's LogoutRequest (IdP-initiated) or LogoutResponse (answer to Toride's
 * request). Public: the browser comes from the IdP; the IdP's signature is what authenticates it.
 */
export function registerSloRoutes(fastify: FastifyInstance, deps: SsoDeps, load: (id: string, reply: FastifyReply) => Promise<SsoConnectionRow | null>): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { auth: 'public' as const };

  const handle = async (request: FastifyRequest, reply: FastifyReply, binding: SloBinding, fields: z.infer<typeof message>) => {
    const conn = await load((request.params as { connectionId: string }).connectionId, reply);
    if (!conn) return reply;
    const meta = requestMeta(request);
    const slo: SloMessage = {
      binding,
      fields: Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string')),
      ...(binding === 'redirect' ? { rawQuery: request.raw.url?.split('?')[1] ?? '' } : {}),
    };
    const direction = fields.SAMLRequest ? 'idp_initiated' : 'sp_initiated_completed';
    try {
      if (fields.SAMLRequest) return reply.redirect(await handleIdpLogoutRequest(deps, conn, slo, meta), 302);
      await handleIdpLogoutResponse(deps, conn, slo, meta);
      return reply.redirect('/signin?signedOut=sso', 303);
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      await recordSloFailure(deps, conn, meta, direction, binding, error);
      // Toride's own session already ended when it sent its request: the person lands on sign-in.
      if (!fields.SAMLRequest) return reply.redirect(`/signin?ssoError=${encodeURIComponent(error.code)}`, 303);
      return reply.status(400).send({ error: { code: error.code, message: error.message } });
    }
  };

  app.get('/saml/:connectionId/slo', { config, schema: { hide: true, params, querystring: message } }, async (request, reply) =>
    handle(request, reply, 'redirect', request.query),
  );
  app.post('/saml/:connectionId/slo', { config, schema: { hide: true, params, body: message } }, async (request, reply) =>
    handle(request, reply, 'post', request.body),
  );
}
