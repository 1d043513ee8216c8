import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountOf, requestMeta } from '../../kernel/http/request-context';
import { changePassword, deleteAccount, listSessions, loadAccountOrThrow, revokeOtherSessions, revokeSession, updateProfile } from './account.service';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service';
import { resendVerification } from './auth.service';
import { requestEmailChange } from './email-change.service';
import type { IdentityDeps } from './identity.deps';
import { presentApiKey, presentSession } from './identity.presenter';
import {
  apiKeySchema,
  changeEmailBody,
  changePasswordBody,
  codeBody,
  createApiKeyBody,
  deleteAccountBody,
  listOf,
  meSchema,
  passwordAndSecondFactorBody,
  sessionSchema,
  updateMeBody,
} from './identity.schemas';
import { buildMe } from './me.presenter';
import { clearSessionCookies, sessionPrincipalOf } from './session-cookies';
import { disableTotp, enableTotp, regenerateRecoveryCodes, startTotpSetup } from './two-factor.service';
import { errorResponses, noContent } from '../../kernel/http/openapi';

const tags = ['account'];
const idParam = (name: string) => z.object({ [name]: z.string().min(1).max(64) });
const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

export function accountRoutes(deps: IdentityDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const csrfOf = (p: ReturnType<typeof accountOf>) => (p.via === 'session' ? p.csrfToken : '');

    app.get('/me', { schema: { tags, response: { 200: meSchema } } }, async (request) => {
      const principal = accountOf(request);
      // A key scoped to one org shows only that org: it must not reveal where else its owner works.
      const onlyOrgId = principal.via === 'api_key' ? principal.orgId : undefined;
      return buildMe(deps, principal.accountId, csrfOf(principal), onlyOrgId);
    });

    app.patch('/me', { schema: { tags, body: updateMeBody, response: { 200: meSchema } } }, async (request) => {
      const principal = sessionPrincipalOf(request);
      await updateProfile(deps, await loadAccountOrThrow(deps, principal.accountId), request.body);
      return buildMe(deps, principal.accountId, principal.csrfToken);
    });

    app.post('/me/email-verification', { schema: { tags, response: { ...errorResponses(409, 429), 204: noContent } } }, async (request, reply) => {
      await resendVerification(deps, await loadAccountOrThrow(deps, sessionPrincipalOf(request).accountId));
      return reply.status(204).send();
    });

    app.post('/me/email', { schema: { tags, body: changeEmailBody, response: { ...errorResponses(409, 429), 202: noContent } } }, async (request, reply) => {
      const principal = sessionPrincipalOf(request);
      await requestEmailChange(deps, await loadAccountOrThrow(deps, principal.accountId), request.body, requestMeta(request));
      return reply.status(202).send();
    });

    app.post('/me/password', { schema: { tags, body: changePasswordBody, response: { 204: noContent } } }, async (request, reply) => {
      const principal = sessionPrincipalOf(request);
      await changePassword(deps, await loadAccountOrThrow(deps, principal.accountId), principal.sessionId, request.body, requestMeta(request));
      return reply.status(204).send();
    });

    app.get('/me/sessions', { schema: { tags, response: { 200: listOf(sessionSchema) } } }, async (request) => {
      const principal = sessionPrincipalOf(request);
      const rows = await listSessions(deps, principal.accountId);
      return { items: rows.map((row) => presentSession(row, principal.sessionId)) };
    });

    app.delete('/me/sessions', { schema: { tags, response: { 200: z.object({ ended: z.number().int() }) } } }, async (request) => {
      const principal = sessionPrincipalOf(request);
      return { ended: await revokeOtherSessions(deps, await loadAccountOrThrow(deps, principal.accountId), principal.sessionId, requestMeta(request)) };
    });

    app.delete('/me/sessions/:sessionId', { schema: { tags, params: idParam('sessionId'), response: { 204: noContent } } }, async (request, reply) => {
      const principal = sessionPrincipalOf(request);
      await revokeSession(deps, await loadAccountOrThrow(deps, principal.accountId), String(request.params.sessionId), requestMeta(request));
      return reply.status(204).send();
    });

    app.post('/me/two-factor/setup', { schema: { tags, response: { 200: z.object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() }) } } }, async (request) =>
      startTotpSetup(deps, await loadAccountOrThrow(deps, sessionPrincipalOf(request).accountId)),
    );

    app.post('/me/two-factor/enable', { schema: { tags, body: codeBody, response: { ...errorResponses(409), 200: recoveryCodes } } }, async (request) =>
      enableTotp(deps, await loadAccountOrThrow(deps, sessionPrincipalOf(request).accountId), request.body.code, requestMeta(request)),
    );

    app.post('/me/two-factor/disable', { schema: { tags, body: passwordAndSecondFactorBody, response: { ...errorResponses(409), 204: noContent } } }, async (request, reply) => {
      await disableTotp(deps, await loadAccountOrThrow(deps, sessionPrincipalOf(request).accountId), request.body, requestMeta(request));
      return reply.status(204).send();
    });

    app.post('/me/two-factor/recovery-codes', { schema: { tags, body: passwordAndSecondFactorBody, response: { ...errorResponses(409), 200: recoveryCodes } } }, async (request) =>
      regenerateRecoveryCodes(deps, await loadAccountOrThrow(deps, sessionPrincipalOf(request).accountId), request.body, requestMeta(request)),
    );

    app.get('/me/api-keys', { schema: { tags, response: { 200: listOf(apiKeySchema) } } }, async (request) => {
      const rows = await listApiKeys(deps, sessionPrincipalOf(request).accountId);
      return { items: rows.map(presentApiKey) };
    });

    app.post('/me/api-keys', { schema: { tags, body: createApiKeyBody, response: { ...errorResponses(404), 201: z.object({ apiKey: apiKeySchema, secret: z.string() }) } } }, async (request, reply) => {
      const { row, secret } = await createApiKey(deps, sessionPrincipalOf(request), request.body, requestMeta(request));
      return reply.status(201).send({ apiKey: presentApiKey(row), secret });
    });

    app.delete('/me/api-keys/:keyId', { schema: { tags, params: idParam('keyId'), response: { 204: noContent } } }, async (request, reply) => {
      await revokeApiKey(deps, sessionPrincipalOf(request), String(request.params.keyId), requestMeta(request));
      return reply.status(204).send();
    });

    app.post('/me/delete', { schema: { tags, body: deleteAccountBody, response: { 204: noContent } } }, async (request, reply) => {
      await deleteAccount(deps, sessionPrincipalOf(request), request.body, requestMeta(request));
      clearSessionCookies(reply);
      return reply.status(204).send();
    });
  };
}
