import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, forbidden } from '../../../kernel/errors';
import { requestMeta } from '../../../kernel/http/request-context';
import { assertPasswordStrong, hashPassword, verifyPassword } from '../../../kernel/passwords';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import type { ProjectsDeps } from '../spaces.service';
import type { ClassicUserRow } from './classic.db';
import { createClassicRepository } from './classic.repository';
import { endClassicCredentials, issueClassicSession } from './classic-auth.service';
import { setClassicCookies } from './classic-session';
import { classicMeSchema, classicSessionRoutes, presentClassicMe } from './classic-session.routes';
import { errorResponses } from '../../../kernel/http/openapi';

const params = z.object({ spaceKey: z.string().regex(/^[a-z0-9]{2,40}$/) });
const body = z.object({ userId: z.string().min(1).max(64), password: z.string().min(1).max(200), newPassword: z.string().min(10).max(200).optional() });
const invalid = () => new AppError(401, 'classic.invalid_credentials', 'Wrong user ID or password.');

/**
 * The classic space's own sign-in (W6.6, W8.2): space-local users exist only here, so the platform's
 * sign-in never knows them and they can reach no other service. The first sign-in must set a new
 * password (`newPassword`) in place of the mailed initial one. A successful sign-in sets the classic
 * session cookie (classic-session.ts), good for `/api/v2` of this space only.
 */
export function classicSignInRoutes(deps: ProjectsDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    await app.register(classicSessionRoutes(deps));
    app.post('/classic/:spaceKey/sign-in', { config: { auth: 'public' }, schema: { tags: ['projects'], params, body, response: { ...errorResponses(401, 403, 429), 200: classicMeSchema } } }, async (request, reply) => {
      const meta = requestMeta(request);
      await deps.kernel.rateLimiter.consume(`classic-signin:ip:${meta.ip}`, { limit: 30, windowSeconds: 300 });
      const regions = [...new Set([deps.kernel.config.regionProjectsJa, deps.kernel.config.regionProjectsEn])];
      let found: { db: Awaited<ReturnType<typeof openRegion>>; orgId: string; user: ClassicUserRow } | null = null;
      for (const region of regions) {
        const db = await openRegion(deps, region);
        const space = await createClassicRepository(db).findBySpaceKey(request.params.spaceKey);
        const user = space ? await createClassicRepository(db).findUserByLogin(space.org_id, request.body.userId) : undefined;
        if (space && user) found = { db, orgId: space.org_id, user };
      }
      const ok = await verifyPassword(found?.user.password_hash, request.body.password);
      if (!found || !ok) throw invalid();
      const { db, orgId, user } = found;
      const { newPassword } = request.body;
      if (user.must_change_password === 1 && !newPassword) {
        throw forbidden('Choose a new password: the initial password works only once.', 'classic.password_change_required');
      }
      if (newPassword) {
        if (newPassword === request.body.password) throw new AppError(400, 'classic.password_unchanged', 'The new password must differ from the old one.');
        await assertPasswordStrong(newPassword, { email: user.mail_address, name: user.name, words: [user.login_id, request.params.spaceKey] });
        await createClassicRepository(db).updateUser(orgId, user.space_user_id, { password_hash: await hashPassword(newPassword), must_change_password: 0, updated_at: deps.kernel.clock.now().toISOString() });
      }
      await deps.kernel.audit.record({
        orgId,
        product: 'projects',
        action: newPassword ? 'projects.classic_user_password_changed' : 'projects.classic_user_signed_in',
        outcome: 'success',
        // Not a platform account: the actor is the space-local user, named by the target.
        actor: { type: 'anonymous', id: `classic:${user.space_user_id}`, name: user.name, email: user.mail_address },
        target: { type: 'classic_user', id: String(user.space_user_id) },
        ...meta,
        details: { userId: user.login_id },
      });
      // A fresh session at every sign-in (never a cookie the browser brought along); a password
      // change ends the user's other sessions.
      if (newPassword) await endClassicCredentials(db, orgId, user.space_user_id);
      const session = await issueClassicSession(deps, db, user);
      setClassicCookies(reply, deps.kernel.config, session);
      return presentClassicMe(user, request.params.spaceKey, session.csrfToken);
    });
  };
}

const openRegion = async (deps: ProjectsDeps, region: string) => (await deps.kernel.stores.open<ProjectsDb>(projectsStoreSpec(region))).db;
