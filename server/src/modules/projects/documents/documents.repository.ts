import type { Kysely } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { DocumentTable } from './documents.db';

export interface DocumentQuery {
  projectIds: readonly number[];
  keyword?: string | undefined;
  sort: 'created' | 'updated';
  order: 'asc' | 'desc';
  offset: number;
  count: number;
}

const likePattern = (keyword: string) => `%${keyword.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Every SQL statement for the document tree. Every read filters by org (W7.7). */
export function createDocumentsRepository(db: Kysely<ProjectsDb>) {
  return {
    list: (orgId: string, q: DocumentQuery) => {
      let query = db.selectFrom('documents').selectAll().where('org_id', '=', orgId).where('project_id', 'in', q.projectIds.length ? q.projectIds : [-1]);
      if (q.keyword) {
        const pattern = likePattern(q.keyword);
        query = query.where((eb) => eb.or([eb(eb.fn('lower', ['title']), 'like', pattern), eb(eb.fn('lower', ['content']), 'like', pattern)]));
      }
      return query
        .orderBy(q.sort === 'created' ? 'created_at' : 'updated_at', q.order)
        .orderBy('id', q.order)
        .limit(q.count)
        .offset(q.offset)
        .execute();
    },

    inProject: (orgId: string, projectId: number) =>
      db.selectFrom('documents').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).orderBy('display_order').orderBy('created_at').execute(),

    findById: (orgId: string, id: string) => db.selectFrom('documents').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    childIds: async (orgId: string, parentId: string) =>
      (await db.selectFrom('documents').select('id').where('org_id', '=', orgId).where('parent_id', '=', parentId).orderBy('display_order').execute()).map((r) => r.id),

    /** The order a new sibling takes: after the last (`addLast`) or before the first. */
    edgeOrder: async (orgId: string, projectId: number, parentId: string | null, last: boolean) => {
      let query = db.selectFrom('documents').where('org_id', '=', orgId).where('project_id', '=', projectId);
      query = parentId === null ? query.where('parent_id', 'is', null) : query.where('parent_id', '=', parentId);
      const row = await query.select((eb) => [eb.fn.max('display_order').as('max'), eb.fn.min('display_order').as('min')]).executeTakeFirst();
      if (row?.max === null || row?.max === undefined) return 0;
      return last ? Number(row.max) + 1 : Number(row.min) - 1;
    },

    insert: (row: DocumentTable) => db.insertInto('documents').values(row).execute(),

    deleteMany: (orgId: string, ids: readonly string[]) => (ids.length ? db.deleteFrom('documents').where('org_id', '=', orgId).where('id', 'in', ids).execute() : Promise.resolve([])),
  };
}
