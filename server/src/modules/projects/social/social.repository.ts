import type { Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { StarKind } from './social.db';

export interface Cursor {
  minId?: number | undefined;
  maxId?: number | undefined;
  count: number;
  order: 'asc' | 'desc';
}

/** Every SQL statement for stars, watchings, notifications, activities and recent views. Reads filter by org (W7.7). */
export function createSocialRepository(db: Kysely<ProjectsDb>) {
  return {
    // Stars
    insertStar: (row: { org_id: string; user_id: number; receiver_id: number; target_kind: StarKind; target_id: number; project_id: number; title: string; url: string; created_at: string }) =>
      db.insertInto('stars').values(row).returningAll().executeTakeFirstOrThrow(),
    findStar: (orgId: string, id: number) => db.selectFrom('stars').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),
    deleteStar: (orgId: string, id: number) => db.deleteFrom('stars').where('org_id', '=', orgId).where('id', '=', id).execute(),
    /** Stars the user received, in projects the caller can see. */
    starsOfUser: (orgId: string, userId: number, projectIds: readonly number[], page: Cursor) => {
      let q = db.selectFrom('stars').selectAll().where('org_id', '=', orgId).where('receiver_id', '=', userId).where('project_id', 'in', projectIds.length ? projectIds : [-1]);
      if (page.minId !== undefined) q = q.where('id', '>', page.minId);
      if (page.maxId !== undefined) q = q.where('id', '<', page.maxId);
      return q.orderBy('id', page.order).limit(page.count).execute();
    },
    /** How many stars the user received, in projects the caller can see. */
    countStarsOfUser: async (orgId: string, userId: number, projectIds: readonly number[], since?: string, until?: string) => {
      let q = db
        .selectFrom('stars')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .where('receiver_id', '=', userId)
        .where('project_id', 'in', projectIds.length ? projectIds : [-1]);
      if (since) q = q.where('created_at', '>=', since);
      if (until) q = q.where('created_at', '<', until);
      return Number((await q.executeTakeFirst())?.n ?? 0);
    },
    starsOn: (orgId: string, kind: StarKind, targetIds: readonly number[]) =>
      targetIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('stars').selectAll().where('org_id', '=', orgId).where('target_kind', '=', kind).where('target_id', 'in', targetIds).orderBy('id').execute(),

    /** Stars of an item that is being deleted. */
    deleteStarsOn: (orgId: string, kind: StarKind, targetId: number) =>
      db.deleteFrom('stars').where('org_id', '=', orgId).where('target_kind', '=', kind).where('target_id', '=', targetId).execute(),

    /** Stars whose comment no longer exists (its issue was deleted). */
    deleteOrphanCommentStars: (orgId: string) =>
      db
        .deleteFrom('stars')
        .where('org_id', '=', orgId)
        .where('target_kind', '=', 'comment')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('comments').select('comments.id').whereRef('comments.id', '=', 'stars.target_id'))))
        .execute(),

    // Watchings
    insertWatching: (row: { org_id: string; user_id: number; issue_id: number; note: string; last_content_updated: string; created_at: string; updated_at: string }) =>
      db.insertInto('watchings').values({ ...row, resource_already_read: 1 }).returningAll().executeTakeFirstOrThrow(),
    findWatching: (orgId: string, id: number) => db.selectFrom('watchings').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),
    findWatchingOf: (orgId: string, userId: number, issueId: number) =>
      db.selectFrom('watchings').selectAll().where('org_id', '=', orgId).where('user_id', '=', userId).where('issue_id', '=', issueId).executeTakeFirst(),
    updateWatching: (orgId: string, id: number, changes: { note?: string; resource_already_read?: number; updated_at?: string }) =>
      db.updateTable('watchings').set(changes).where('org_id', '=', orgId).where('id', '=', id).execute(),
    deleteWatching: (orgId: string, id: number) => db.deleteFrom('watchings').where('org_id', '=', orgId).where('id', '=', id).execute(),
    watchersOf: (orgId: string, issueId: number) => db.selectFrom('watchings').select(['id', 'user_id']).where('org_id', '=', orgId).where('issue_id', '=', issueId).execute(),
    /** Watchers learn of new content: unread again. */
    touchWatchings: (orgId: string, issueId: number, exceptUserId: number, at: string) =>
      db.updateTable('watchings').set({ resource_already_read: 0, last_content_updated: at }).where('org_id', '=', orgId).where('issue_id', '=', issueId).where('user_id', '!=', exceptUserId).execute(),
    watchingsOfUser: (
      orgId: string,
      userId: number,
      projectIds: readonly number[],
      f: { resourceAlreadyRead?: boolean | undefined; issueIds?: readonly number[] | undefined; sort: 'created' | 'updated' | 'issueUpdated'; order: 'asc' | 'desc'; offset?: number; count?: number },
    ) => {
      let q = db
        .selectFrom('watchings')
        .innerJoin('issues', 'issues.id', 'watchings.issue_id')
        .selectAll('watchings')
        .where('watchings.org_id', '=', orgId)
        .where('watchings.user_id', '=', userId)
        .where('issues.project_id', 'in', projectIds.length ? projectIds : [-1]);
      if (f.resourceAlreadyRead !== undefined) q = q.where('watchings.resource_already_read', '=', f.resourceAlreadyRead ? 1 : 0);
      if (f.issueIds?.length) q = q.where('watchings.issue_id', 'in', f.issueIds);
      const column = f.sort === 'created' ? 'watchings.created_at' : f.sort === 'updated' ? 'watchings.updated_at' : 'issues.updated_at';
      q = q.orderBy(column, f.order).orderBy('watchings.id', f.order);
      if (f.count !== undefined) q = q.limit(f.count).offset(f.offset ?? 0);
      return q.execute();
    },

    // Notifications
    insertNotifications: async (rows: readonly { org_id: string; user_id: number; reason: number; project_id: number; issue_id: number | null; comment_id: number | null; sender_id: number; created_at: string }[]) => {
      if (rows.length) await db.insertInto('notifications').values(rows.map((r) => ({ ...r, already_read: 0, resource_already_read: 0 }))).execute();
    },
    notificationsOf: (orgId: string, userId: number, page: Cursor) => {
      let q = db.selectFrom('notifications').selectAll().where('org_id', '=', orgId).where('user_id', '=', userId);
      if (page.minId !== undefined) q = q.where('id', '>', page.minId);
      if (page.maxId !== undefined) q = q.where('id', '<', page.maxId);
      return q.orderBy('id', page.order).limit(page.count).execute();
    },
    notificationsOnComments: (orgId: string, commentIds: readonly number[]) =>
      commentIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('notifications').selectAll().where('org_id', '=', orgId).where('comment_id', 'in', commentIds).orderBy('id').execute(),
    /** Notifications about a comment that is being deleted (the column has no foreign key to cascade). */
    deleteNotificationsOfComment: (orgId: string, commentId: number) => db.deleteFrom('notifications').where('org_id', '=', orgId).where('comment_id', '=', commentId).execute(),
    countNotifications: async (orgId: string, userId: number, f: { alreadyRead?: boolean | undefined; resourceAlreadyRead?: boolean | undefined }) => {
      let q = db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).where('user_id', '=', userId);
      if (f.alreadyRead !== undefined) q = q.where('already_read', '=', f.alreadyRead ? 1 : 0);
      if (f.resourceAlreadyRead !== undefined) q = q.where('resource_already_read', '=', f.resourceAlreadyRead ? 1 : 0);
      return Number((await q.executeTakeFirst())?.n ?? 0);
    },
    markNotificationRead: async (orgId: string, userId: number, id: number) =>
      Number((await db.updateTable('notifications').set({ already_read: 1, resource_already_read: 1 }).where('org_id', '=', orgId).where('user_id', '=', userId).where('id', '=', id).executeTakeFirst()).numUpdatedRows),
    markAllNotificationsRead: (orgId: string, userId: number) =>
      db.updateTable('notifications').set({ already_read: 1 }).where('org_id', '=', orgId).where('user_id', '=', userId).where('already_read', '=', 0).execute(),

    // Activities
    insertActivity: (row: { org_id: string; project_id: number; type: number; content: string; created_user_id: number; created_at: string }) =>
      db.insertInto('activities').values(row).returningAll().executeTakeFirstOrThrow(),
    activities: (orgId: string, f: { projectIds: readonly number[]; userId?: number | undefined; types?: readonly number[] | undefined }, page: Cursor) => {
      let q = db.selectFrom('activities').selectAll().where('org_id', '=', orgId).where('project_id', 'in', f.projectIds.length ? f.projectIds : [-1]);
      if (f.userId !== undefined) q = q.where('created_user_id', '=', f.userId);
      if (f.types?.length) q = q.where('type', 'in', f.types);
      if (page.minId !== undefined) q = q.where('id', '>', page.minId);
      if (page.maxId !== undefined) q = q.where('id', '<', page.maxId);
      return q.orderBy('id', page.order).limit(page.count).execute();
    },

    // Recently viewed
    recordView: async (orgId: string, userId: number, kind: 'issue' | 'project' | 'wiki', targetId: number, at: string) => {
      const updated = await db.updateTable('recent_views').set({ viewed_at: at }).where('org_id', '=', orgId).where('user_id', '=', userId).where('kind', '=', kind).where('target_id', '=', targetId).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await db.insertInto('recent_views').values({ org_id: orgId, user_id: userId, kind, target_id: targetId, viewed_at: at }).execute();
    },
    recentViews: (orgId: string, userId: number, kind: 'issue' | 'project' | 'wiki', page: { order: 'asc' | 'desc'; offset: number; count: number }) =>
      db
        .selectFrom('recent_views')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .where('kind', '=', kind)
        .orderBy('viewed_at', page.order)
        .limit(page.count)
        .offset(page.offset)
        .execute(),

    // Space notification
    findNotice: (orgId: string) => db.selectFrom('space_notices').selectAll().where('org_id', '=', orgId).executeTakeFirst(),
    putNotice: async (orgId: string, content: string, at: string) => {
      const updated = await db.updateTable('space_notices').set({ content, updated_at: at }).where('org_id', '=', orgId).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await db.insertInto('space_notices').values({ org_id: orgId, content, updated_at: at }).execute();
    },
  };
}
