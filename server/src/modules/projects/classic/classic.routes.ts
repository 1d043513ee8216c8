import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden } from '../../../kernel/errors';
import { accountOf } from '../../../kernel/http/request-context';
import { resolveOrgAccess } from '../../identity';
import { callerOf, int, paramsOf, parseParams, presentUser } from '../backlog-api/index';
import { openSpace, type ProjectsDeps } from '../spaces.service';
import type { ClassicUserRow } from './classic.db';
import { createClassicRepository } from './classic.repository';
import { createClassicUser, deleteClassicUser, updateClassicUser } from './classic.service';

const roleType = int.pipe(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]));
const loginId = z.string().trim().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1-64 letters, digits or . _ @ -');
const mail = z.email().max(254);
const newUser = z.object({ userId: loginId, password: z.string().max(200).optional(), name: z.string().trim().min(1).max(100), mailAddress: mail, roleType });
const userPatch = z.object({ password: z.string().min(8).max(200).optional(), name: z.string().trim().min(1).max(100).optional(), mailAddress: mail.optional(), roleType: roleType.optional() });
const userIdParam = z.object({ userId: int });

const present = (u: ClassicUserRow) =>
  presentUser({ id: u.space_user_id, accountId: '', name: u.name, email: u.mail_address, roleType: u.role_type, active: true, loginId: u.login_id });

/** Backlog's user management for classic spaces: `POST /users`, `PATCH|DELETE /users/:userId` (W6.6, W7.3). */
export function classicUserRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.post('/users', async (request, reply) => {
      const caller = callerOf(request);
      const user = await createClassicUser(deps, caller, parseParams(newUser, paramsOf(request)));
      return reply.status(201).send(present(user));
    });

    api.patch<{ Params: { userId: string } }>('/users/:userId', async (request) => {
      const caller = callerOf(request);
      const { userId } = parseParams(userIdParam, request.params);
      return present(await updateClassicUser(deps, caller, userId, parseParams(userPatch, paramsOf(request))));
    });

    api.delete<{ Params: { userId: string } }>('/users/:userId', async (request) => {
      const caller = callerOf(request);
      const { userId } = parseParams(userIdParam, request.params);
      return present(await deleteClassicUser(deps, caller, userId));
    });
  };
}

/** Native `/api/v1`: an org admin turns the org's space into a classic space with a user limit (W6.6). */
export function classicAdminRoutes(deps: ProjectsDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const params = z.object({ orgId: z.string().min(1).max(64) });
    const body = z.object({ userLimit: z.number().int().min(1).max(100_000) });
    const status = z.object({ classic: z.boolean(), userLimit: z.number().int().nullable(), users: z.number().int(), spaceKey: z.string(), signInPath: z.string() });
    const adminAccess = async (request: Parameters<typeof accountOf>[0], orgId: string) => {
      const access = await resolveOrgAccess(deps.identity.deps, accountOf(request), orgId);
      if (access.membership.role !== 'admin') throw forbidden('Only organization admins can set up a classic space.', 'projects.forbidden');
      return access;
    };

    // The admin's settings page reads whether the space is classic and where its users sign in.
    app.get('/orgs/:orgId/projects/classic', { schema: { tags: ['projects'], params, response: { 200: status } } }, async (request) => {
      const access = await adminAccess(request, request.params.orgId);
      const { db, space } = await openSpace(deps, access.org);
      const repo = createClassicRepository(db);
      const classic = await repo.findSpace(access.org.id);
      return {
        classic: classic !== undefined,
        userLimit: classic?.user_limit ?? null,
        users: classic ? await repo.countUsers(access.org.id) : 0,
        spaceKey: space.space_key,
        signInPath: `/classic/${space.space_key}/sign-in`,
      };
    });

    app.put('/orgs/:orgId/projects/classic', { schema: { tags: ['projects'], params, body, response: { 200: status.pick({ classic: true, userLimit: true, users: true }) } } }, async (request) => {
      const access = await adminAccess(request, request.params.orgId);
      const { db } = await openSpace(deps, access.org);
      const repo = createClassicRepository(db);
      await repo.upsertSpace(access.org.id, request.body.userLimit, deps.kernel.clock.now().toISOString());
      return { classic: true, userLimit: request.body.userLimit, users: await repo.countUsers(access.org.id) };
    });
  };
}
