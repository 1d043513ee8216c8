import { presentStar, presentUser } from '../backlog-api/index';
import type { SpaceUser } from '../spaces.service';
import type { WikiHistoryRow } from './wiki.db';
import type { WikiView } from './wiki.service';
import { presentSharedFile } from '../shared-files/shared-files.presenter';

/** Wiki rows → backlog-js `Entity.Wiki` shapes (WikiListItem, Wiki, History, Tag). */
const iso = (timestamp: string) => timestamp.replace(/\.\d{3}Z$/, 'Z');
export const userOf = (users: Map<number, SpaceUser>, id: number) => {
  const user = users.get(id);
  return user ? presentUser(user) : { id, userId: `user${id}`, name: 'deleted user', roleType: 2, lang: null, mailAddress: null, lastLoginTime: null };
};

export const presentWikiListItem = ({ page, tags }: WikiView, users: Map<number, SpaceUser>) => ({
  id: page.id,
  projectId: page.project_id,
  name: page.name,
  tags: tags.map((t) => ({ id: t.id, name: t.name })),
  createdUser: userOf(users, page.created_user_id),
  created: iso(page.created_at),
  updatedUser: userOf(users, page.updated_user_id),
  updated: iso(page.updated_at),
});

export const presentWiki = (view: WikiView, users: Map<number, SpaceUser>) => {
  const { tags, createdUser, created, updatedUser, updated, ...head } = presentWikiListItem(view, users);
  const attachments = (view.attachments ?? []).map((a) => ({ id: a.id, name: a.name, size: a.size, createdUser: userOf(users, a.created_user_id), created: iso(a.created_at) }));
  const stars = (view.stars ?? []).map((star) => presentStar(star, users));
  return { ...head, content: view.page.content, tags, attachments, sharedFiles: (view.sharedFiles ?? []).map((f) => presentSharedFile(f, users)), stars, createdUser, created, updatedUser, updated };
};

export const presentWikiHistory = (row: WikiHistoryRow, users: Map<number, SpaceUser>) => ({
  pageId: row.wiki_id,
  version: row.version,
  name: row.name,
  content: row.content,
  createdUser: userOf(users, row.created_user_id),
  created: iso(row.created_at),
});
