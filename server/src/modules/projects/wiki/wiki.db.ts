import type { Generated, Selectable } from 'kysely';

/** Wiki tables of the projects store (migration 20261126T2250-wiki-documents). */
export interface WikiTable {
  id: Generated<number>;
  org_id: string;
  project_id: number;
  name: string;
  content: string;
  version: Generated<number>;
  created_user_id: number;
  created_at: string;
  updated_user_id: number;
  updated_at: string;
}

export interface WikiTagTable {
  id: Generated<number>;
  org_id: string;
  project_id: number;
  name: string;
}

export interface WikiPageTagTable {
  org_id: string;
  wiki_id: number;
  tag_id: number;
}

export interface WikiHistoryTable {
  id: Generated<number>;
  org_id: string;
  wiki_id: number;
  version: number;
  name: string;
  content: string;
  created_user_id: number;
  created_at: string;
}

export interface WikiTables {
  wikis: WikiTable;
  wiki_tags: WikiTagTable;
  wiki_page_tags: WikiPageTagTable;
  wiki_history: WikiHistoryTable;
}

export type WikiRow = Selectable<WikiTable>;
export type WikiHistoryRow = Selectable<WikiHistoryTable>;
