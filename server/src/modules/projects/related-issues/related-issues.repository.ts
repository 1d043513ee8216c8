import type { Kysely } from 'kysely';
import { toCount } from '../../../kernel/dialect';
import type { IssueRow, ProjectsDb } from '../projects.db';

/** A relation is stored once, smaller id first. */
const pair = (a: number, b: number) => (a < b ? { low_issue_id: a, high_issue_id: b } : { low_issue_id: b, high_issue_id: a });

/** Every SQL statement for related issues. Every read filters by org (W7.7). */
export function createRelatedIssuesRepository(db: Kysely<ProjectsDb>) {
  return {
    /** The issues related to `issueId`, oldest relation first (two indexed reads, whatever the count). */
    relatedTo: async (orgId: string, issueId: number): Promise<IssueRow[]> => {
      // The other side of each pair the issue is on, read from either column.
      const otherSide = (mine: 'low_issue_id' | 'high_issue_id', other: 'low_issue_id' | 'high_issue_id') =>
        db
          .selectFrom('issue_relations')
          .innerJoin('issues', 'issues.id', `issue_relations.${other}`)
          .selectAll('issues')
          .select('issue_relations.created_at as related_at')
          .where('issue_relations.org_id', '=', orgId)
          .where('issues.org_id', '=', orgId)
          .where(`issue_relations.${mine}`, '=', issueId)
          .execute();
      const [up, down] = await Promise.all([otherSide('low_issue_id', 'high_issue_id'), otherSide('high_issue_id', 'low_issue_id')]);
      return [...up, ...down]
        .sort((a, b) => a.related_at.localeCompare(b.related_at) || a.id - b.id)
        .map(({ related_at: _relatedAt, ...issue }) => issue);
    },

    count: async (orgId: string, issueId: number) => {
      const row = await db
        .selectFrom('issue_relations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .where((eb) => eb.or([eb('low_issue_id', '=', issueId), eb('high_issue_id', '=', issueId)]))
        .executeTakeFirst();
      return toCount(row?.n);
    },

    exists: async (orgId: string, a: number, b: number) => {
      const key = pair(a, b);
      const row = await db.selectFrom('issue_relations').select('low_issue_id').where('org_id', '=', orgId).where('low_issue_id', '=', key.low_issue_id).where('high_issue_id', '=', key.high_issue_id).executeTakeFirst();
      return row !== undefined;
    },

    insert: (orgId: string, a: number, b: number, userId: number, at: string) =>
      db.insertInto('issue_relations').values({ org_id: orgId, ...pair(a, b), created_user_id: userId, created_at: at }).execute(),

    /** Rows deleted (0 when the two were not related). */
    delete: async (orgId: string, a: number, b: number) => {
      const key = pair(a, b);
      const result = await db.deleteFrom('issue_relations').where('org_id', '=', orgId).where('low_issue_id', '=', key.low_issue_id).where('high_issue_id', '=', key.high_issue_id).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
