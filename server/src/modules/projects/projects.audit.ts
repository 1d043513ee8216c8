import type { Caller, ProjectsDeps } from './spaces.service';

/**
 * Security-relevant project events (who may see what changed): project creation and deletion,
 * membership and project-administrator changes. Issue edits are content, not audit events.
 */
export type ProjectAuditAction =
  | 'created'
  | 'deleted'
  | 'member_added'
  | 'member_removed'
  | 'admin_granted'
  | 'admin_revoked'
  // Teams as project members (W5.2): who may see the project changes with them.
  | 'team_added'
  | 'team_removed'
  // Part B (wiki, documents, OAuth apps, classic users): create/update/delete of each.
  | 'wiki_created'
  | 'wiki_updated'
  | 'wiki_deleted'
  | 'document_created'
  | 'document_deleted'
  // Part A (custom fields, attachments, shared files, webhooks, teams as members).
  | 'custom_field_created'
  | 'custom_field_updated'
  | 'custom_field_deleted'
  | 'shared_file_uploaded'
  | 'shared_file_deleted'
  | 'webhook_created'
  | 'webhook_updated'
  | 'webhook_deleted';

export async function auditProject(
  deps: ProjectsDeps,
  caller: Caller,
  action: ProjectAuditAction,
  project: { id: number; project_key: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  const account = caller.access.account;
  await deps.kernel.audit.record({
    orgId: caller.orgId,
    product: 'projects',
    action: `project.${action}`,
    outcome: 'success',
    actor: { type: 'account', id: account.id, name: account.name, email: account.email },
    target: { type: 'project', id: String(project.id) },
    ip: caller.meta.ip,
    userAgent: caller.meta.userAgent,
    requestId: caller.meta.requestId,
    details: { projectKey: project.project_key, ...(caller.apiKeyId ? { via: 'backlog_api_key', apiKeyId: caller.apiKeyId } : { via: 'web_session' }), ...details },
  });
}
