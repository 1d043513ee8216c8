import type { Generated, Insertable, Selectable } from 'kysely';
import type { StoreSpec } from '../../kernel/store';
import * as createProjects from './migrations/20261125T2010-create-projects';
import * as wikiDocuments from './migrations/20261126T2250-wiki-documents';
import * as search from './migrations/20261126T2255-search';
import * as oauth from './migrations/20261126T2300-oauth';
import * as restrictions from './migrations/20261126T2305-restrictions';
import * as customFields from './migrations/20261126T2310-custom-fields';
import * as classic from './migrations/20261126T2320-classic';
import * as attachments from './migrations/20261126T2330-attachments';
import * as social from './migrations/20261126T2340-social';
import * as webhooks from './migrations/20261127T0313-webhooks';
import * as classicSessions from './migrations/20261127T0314-classic-sessions';
import * as relatedIssues from './migrations/20261127T0314-related-issues';
import * as wikiAttachments from './migrations/20261127T0315-wiki-attachments';
import * as sharedFiles from './migrations/20261127T0316-shared-files';
import * as teams from './migrations/20261127T0317-teams';
import * as starReceivers from './migrations/20261127T0322-star-receivers';
import * as purgeIndexes from './migrations/20261127T0440-purge-indexes';
import type { AttachmentTables } from './attachments/attachments.db';
import type { ClassicTables } from './classic/classic.db';
import type { CustomFieldTables } from './custom-fields/custom-fields.db';
import type { DocumentTables } from './documents/documents.db';
import type { OAuthTables } from './oauth/oauth.db';
import type { RelatedIssueTables } from './related-issues/related-issues.db';
import type { RoleTables } from './roles/roles.db';
import type { SharedFileTables } from './shared-files/shared-files.db';
import type { SocialTables } from './social/social.db';
import type { TeamTables } from './teams/teams.db';
import type { WebhookTables } from './webhooks/webhooks.db';
import type { WikiTables } from './wiki/wiki.db';

/**
 * The projects store, one per region (W3.2). Unlike the platform stores (text ids, DESIGN), ids here
 * are integers numbered by the database: Backlog API v2 clients (backlog-js, backlog-mcp-server)
 * type every id as a number and send them back as numbers. Every row still carries `org_id`, and
 * every repository read filters on it (W7.7), so a numeric id of another org never resolves.
 */
export interface SpaceTable {
  id: Generated<number>;
  org_id: string;
  space_key: string;
  region: string;
  created_at: string;
  updated_at: string;
  purged_at: string | null;
}

export interface SpaceUserTable {
  id: Generated<number>;
  org_id: string;
  account_id: string;
  created_at: string;
}

export interface ProjectTable {
  id: Generated<number>;
  org_id: string;
  project_key: string;
  name: string;
  chart_enabled: number;
  use_resolved_for_chart: number;
  subtasking_enabled: number;
  project_leader_can_edit_project_leader: number;
  use_wiki: number;
  use_file_sharing: number;
  text_formatting_rule: string;
  archived: number;
  display_order: number;
  last_key_id: number;
  created_at: string;
  updated_at: string;
}

export interface ProjectMemberTable {
  org_id: string;
  project_id: number;
  user_id: number;
  is_admin: number;
  created_at: string;
}

export interface NamedTable {
  id: Generated<number>;
  org_id: string;
  project_id: number;
  name: string;
  display_order: number;
}

export interface IssueTypeTable extends NamedTable {
  color: string;
}

export interface StatusTable extends NamedTable {
  status_id: number;
  color: string;
}

export interface VersionTable extends NamedTable {
  description: string | null;
  start_date: string | null;
  release_due_date: string | null;
  archived: number;
}

export interface IssueTable {
  id: Generated<number>;
  org_id: string;
  project_id: number;
  key_id: number;
  issue_type_id: number;
  summary: string;
  description: string;
  resolution_id: number | null;
  priority_id: number;
  status_id: number;
  assignee_id: number | null;
  start_date: string | null;
  due_date: string | null;
  estimated_hours: number | null;
  actual_hours: number | null;
  parent_issue_id: number | null;
  created_user_id: number;
  created_at: string;
  updated_user_id: number;
  updated_at: string;
}

export type IssueLinkKind = 'category' | 'version' | 'milestone';

export interface IssueLinkTable {
  org_id: string;
  issue_id: number;
  kind: IssueLinkKind;
  target_id: number;
}

export interface CommentTable {
  id: Generated<number>;
  org_id: string;
  issue_id: number;
  content: string | null;
  created_user_id: number;
  created_at: string;
  updated_at: string;
}

export interface CommentChangeTable {
  org_id: string;
  comment_id: number;
  position: number;
  field: string;
  new_value: string | null;
  original_value: string | null;
  /** A custom field's change (`attributeInfo`) or an attachment's (`attachmentInfo`), migration 2310. */
  attribute_id?: number | null;
  attribute_type_id?: number | null;
  attachment_id?: number | null;
}

export interface ProjectsDb extends TeamTables, WikiTables, DocumentTables, OAuthTables, RoleTables, ClassicTables, CustomFieldTables, AttachmentTables, SocialTables, SharedFileTables, RelatedIssueTables, WebhookTables {
  spaces: SpaceTable;
  space_users: SpaceUserTable;
  projects: ProjectTable;
  project_members: ProjectMemberTable;
  issue_types: IssueTypeTable;
  categories: NamedTable;
  statuses: StatusTable;
  versions: VersionTable;
  issues: IssueTable;
  issue_links: IssueLinkTable;
  comments: CommentTable;
  comment_changes: CommentChangeTable;
}

export type SpaceRow = Selectable<SpaceTable>;
export type SpaceUserRow = Selectable<SpaceUserTable>;
export type ProjectRow = Selectable<ProjectTable>;
export type ProjectMemberRow = Selectable<ProjectMemberTable>;
export type IssueTypeRow = Selectable<IssueTypeTable>;
export type CategoryRow = Selectable<NamedTable>;
export type StatusRow = Selectable<StatusTable>;
export type VersionRow = Selectable<VersionTable>;
export type IssueRow = Selectable<IssueTable>;
export type NewIssue = Insertable<IssueTable>;
export type CommentRow = Selectable<CommentTable>;
export type CommentChangeRow = Selectable<CommentChangeTable>;

export const projectsStoreSpec = (region: string): StoreSpec => ({
  module: 'projects',
  region,
  migrations: {
    '20261125T2010-create-projects': createProjects,
    '20261126T2250-wiki-documents': wikiDocuments,
    '20261126T2255-search': search,
    '20261126T2300-oauth': oauth,
    '20261126T2305-restrictions': restrictions,
    '20261126T2310-custom-fields': customFields,
    '20261126T2320-classic': classic,
    '20261126T2330-attachments': attachments,
    '20261126T2340-social': social,
    '20261127T0313-webhooks': webhooks,
    '20261127T0314-classic-sessions': classicSessions,
    '20261127T0314-related-issues': relatedIssues,
    '20261127T0315-wiki-attachments': wikiAttachments,
    '20261127T0316-shared-files': sharedFiles,
    '20261127T0317-teams': teams,
    '20261127T0322-star-receivers': starReceivers,
    '20261127T0440-purge-indexes': purgeIndexes,
  },
});
