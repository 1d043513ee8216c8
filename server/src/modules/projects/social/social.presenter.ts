import { presentIssue, presentStar, presentUser } from '../backlog-api/backlog.presenter';
import { toViews } from '../issues.service';
import type { IssueRow } from '../projects.db';
import type { Caller, SpaceUser } from '../spaces.service';
import type { WatchingRow } from './social.db';

export const iso = (timestamp: string) => timestamp.replace(/\.\d{3}Z$/, 'Z');
const unknownUser = (id: number) => ({ id, userId: `user${id}`, name: 'deleted user', roleType: 2, lang: null, mailAddress: null, lastLoginTime: null });
export const userJson = (users: Map<number, SpaceUser>, id: number) => {
  const user = users.get(id);
  return user ? presentUser(user) : unknownUser(id);
};

/** `Star` (one presenter for every place a star appears). */
export { presentStar };

/** Issues presented in their full Issue shape, by id. */
export async function presentedIssues(caller: Caller, issues: readonly IssueRow[], users: Map<number, SpaceUser>) {
  const views = await toViews(caller, issues);
  return new Map(views.map((v) => [v.issue.id, presentIssue(v, users, caller.access.account.locale)]));
}

/** `WatchingListItem`. */
export const presentWatching = (row: WatchingRow, issue: unknown) => ({
  id: row.id,
  resourceAlreadyRead: row.resource_already_read === 1,
  note: row.note,
  type: 'issue',
  issue,
  lastContentUpdated: iso(row.last_content_updated),
  created: iso(row.created_at),
  updated: iso(row.updated_at),
});
