import type { Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';

/** Every SQL statement for blobs and attachments. Every read filters by org (W7.7). */
export function createAttachmentsRepository(db: Kysely<ProjectsDb>) {
  return {
    insertBlob: (row: { org_id: string; size: number; data: string; created_at: string }) => db.insertInto('blobs').values(row).returning('id').executeTakeFirstOrThrow(),

    blobData: async (orgId: string, blobId: number) =>
      (await db.selectFrom('blobs').select('data').where('org_id', '=', orgId).where('id', '=', blobId).executeTakeFirst())?.data,

    insert: (row: { org_id: string; blob_id: number; name: string; size: number; content_type: string; created_user_id: number; created_at: string }) =>
      db.insertInto('attachments').values({ ...row, issue_id: null, wiki_id: null, project_id: null }).returningAll().executeTakeFirstOrThrow(),

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
            .where('wiki_id', 'is', null)
            .where('created_at', '>=', since)
            .where('id', 'in', ids)
            .execute(),

    attach: (orgId: string, ids: readonly number[], issueId: number, projectId: number) =>
      ids.length === 0
        ? Promise.resolve([])
        : db.updateTable('attachments').set({ issue_id: issueId, project_id: projectId }).where('org_id', '=', orgId).where('id', 'in', ids).where('issue_id', 'is', null).where('wiki_id', 'is', null).execute(),

    attachToWiki: (orgId: string, ids: readonly number[], wikiId: number, projectId: number) =>
      ids.length === 0
        ? Promise.resolve([])
        : db.updateTable('attachments').set({ wiki_id: wikiId, project_id: projectId }).where('org_id', '=', orgId).where('id', 'in', ids).where('issue_id', 'is', null).where('wiki_id', 'is', null).execute(),

    ofWikis: (orgId: string, wikiIds: readonly number[]) =>
      wikiIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('attachments').selectAll().where('org_id', '=', orgId).where('wiki_id', 'in', wikiIds).orderBy('id').execute(),

    findOfWiki: (orgId: string, wikiId: number, id: number) =>
      db.selectFrom('attachments').selectAll().where('org_id', '=', orgId).where('wiki_id', '=', wikiId).where('id', '=', id).executeTakeFirst(),

    /** A page's files go with it: the blobs first (the rows follow by cascade), so no bytes outlive the page. */
    deleteOfWiki: async (orgId: string, wikiId: number) => {
      const rows = await db.selectFrom('attachments').select('blob_id').where('org_id', '=', orgId).where('wiki_id', '=', wikiId).execute();
      if (rows.length) await db.deleteFrom('blobs').where('org_id', '=', orgId).where('id', 'in', rows.map((r) => r.blob_id)).execute();
    },

    ofIssues: (orgId: string, issueIds: readonly number[]) =>
      issueIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('attachments').selectAll().where('org_id', '=', orgId).where('issue_id', 'in', issueIds).orderBy('id').execute(),

    findOfIssue: (orgId: string, issueId: number, id: number) =>
      db.selectFrom('attachments').selectAll().where('org_id', '=', orgId).where('issue_id', '=', issueId).where('id', '=', id).executeTakeFirst(),

    /** Deleting the blob cascades to its attachment row. */
    deleteWithBlob: (orgId: string, blobId: number) => db.deleteFrom('blobs').where('org_id', '=', orgId).where('id', '=', blobId).execute(),

    /** Bytes whose attachment row is gone (its issue was deleted, cascading to the row): deleted too. */
    deleteOrphanBlobs: (orgId: string) =>
      db
        .deleteFrom('blobs')
        .where('org_id', '=', orgId)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('attachments').select('attachments.id').whereRef('attachments.blob_id', '=', 'blobs.id'))))
        .execute(),

    /** Pending uploads older than `before` are dropped (Backlog: after an hour). */
    prunePending: async (orgId: string, before: string) => {
      const stale = await db
        .selectFrom('attachments')
        .select('blob_id')
        .where('org_id', '=', orgId)
        .where('issue_id', 'is', null)
        .where('wiki_id', 'is', null)
        .where('created_at', '<', before)
        .execute();
      if (stale.length) await db.deleteFrom('blobs').where('org_id', '=', orgId).where('id', 'in', stale.map((s) => s.blob_id)).execute();
    },

    /** Bytes attached to the issues and to the wiki pages of each project (disk usage). */
    sizeByProject: async (orgId: string) => {
      const rows = await db
        .selectFrom('attachments')
        .select(['project_id', (eb) => eb.fn.sum<number>('size').as('bytes'), (eb) => eb.fn.sum<number>(eb.case().when('wiki_id', 'is not', null).then(eb.ref('size')).else(0).end()).as('wiki_bytes')])
        .where('org_id', '=', orgId)
        .where('project_id', 'is not', null)
        .groupBy('project_id')
        .execute();
      // `bytes` keeps meaning issue files, as the disk-usage callers read it.
      return rows.map((r) => ({ project_id: r.project_id, bytes: Number(r.bytes ?? 0) - Number(r.wiki_bytes ?? 0), wiki_bytes: Number(r.wiki_bytes ?? 0) }));
    },
  };
}
