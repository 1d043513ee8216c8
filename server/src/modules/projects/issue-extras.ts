import { createCustomFieldsRepository } from './custom-fields/custom-fields.repository';
import { loadFieldDefs, presentCustomValues } from './custom-fields/index';
import type { CustomFieldValueJson } from './custom-fields/custom-values';
import type { IssueRow } from './projects.db';
import { createAttachmentsRepository } from './attachments/attachments.repository';
import type { Caller } from './spaces.service';
import type { StarRow } from './social/social.db';
import { createSocialRepository } from './social/social.repository';
import { createSharedFilesRepository } from './shared-files/shared-files.repository';
import type { SharedFileRow } from './shared-files/shared-files.db';

/** What an issue carries besides its own columns: custom-field values, attachments and stars. */
export interface IssueExtras {
  readonly customFields: CustomFieldValueJson[];
  readonly attachments: { id: number; name: string; size: number; created: string; createdUserId: number }[];
  /** Stars given to the issue (social/). */
  readonly stars: StarRow[];
  /** Shared files linked to the issue (shared-files/). */
  readonly sharedFiles: SharedFileRow[];
}

/** Loaded for a page of issues at once (a few queries, whatever the page size). */
export async function loadIssueExtras(caller: Caller, issues: readonly IssueRow[]): Promise<Map<number, IssueExtras>> {
  const result = new Map<number, IssueExtras>();
  if (issues.length === 0) return result;
  const ids = issues.map((i) => i.id);
  const defs = await loadFieldDefs(caller, [...new Set(issues.map((i) => i.project_id))]);
  const values = defs.length ? await createCustomFieldsRepository(caller.db).valuesOf(caller.orgId, ids) : [];
  const files = await createAttachmentsRepository(caller.db).ofIssues(caller.orgId, ids);
  const stars = await createSocialRepository(caller.db).starsOn(caller.orgId, 'issue', ids);
  const shared = await createSharedFilesRepository(caller.db).linkedToIssues(caller.orgId, ids);
  for (const issue of issues) {
    const attachments = files.filter((f) => f.issue_id === issue.id).map((f) => ({ id: f.id, name: f.name, size: f.size, created: f.created_at, createdUserId: f.created_user_id }));
    result.set(issue.id, { customFields: presentCustomValues(defs, issue, values), attachments, stars: stars.filter((s) => s.target_id === issue.id), sharedFiles: shared.filter((f) => f.linked_issue_id === issue.id) });
  }
  return result;
}
