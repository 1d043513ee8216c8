import type { Insertable, Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { SharedFileRow, SharedFileTable } from './shared-files.db';

/** A new entry; its `updated_*` start as its `created_*`. */
export type NewSharedFile = Omit<Insertable<SharedFileTable>, 'id' | 'updated_user_id' | 'updated_at'>;

export type LinkTarget = { issueId: number } | { wikiId: number };

/** Every SQL statement for shared files, their bytes and their links. Every read filters by org (W7.7). */
export function createSharedFilesRepository(db: Kysely<ProjectsDb>) {
  const linksOf = (orgId: string, target: LinkTarget) => {
    const query = db.selectFrom('shared_file_links').where('shared_file_links.org_id', '=', orgId);
    return 'issueId' in target ? query.where('shared_file_links.issue_id', '=', target.issueId) : query.where('shared_file_links.wiki_id', '=', target.wikiId);
  };

  return {
    insert: (row: NewSharedFile) =>
      db
        .insertInto('shared_files')
        .values({ ...row, updated_user_id: row.created_user_id, updated_at: row.created_at })
        .returningAll()
        .executeTakeFirstOrThrow(),

    insertData: (row: { file_id: number; org_id: string; data: string }) => db.insertInto('shared_file_data').values(row).execute(),

    data: async (orgId: string, fileId: number) =>
      (await db.selectFrom('shared_file_data').select('data').where('org_id', '=', orgId).where('file_id', '=', fileId).executeTakeFirst())?.data,

    findById: (orgId: string, projectId: number, id: number) =>
      db.selectFrom('shared_files').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst(),

    /** The entry named `name` in directory `dir` (the path `dir + name`). */
    findByPath: (orgId: string, projectId: number, dir: string, name: string) =>
      db
        .selectFrom('shared_files')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('project_id', '=', projectId)
        .where('dir', '=', dir)
        .where('name', '=', name)
        .executeTakeFirst(),

    listDir: (orgId: string, projectId: number, dir: string, page: { order: 'asc' | 'desc'; offset: number; count: number }) =>
      db
        .selectFrom('shared_files')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('project_id', '=', projectId)
        .where('dir', '=', dir)
        .orderBy('name', page.order)
        .orderBy('id', page.order)
        .limit(page.count)
        .offset(page.offset)
        .execute(),

    hasChildren: async (orgId: string, projectId: number, path: string) =>
      (await db.selectFrom('shared_files').select('id').where('org_id', '=', orgId).where('project_id', '=', projectId).where('dir', '=', path).limit(1).executeTakeFirst()) !== undefined,

    /** Files of the project among `ids` (other projects' and other orgs' ids simply do not match). */
    filesIn: (orgId: string, projectId: number, ids: readonly number[]) =>
      ids.length === 0
        ? Promise.resolve([] as SharedFileRow[])
        : db.selectFrom('shared_files').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).where('type', '=', 'file').where('id', 'in', ids).execute(),

    /** The bytes and the links go with the row (foreign keys cascade). */
    delete: (orgId: string, id: number) => db.deleteFrom('shared_files').where('org_id', '=', orgId).where('id', '=', id).execute(),

    linked: (orgId: string, target: LinkTarget) =>
      linksOf(orgId, target)
        .innerJoin('shared_files', 'shared_files.id', 'shared_file_links.file_id')
        .selectAll('shared_files')
        .where('shared_files.org_id', '=', orgId)
        .orderBy('shared_file_links.id')
        .execute(),

    /** Files linked to any of `issueIds`, each with the issue it is linked to (a page of issues at once). */
    linkedToIssues: (orgId: string, issueIds: readonly number[]) =>
      issueIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('shared_file_links')
            .innerJoin('shared_files', 'shared_files.id', 'shared_file_links.file_id')
            .selectAll('shared_files')
            .select('shared_file_links.issue_id as linked_issue_id')
            .where('shared_file_links.org_id', '=', orgId)
            .where('shared_files.org_id', '=', orgId)
            .where('shared_file_links.issue_id', 'in', issueIds)
            .orderBy('shared_file_links.id')
            .execute(),

    /** Files linked to any of `wikiIds`, each with the page it is linked to. */
    linkedToWikis: (orgId: string, wikiIds: readonly number[]) =>
      wikiIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('shared_file_links')
            .innerJoin('shared_files', 'shared_files.id', 'shared_file_links.file_id')
            .selectAll('shared_files')
            .select('shared_file_links.wiki_id as linked_wiki_id')
            .where('shared_file_links.org_id', '=', orgId)
            .where('shared_files.org_id', '=', orgId)
            .where('shared_file_links.wiki_id', 'in', wikiIds)
            .orderBy('shared_file_links.id')
            .execute(),

    linkedIds: async (orgId: string, target: LinkTarget) => (await linksOf(orgId, target).select('shared_file_links.file_id').execute()).map((r) => r.file_id),

    link: (rows: readonly { org_id: string; file_id: number; issue_id: number | null; wiki_id: number | null; created_user_id: number; created_at: string }[]) =>
      rows.length === 0 ? Promise.resolve([]) : db.insertInto('shared_file_links').values([...rows]).execute(),

    unlink: async (orgId: string, target: LinkTarget, fileId: number) => {
      const base = db.deleteFrom('shared_file_links').where('org_id', '=', orgId).where('file_id', '=', fileId);
      const result = await ('issueId' in target ? base.where('issue_id', '=', target.issueId) : base.where('wiki_id', '=', target.wikiId)).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Bytes of shared files per project (disk usage, `file`). */
    sizeByProject: async (orgId: string) => {
      const rows = await db
        .selectFrom('shared_files')
        .select(['project_id', (eb) => eb.fn.sum<number>('size').as('bytes')])
        .where('org_id', '=', orgId)
        .groupBy('project_id')
        .execute();
      return new Map(rows.map((r) => [r.project_id, Number(r.bytes ?? 0)]));
    },
  };
}
