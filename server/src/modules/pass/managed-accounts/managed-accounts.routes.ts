import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertThat, conflict } from '../../../kernel/errors';
import { requestMeta } from '../../../kernel/http/request-context';
import type { ManagedAccountActor, OrgAccess } from '../../identity';
import { isEmailOnVerifiedDomain, requireOrgAdmin, type PassAdminDeps } from '../domains';
import { importManagedAccounts } from './managed-accounts.import';
import {
  accountParams,
  conversionBody,
  convertibleSchema,
  createBody,
  importBody,
  importQuery,
  importReportSchema,
  managedAccountListSchema,
  managedAccountSchema,
  MAX_IMPORT_BYTES,
  orgParams,
  previewSchema,
  tokenBody,
  updateBody,
} from './managed-accounts.schemas';
import { errorResponses, noContent } from '../../../kernel/http/openapi';

const tags = ['pass'];
const base = '/orgs/:orgId/pass/managed-accounts';

const actorOf = (request: FastifyRequest, access: OrgAccess): ManagedAccountActor => {
  const meta = requestMeta(request);
  return { accountId: access.account.id, kind: 'account', ip: meta.ip, userAgent: meta.userAgent };
};

/** W8.3: the admin API over `IdentityApi.managedAccounts`, CSV import and conversion. Admins only. */
export function managedAccountRoutes(deps: PassAdminDeps) {
  const { identity } = deps;
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    // CSV arrives as the raw body; the limit is the import's own (W8.3: size-limited).
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES }, (_request, body, done) => done(null, body));

    app.get(base, { schema: { tags, params: orgParams, response: { 200: managedAccountListSchema } } }, async (request) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      return { accounts: await identity.managedAccounts.list(access.org.id) };
    });

    app.post(base, { schema: { tags, params: orgParams, body: createBody, response: { 201: managedAccountSchema } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      const created = await identity.managedAccounts.create(access.org.id, request.body, actorOf(request, access));
      return reply.status(201).send(created);
    });

    app.patch(`${base}/:accountId`, { schema: { tags, params: accountParams, body: updateBody, response: { 200: managedAccountSchema } } }, async (request) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      return identity.managedAccounts.update(access.org.id, request.params.accountId, request.body, actorOf(request, access));
    });

    app.delete(`${base}/:accountId`, { schema: { tags, params: accountParams, response: { 204: noContent } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      await identity.managedAccounts.delete(access.org.id, request.params.accountId, actorOf(request, access));
      return reply.status(204).send();
    });

    app.post(
      `${base}/import`,
      { bodyLimit: MAX_IMPORT_BYTES + 64 * 1024, schema: { tags, params: orgParams, querystring: importQuery, body: importBody, response: { 200: importReportSchema } } },
      async (request) => {
        const access = await requireOrgAdmin(deps, request, request.params.orgId);
        const csv = typeof request.body === 'string' ? request.body : request.body.csv;
        const report = await importManagedAccounts(identity, access.org.id, csv, actorOf(request, access), { dryRun: request.query.dryRun === 'true' });
        if (!report.dryRun) {
          await deps.kernel.audit.record({
            orgId: access.org.id,
            action: 'managed_account.imported',
            outcome: report.summary.error > 0 ? 'failure' : 'success',
            actor: { type: 'account', id: access.account.id, name: access.account.name, email: access.account.email },
            target: { type: 'org', id: access.org.id },
            ...requestMeta(request),
            details: { ...report.summary },
          });
        }
        return report;
      },
    );

    /** Ordinary members whose address is on a domain this org verified: candidates for conversion. */
    app.get(`${base}/convertible`, { schema: { tags, params: orgParams, response: { 200: convertibleSchema } } }, async (request) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      const managed = new Set((await identity.managedAccounts.list(access.org.id)).map((a) => a.id));
      const members = [];
      for (const member of await identity.listOrgMembers(access.org.id)) {
        if (managed.has(member.accountId) || !member.email) continue;
        if (await isEmailOnVerifiedDomain(deps, access.org.id, member.email)) members.push({ ...member, email: member.email });
      }
      return { members };
    });

    app.post(`${base}/conversions`, { schema: { tags, params: orgParams, body: conversionBody, response: { ...errorResponses(409), 202: z.object({ status: z.literal('consent_requested') }) } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      const member = (await identity.listOrgMembers(access.org.id)).find((m) => m.accountId === request.body.accountId);
      assertThat(member?.email && (await isEmailOnVerifiedDomain(deps, access.org.id, member.email)), () =>
        conflict('managed_conversion.domain_not_verified', 'Only members whose address is on a domain this organization verified can be converted.'),
      );
      await identity.managedConversion.request(access.org.id, request.body.accountId, actorOf(request, access));
      return reply.status(202).send({ status: 'consent_requested' });
    });

    app.post(`${base}/:accountId/unmanage`, { schema: { tags, params: accountParams, response: { 204: noContent } } }, async (request, reply) => {
      const access = await requireOrgAdmin(deps, request, request.params.orgId);
      await identity.managedConversion.revert(access.org.id, request.params.accountId, actorOf(request, access));
      return reply.status(204).send();
    });

    // The user's side of a conversion: the link in the consent mail (no sign-in needed, the token is the proof).
    app.post('/pass/managed-conversion/preview', { config: { auth: 'public' }, schema: { tags, body: tokenBody, response: { 200: previewSchema } } }, async (request) =>
      identity.managedConversion.preview(request.body.token),
    );

    app.post('/pass/managed-conversion/confirm', { config: { auth: 'public' }, schema: { tags, body: tokenBody, response: { 200: z.object({ status: z.string(), orgId: z.string() }) } } }, async (request) => {
      const account = await identity.managedConversion.confirm(request.body.token, requestMeta(request));
      return { status: 'converted', orgId: account.orgId };
    });
  };
}
