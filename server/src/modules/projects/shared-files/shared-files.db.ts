import type { Generated, Selectable } from 'kysely';

/** Shared-file tables of the projects store (migration 20261127T0316-shared-files). */
export type SharedFileType = 'file' | 'directory';

export interface SharedFileTable {
  id: Generated<number>;
  org_id: string;
  project_id: number;
  type: SharedFileType;
  /** The parent directory's path: `/` at the root, else `/a/b/` (leading and trailing slash, as Backlog writes it). */
  dir: string;
  name: string;
  /** Bytes of a file; 0 for a directory. */
  size: number;
  /** The type the uploader declared; null for a directory. */
  content_type: string | null;
  created_user_id: number;
  created_at: string;
  updated_user_id: number;
  updated_at: string;
}

/** The bytes of a file (base64), apart from the metadata so listings never read them. */
export interface SharedFileDataTable {
  file_id: number;
  org_id: string;
  data: string;
}

/** A file linked to an issue or to a wiki page (exactly one of the two is set). */
export interface SharedFileLinkTable {
  id: Generated<number>;
  org_id: string;
  file_id: number;
  issue_id: number | null;
  wiki_id: number | null;
  created_user_id: number;
  created_at: string;
}

export interface SharedFileTables {
  shared_files: SharedFileTable;
  shared_file_data: SharedFileDataTable;
  shared_file_links: SharedFileLinkTable;
}

export type SharedFileRow = Selectable<SharedFileTable>;
