import type { FastifyInstance } from 'fastify';
import { forbidden } from '../../../kernel/errors';
import { loadSpaceUsers, spaceUserIdOf, type ProjectsDeps } from '../spaces.service';
import { presentPriorities, presentResolutions, presentSpace, presentUser } from './backlog.presenter';
import { callerOf } from './plugin';

/** Space, users and the fixed lists. Literal `users/myself` is its own route, never a user id. */
export function spaceRoutes(deps: ProjectsDeps) {
  return async (api: FastifyInstance) => {
    api.get('/space', async (request) => {
      const caller = callerOf(request);
      const owner = caller.access.org.contract_admin_id;
      const ownerId = owner ? await spaceUserIdOf(caller.db, caller.orgId, owner, deps.kernel.clock.now().toISOString()) : caller.userId;
      return presentSpace(caller.space, caller.access, ownerId);
    });

    api.get('/users/myself', async (request) => {
      const caller = callerOf(request);
      const me = (await loadSpaceUsers(deps, caller)).get(caller.userId);
      if (!me) throw forbidden();
      return presentUser(me, caller.access.account.locale);
    });

    // Guests do not see the org's member list (anchors §1.1); they see project members instead.
    api.get('/users', async (request) => {
      const caller = callerOf(request);
      if (caller.isGuest) throw forbidden('Guests cannot list the users of the space.', 'project.forbidden');
      const users = await loadSpaceUsers(deps, caller);
      return [...users.values()].filter((u) => u.active).sort((a, b) => a.id - b.id).map((u) => presentUser(u));
    });

    api.get('/priorities', async (request) => presentPriorities(callerOf(request).access.account.locale));
    api.get('/resolutions', async (request) => presentResolutions(callerOf(request).access.account.locale));
  };
}
