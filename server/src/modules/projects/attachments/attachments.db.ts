import type { Generated, Selectable } from 'kysely';

/** Attachment tables of the projects store (migration 20261126T2330-attachments). */
export interface BlobTable {
  id: Generated<number>;
  org_id: string;
  size: number;
  /** The bytes, base64. */
  data: string;
  created_at: string;
}

export interface AttachmentTable {
  id: Generated<number>;
  org_id: string;
  blob_id: number;
  name: string;
  size: number;
  content_type: string;
  /** Null while pending (uploaded, not attached yet) or attached to a wiki page. */
  issue_id: number | null;
  /** The wiki page it is attached to (migration 20261127T0315); null for issue files and pending uploads. */
  wiki_id: number | null;
  project_id: number | null;
  created_user_id: number;
  created_at: string;
}

export interface AttachmentTables {
  blobs: BlobTable;
  attachments: AttachmentTable;
}

export type AttachmentRow = Selectable<AttachmentTable>;
