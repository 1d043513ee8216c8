import type { Generated, Selectable } from 'kysely';

/** Social tables of the projects store (migration 20261126T2340-social). */
export type StarKind = 'issue' | 'comment' | 'wiki';

export interface StarTable {
  id: Generated<number>;
  org_id: string;
  /** Who gave the star (Backlog's `presenter`). */
  user_id: number;
  /** The author of the starred item, who received it (`/users/:id/stars`); null for stars given before migration 0322 whose item is gone. */
  receiver_id: number | null;
  target_kind: StarKind;
  target_id: number;
  project_id: number;
  title: string;
  url: string;
  created_at: string;
}

export interface WatchingTable {
  id: Generated<number>;
  org_id: string;
  user_id: number;
  issue_id: number;
  note: string;
  resource_already_read: number;
  last_content_updated: string;
  created_at: string;
  updated_at: string;
}

export interface NotificationTable {
  id: Generated<number>;
  org_id: string;
  /** The recipient. */
  user_id: number;
  reason: number;
  project_id: number;
  issue_id: number | null;
  comment_id: number | null;
  sender_id: number;
  already_read: number;
  resource_already_read: number;
  created_at: string;
}

export interface ActivityTable {
  id: Generated<number>;
  org_id: string;
  project_id: number;
  type: number;
  /** JSON of Backlog's per-type content (snake_case keys, as Backlog writes them). */
  content: string;
  created_user_id: number;
  created_at: string;
}

export interface RecentViewTable {
  org_id: string;
  user_id: number;
  kind: 'issue' | 'project' | 'wiki';
  target_id: number;
  viewed_at: string;
}

export interface SpaceNoticeTable {
  org_id: string;
  content: string;
  updated_at: string;
}

export interface SocialTables {
  stars: StarTable;
  watchings: WatchingTable;
  notifications: NotificationTable;
  activities: ActivityTable;
  recent_views: RecentViewTable;
  space_notices: SpaceNoticeTable;
}

export type StarRow = Selectable<StarTable>;
export type WatchingRow = Selectable<WatchingTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type ActivityRow = Selectable<ActivityTable>;
