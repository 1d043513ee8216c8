import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../kernel/http/request-context';
import { completeTwoFactorSignIn, confirmEmail, confirmPasswordReset, requestPasswordReset, signIn, signUp } from './auth.service';
import type { IdentityDeps } from './identity.deps';
import { emailBody, meSchema, resetConfirmBody, signInBody, signInResponse, signUpBody, tokenBody, twoFactorSignInBody } from './identity.schemas';
import { buildMe } from './me.presenter';
import { clearSessionCookies, setSessionCookies } from './session-cookies';
import { endSession } from './sessions.service';
import { errorResponses, noContent } from '../../kernel/http/openapi';

const tags = ['auth'];

export function authRoutes(deps: IdentityDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const { config } = deps.kernel;

    app.post('/signup', { config: { auth: 'public' }, schema: { tags, body: signUpBody, response: { ...errorResponses(409, 429), 201: meSchema } } }, async (request, reply) => {
      const { account, session } = await signUp(deps, request.body, requestMeta(request));
      setSessionCookies(reply, config, session);
      return reply.status(201).send(await buildMe(deps, account.id, session.csrfToken));
    });

    app.post('/sessions', { config: { auth: 'public' }, schema: { tags, body: signInBody, response: { ...errorResponses(401, 429), 200: signInResponse } } }, async (request, reply) => {
      const result = await signIn(deps, request.body, requestMeta(request));
      if (result.status === 'two_factor_required') return result;
      setSessionCookies(reply, config, result.session);
      return { status: result.status, me: await buildMe(deps, result.accountId, result.session.csrfToken) };
    });

    app.post('/sessions/two-factor', { config: { auth: 'public' }, schema: { tags, body: twoFactorSignInBody, response: { ...errorResponses(401, 429), 200: signInResponse } } }, async (request, reply) => {
      const result = await completeTwoFactorSignIn(deps, request.body, requestMeta(request));
      if (result.status !== 'signed_in') return result;
      setSessionCookies(reply, config, result.session);
      return { status: result.status, me: await buildMe(deps, result.accountId, result.session.csrfToken) };
    });

    app.delete('/sessions/current', { config: { auth: 'optional' }, schema: { tags, response: { 204: noContent } } }, async (request, reply) => {
      const principal = request.principal;
      if (principal?.kind === 'account' && principal.via === 'session') {
        await endSession(deps, principal.accountId, principal.sessionId);
        await deps.kernel.audit.record({ action: 'auth.sign_out', outcome: 'success', actor: { type: 'account', id: principal.accountId }, ...requestMeta(request) });
      }
      clearSessionCookies(reply);
      return reply.status(204).send();
    });

    app.post('/email-verification/confirm', { config: { auth: 'public' }, schema: { tags, body: tokenBody, response: { 204: noContent } } }, async (request, reply) => {
      await confirmEmail(deps, request.body.token, requestMeta(request));
      return reply.status(204).send();
    });

    app.post('/password-resets', { config: { auth: 'public' }, schema: { tags, body: emailBody, response: { ...errorResponses(429), 202: z.object({ status: z.literal('sent_if_account_exists') }) } } }, async (request, reply) => {
      await requestPasswordReset(deps, request.body.email, requestMeta(request));
      return reply.status(202).send({ status: 'sent_if_account_exists' as const });
    });

    app.post('/password-resets/confirm', { config: { auth: 'public' }, schema: { tags, body: resetConfirmBody, response: { 204: noContent } } }, async (request, reply) => {
      await confirmPasswordReset(deps, request.body, requestMeta(request));
      return reply.status(204).send();
    });
  };
}
