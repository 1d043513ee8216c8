import type { Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';

/** Every SQL statement for blobs and attachments. Every read filters by org (W7.7). */
export function createAttachmentsRepository(db: Kysely<ProjectsDb>) {
  return {
    insertBlob: (row: { org_id: string; size: number; data: string; created_at: string }) => db.insertInto('blobs').values(row).returning('id').executeTakeFirstOrThrow(),

    blobData: async (orgId: string, blobId: number) =>
      (await db.selectFrom('blobs').select('data').where('org_id', '=', orgId).where('id', '=', blobId).executeTakeFirst())?.data,

    insert: (row: { org_id: string; blob_id: number; name: string; size: number; content_type: string; created_user_id: number; created_at: string }) =>
      db.insertInto('attachments').values({ ...row, issue_id: null, project_id: null }).returningAll().executeTakeFirstOrThrow(),

    /** The caller's own uploads, still pending and younger than `since`. */
    pendingOf: (orgId: string, userId: number, ids: readonly number[], since: string) =>
      ids.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('attachments')
            .selectAll()
            .where('org_id', '=', orgId)
            .where('created_user_id', '=', userId)
            .where('issue_id', 'is', null)
            .where('created_at', '>=', since)
            .where('id', 'in', ids)
            .execute(),

    attach: (orgId: string, ids: readonly number[], issueId: number, projectId: number) =>
      ids.length === 0
        ? Promise.resolve([])
        : db.updateTable('attachments').set({ issue_id: issueId, project_id: projectId }).where('org_id', '=', orgId).where('id', 'in', ids).where('issue_id', 'is', null).execute(),

    ofIssues: (orgId: string, issueIds: readonly number[]) =>
      issueIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('attachments').selectAll().where('org_id', '=', orgId).where('issue_id', 'in', issueIds).orderBy('id').execute(),

    findOfIssue: (orgId: string, issueId: number, id: number) =>
      db.selectFrom('attachments').selectAll().where('org_id', '=', orgId).where('issue_id', '=', issueId).where('id', '=', id).executeTakeFirst(),

    /** Deleting the blob cascades to its attachment row. */
    deleteWithBlob: (orgId: string, blobId: number) => db.deleteFrom('blobs').where('org_id', '=', orgId).where('id', '=', blobId).execute(),

    /** Pending uploads older than `before` are dropped (Backlog: after an hour). */
    prunePending: async (orgId: string, before: string) => {
      const stale = await db.selectFrom('attachments').select('blob_id').where('org_id', '=', orgId).where('issue_id', 'is', null).where('created_at', '<', before).execute();
      if (stale.length) await db.deleteFrom('blobs').where('org_id', '=', orgId).where('id', 'in', stale.map((s) => s.blob_id)).execute();
    },

    /** Bytes attached to the issues of each project (disk usage). */
    sizeByProject: (orgId: string) =>
      db.selectFrom('attachments').select(['project_id', (eb) => eb.fn.sum<number>('size').as('bytes')]).where('org_id', '=', orgId).where('project_id', 'is not', null).groupBy('project_id').execute(),
  };
}
