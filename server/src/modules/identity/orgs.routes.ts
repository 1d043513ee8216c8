import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { accountOf, requestMeta } from '../../kernel/http/request-context';
import type { IdentityDeps } from './identity.deps';
import { presentInvitation, presentMember, presentOrg, presentTeam } from './identity.presenter';
import {
  createInvitationBody,
  createOrgBody,
  invitationParams,
  invitationSchema,
  listOf,
  memberParams,
  memberSchema,
  orgParams,
  orgSchema,
  teamBody,
  teamParams,
  teamSchema,
  updateMemberBody,
  updateOrgBody,
  updateTeamBody,
} from './identity.schemas';
import { createInvitation, listInvitations, revokeInvitation } from './invitations.service';
import { identityRepositories } from './identity.repositories';
import { createAdditionalOrganization, listMembers, removeMember, resolveOrgAccess, updateMember, updateOrganization } from './orgs.service';
import { sessionPrincipalOf } from './session-cookies';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from './teams.service';
import { assertThat, notFound } from '../../kernel/errors';
import { errorResponses, noContent } from '../../kernel/http/openapi';

const orgTags = ['organizations'];
const teamTags = ['teams'];

export function orgRoutes(deps: IdentityDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const access = (request: Parameters<typeof accountOf>[0], orgId: string) => resolveOrgAccess(deps, accountOf(request), orgId);

    app.post('/orgs', { schema: { tags: orgTags, body: createOrgBody, response: { ...errorResponses(429), 201: orgSchema } } }, async (request, reply) => {
      const created = await createAdditionalOrganization(deps, sessionPrincipalOf(request).accountId, request.body, requestMeta(request));
      return reply.status(201).send(presentOrg(created));
    });

    app.get('/orgs/:orgId', { schema: { tags: orgTags, params: orgParams, response: { 200: orgSchema } } }, async (request) =>
      presentOrg(await access(request, request.params.orgId)),
    );

    app.patch('/orgs/:orgId', { schema: { tags: orgTags, params: orgParams, body: updateOrgBody, response: { ...errorResponses(409), 200: orgSchema } } }, async (request) =>
      presentOrg(await updateOrganization(deps, await access(request, request.params.orgId), request.body, requestMeta(request))),
    );

    app.get('/orgs/:orgId/members', { schema: { tags: orgTags, params: orgParams, response: { 200: listOf(memberSchema) } } }, async (request) => {
      const rows = await listMembers(deps, await access(request, request.params.orgId));
      return { items: rows.map(presentMember) };
    });

    app.patch('/orgs/:orgId/members/:accountId', { schema: { tags: orgTags, params: memberParams, body: updateMemberBody, response: { 200: memberSchema } } }, async (request) => {
      const row = await updateMember(deps, await access(request, request.params.orgId), request.params.accountId, request.body, requestMeta(request));
      assertThat(row, () => notFound('member.not_found', 'Member not found.'));
      return presentMember(row);
    });

    app.delete('/orgs/:orgId/members/:accountId', { schema: { tags: orgTags, params: memberParams, response: { 204: noContent } } }, async (request, reply) => {
      // Leaving stays possible in an org that requires 2FA the member has not set up.
      const leaving = accountOf(request).accountId === request.params.accountId;
      const orgAccess = await resolveOrgAccess(deps, accountOf(request), request.params.orgId, { allowWithoutTwoFactor: leaving });
      await removeMember(deps, orgAccess, request.params.accountId, requestMeta(request));
      return reply.status(204).send();
    });

    app.get('/orgs/:orgId/invitations', { schema: { tags: orgTags, params: orgParams, response: { 200: listOf(invitationSchema) } } }, async (request) => {
      const rows = await listInvitations(deps, await access(request, request.params.orgId));
      const inviterIds = [...new Set(rows.map((r) => r.invited_by).filter((id): id is string => id !== null))];
      const names = new Map((await identityRepositories(deps.db).accounts.findSummaries(inviterIds)).map((a) => [a.id, a.name]));
      const now = deps.kernel.clock.now().toISOString();
      return { items: rows.map((row) => presentInvitation(row, now, names)) };
    });

    app.post('/orgs/:orgId/invitations', { schema: { tags: orgTags, params: orgParams, body: createInvitationBody, response: { ...errorResponses(409, 429), 201: invitationSchema } } }, async (request, reply) => {
      const orgAccess = await access(request, request.params.orgId);
      const row = await createInvitation(deps, orgAccess, request.body, requestMeta(request));
      const names = new Map([[orgAccess.account.id, orgAccess.account.name]]);
      return reply.status(201).send(presentInvitation(row, deps.kernel.clock.now().toISOString(), names));
    });

    app.delete('/orgs/:orgId/invitations/:invitationId', { schema: { tags: orgTags, params: invitationParams, response: { 204: noContent } } }, async (request, reply) => {
      await revokeInvitation(deps, await access(request, request.params.orgId), request.params.invitationId, requestMeta(request));
      return reply.status(204).send();
    });

    app.get('/orgs/:orgId/teams', { schema: { tags: teamTags, params: orgParams, response: { 200: listOf(teamSchema) } } }, async (request) => {
      const teams = await listTeams(deps, await access(request, request.params.orgId));
      return { items: teams.map(presentTeam) };
    });

    app.post('/orgs/:orgId/teams', { schema: { tags: teamTags, params: orgParams, body: teamBody, response: { 201: teamSchema } } }, async (request, reply) => {
      const team = await createTeam(deps, await access(request, request.params.orgId), request.body, requestMeta(request));
      return reply.status(201).send(presentTeam(team));
    });

    app.get('/orgs/:orgId/teams/:teamId', { schema: { tags: teamTags, params: teamParams, response: { 200: teamSchema } } }, async (request) =>
      presentTeam(await getTeam(deps, await access(request, request.params.orgId), request.params.teamId)),
    );

    app.patch('/orgs/:orgId/teams/:teamId', { schema: { tags: teamTags, params: teamParams, body: updateTeamBody, response: { 200: teamSchema } } }, async (request) =>
      presentTeam(await updateTeam(deps, await access(request, request.params.orgId), request.params.teamId, request.body, requestMeta(request))),
    );

    app.delete('/orgs/:orgId/teams/:teamId', { schema: { tags: teamTags, params: teamParams, response: { 204: noContent } } }, async (request, reply) => {
      await deleteTeam(deps, await access(request, request.params.orgId), request.params.teamId, requestMeta(request));
      return reply.status(204).send();
    });
  };
}
