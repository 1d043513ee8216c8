import { presentUser } from '../backlog-api/backlog.presenter';
import type { SpaceUser } from '../spaces.service';
import type { SharedFileRow } from './shared-files.db';

const iso = (timestamp: string) => timestamp.replace(/\.\d{3}Z$/, 'Z');
const unknownUser = (id: number) => ({ id, userId: `user${id}`, name: 'deleted user', roleType: 2, lang: null, mailAddress: null, lastLoginTime: null });
const userOf = (users: Map<number, SpaceUser>, id: number) => {
  const user = users.get(id);
  return user ? presentUser(user) : unknownUser(id);
};

/** backlog-js `SharedFile`: `{ id, projectId, type, dir, name, size, createdUser, created, updatedUser, updated }`; nothing else leaves. */
export const presentSharedFile = (row: SharedFileRow, users: Map<number, SpaceUser>) => ({
  id: row.id,
  projectId: row.project_id,
  type: row.type,
  dir: row.dir,
  name: row.name,
  size: row.size,
  createdUser: userOf(users, row.created_user_id),
  created: iso(row.created_at),
  updatedUser: userOf(users, row.updated_user_id),
  updated: iso(row.updated_at),
});
