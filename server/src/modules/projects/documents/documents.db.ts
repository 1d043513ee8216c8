import type { Selectable } from 'kysely';

/** The document tree of a project (migration 20261126T2250-wiki-documents). Ids are text, as Backlog's. */
export interface DocumentTable {
  id: string;
  org_id: string;
  project_id: number;
  parent_id: string | null;
  title: string;
  content: string;
  emoji: string | null;
  status_id: number;
  display_order: number;
  created_user_id: number;
  created_at: string;
  updated_user_id: number;
  updated_at: string;
}

export interface DocumentTables {
  documents: DocumentTable;
}

export type DocumentRow = Selectable<DocumentTable>;
