import type { Selectable } from 'kysely';

/** Related-issue table of the projects store (migration 20261127T0314-related-issues). */
export interface IssueRelationTable {
  org_id: string;
  /** The smaller of the two issue ids: a relation is undirected and stored once. */
  low_issue_id: number;
  high_issue_id: number;
  created_user_id: number;
  created_at: string;
}

export interface RelatedIssueTables {
  issue_relations: IssueRelationTable;
}

export type IssueRelationRow = Selectable<IssueRelationTable>;
