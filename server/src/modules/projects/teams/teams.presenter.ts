import { presentUser } from '../backlog-api/backlog.presenter';
import { iso, userJson } from '../social/social.presenter';
import type { SpaceUser } from '../spaces.service';
import type { TeamView } from './teams.service';

/** Teams provisioned by the org's identity provider (SCIM, SSO) have no creating user. */
const PROVISIONING_USER = { id: 0, userId: 'provisioning', name: 'Provisioning', roleType: 1, lang: null, mailAddress: null, lastLoginTime: null };

/** backlog-js `Team`: `{ id, name, members: User[], displayOrder, createdUser, created, updatedUser, updated }`. */
export const presentTeam = (team: TeamView, users: Map<number, SpaceUser>) => ({
  id: team.id,
  name: team.name,
  members: team.memberUserIds.flatMap((id) => {
    const user = users.get(id);
    return user?.active ? [presentUser(user)] : [];
  }),
  // Toride keeps no manual team order; Backlog answers null for teams never reordered too.
  displayOrder: null,
  createdUser: team.createdUserId === null ? PROVISIONING_USER : userJson(users, team.createdUserId),
  created: iso(team.created),
  updatedUser: team.updatedUserId === null ? PROVISIONING_USER : userJson(users, team.updatedUserId),
  updated: iso(team.updated),
});
