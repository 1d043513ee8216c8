import type { Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import { searchDialect } from '../search/index';

/** Every SQL statement for wiki pages, their tags and their history. Every read filters by org (W7.7). */
export function createWikiRepository(db: Kysely<ProjectsDb>) {
  const search = searchDialect(db);
  const inProject = (orgId: string, projectId: number, keyword?: string) => {
    let query = db.selectFrom('wikis').where('wikis.org_id', '=', orgId).where('wikis.project_id', '=', projectId);
    if (keyword) query = query.where(search.wikiMatches(keyword));
    return query;
  };
  return {
    list: (orgId: string, projectId: number, keyword?: string) => inProject(orgId, projectId, keyword).selectAll('wikis').orderBy('wikis.name').orderBy('wikis.id').execute(),

    count: async (orgId: string, projectId: number) => {
      const row = await inProject(orgId, projectId).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    findById: (orgId: string, id: number) => db.selectFrom('wikis').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    findByName: (orgId: string, projectId: number, name: string) =>
      db.selectFrom('wikis').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst(),

    insert: (row: { org_id: string; project_id: number; name: string; content: string; created_user_id: number; created_at: string }) =>
      db
        .insertInto('wikis')
        .values({ ...row, version: 1, updated_user_id: row.created_user_id, updated_at: row.created_at })
        .returningAll()
        .executeTakeFirstOrThrow(),

    update: (orgId: string, id: number, changes: { name: string; content: string; version: number; updated_user_id: number; updated_at: string }) =>
      db.updateTable('wikis').set(changes).where('org_id', '=', orgId).where('id', '=', id).execute(),

    delete: (orgId: string, id: number) => db.deleteFrom('wikis').where('org_id', '=', orgId).where('id', '=', id).execute(),

    /** The project's tags by name, created on first use. */
    ensureTags: async (orgId: string, projectId: number, names: readonly string[]) => {
      if (names.length === 0) return [];
      await db
        .insertInto('wiki_tags')
        .values(names.map((name) => ({ org_id: orgId, project_id: projectId, name })))
        .onConflict((oc) => oc.columns(['org_id', 'project_id', 'name']).doNothing())
        .execute();
      return db.selectFrom('wiki_tags').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).where('name', 'in', names).execute();
    },

    setPageTags: async (orgId: string, wikiId: number, tagIds: readonly number[]) => {
      await db.deleteFrom('wiki_page_tags').where('org_id', '=', orgId).where('wiki_id', '=', wikiId).execute();
      if (tagIds.length) await db.insertInto('wiki_page_tags').values(tagIds.map((tag_id) => ({ org_id: orgId, wiki_id: wikiId, tag_id }))).execute();
    },

    tagsOf: (orgId: string, wikiIds: readonly number[]) =>
      wikiIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('wiki_page_tags')
            .innerJoin('wiki_tags', 'wiki_tags.id', 'wiki_page_tags.tag_id')
            .select(['wiki_page_tags.wiki_id', 'wiki_tags.id', 'wiki_tags.name'])
            .where('wiki_page_tags.org_id', '=', orgId)
            .where('wiki_page_tags.wiki_id', 'in', wikiIds)
            .orderBy('wiki_tags.name')
            .execute(),

    /** Tags in use by at least one page of the project. */
    projectTags: (orgId: string, projectId: number) =>
      db
        .selectFrom('wiki_tags')
        .select(['wiki_tags.id', 'wiki_tags.name'])
        .where('wiki_tags.org_id', '=', orgId)
        .where('wiki_tags.project_id', '=', projectId)
        .where((eb) => eb.exists(eb.selectFrom('wiki_page_tags').select('wiki_page_tags.tag_id').whereRef('wiki_page_tags.tag_id', '=', 'wiki_tags.id')))
        .orderBy('wiki_tags.name')
        .execute(),

    insertHistory: (row: { org_id: string; wiki_id: number; version: number; name: string; content: string; created_user_id: number; created_at: string }) =>
      db.insertInto('wiki_history').values(row).execute(),

    /** Cursor paging as Backlog does it: `minId`/`maxId` are exclusive version bounds. */
    history: (orgId: string, wikiId: number, page: { minId?: number | undefined; maxId?: number | undefined; count: number; order: 'asc' | 'desc' }) => {
      let query = db.selectFrom('wiki_history').selectAll().where('org_id', '=', orgId).where('wiki_id', '=', wikiId);
      if (page.minId !== undefined) query = query.where('version', '>', page.minId);
      if (page.maxId !== undefined) query = query.where('version', '<', page.maxId);
      return query.orderBy('version', page.order).limit(page.count).execute();
    },
  };
}
