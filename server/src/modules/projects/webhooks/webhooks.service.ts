import { badRequest, notFound } from '../../../kernel/errors';
import { checkTargetResolves, OutboundRefused, outboundPolicyOf } from '../../../kernel/outbound-http';
import { auditProject } from '../projects.audit';
import { requireProject } from '../projects.policy';
import type { ProjectScope } from '../projects.service';
import type { ProjectsDeps } from '../spaces.service';
import type { WebhookRow } from './webhooks.db';
import { createWebhooksRepository } from './webhooks.repository';

/**
 * Project webhooks (Backlog's `/projects/:p/webhooks`, issue 3 §2). Managed by project
 * administrators and org admins (the same rule as the project's settings, `project:update`).
 * A project holds at most 50 webhooks: each activity fans out to every matching one, so the limit
 * bounds the work one issue edit can cause (Backlog has a similar per-project cap).
 */
export const MAX_WEBHOOKS_PER_PROJECT = 50;

export interface WebhookInput {
  name?: string | undefined;
  description?: string | undefined;
  hookUrl?: string | undefined;
  allEvent?: boolean | undefined;
  activityTypeIds?: number[] | undefined;
}

/** A webhook as users see it: the hook URL opened, the activity types parsed. */
export interface WebhookView {
  readonly row: WebhookRow;
  readonly hookUrl: string;
  readonly activityTypeIds: number[];
}

export const webhookNotFound = () => notFound('webhook.not_found', 'No webhook.');

export function viewOf(deps: ProjectsDeps, row: WebhookRow): WebhookView {
  return { row, hookUrl: deps.kernel.secrets.open(row.hook_url_sealed), activityTypeIds: JSON.parse(row.activity_type_ids) as number[] };
}

/** Whether an activity of `type` goes to this webhook. */
export const webhookWants = (row: WebhookRow, type: number) => row.all_event === 1 || (JSON.parse(row.activity_type_ids) as number[]).includes(type);

/**
 * Refuses targets the deployment would never deliver to (private, loopback, link-local addresses,
 * plain http) when they are saved, with the reason. Delivery checks again on the address it
 * connects to, so a name that later resolves to a private address is refused then too.
 */
async function checkHookUrl(deps: ProjectsDeps, raw: string): Promise<string> {
  try {
    return (await checkTargetResolves(raw, outboundPolicyOf(deps.kernel.config))).toString();
  } catch (error) {
    if (error instanceof OutboundRefused) throw badRequest(error.code, `hookUrl: ${error.message}`);
    throw error;
  }
}

/** Only the origin goes to the audit log: hook URLs of chat services carry a token in their path. */
const originOf = (url: string) => new URL(url).origin;

const typeIdsJson = (ids: readonly number[] | undefined) => JSON.stringify([...new Set(ids ?? [])].sort((a, b) => a - b));

function requireManager(scope: ProjectScope): void {
  requireProject(scope, 'project:update');
}

export async function listWebhooks(deps: ProjectsDeps, scope: ProjectScope): Promise<WebhookView[]> {
  requireManager(scope);
  return (await createWebhooksRepository(scope.caller.db).list(scope.caller.orgId, scope.project.id)).map((row) => viewOf(deps, row));
}

/** A webhook of this project; ids of other projects and other orgs do not exist here (W7.7). */
export async function getWebhook(deps: ProjectsDeps, scope: ProjectScope, id: number): Promise<WebhookView> {
  requireManager(scope);
  const row = await createWebhooksRepository(scope.caller.db).find(scope.caller.orgId, scope.project.id, id);
  if (!row) throw webhookNotFound();
  return viewOf(deps, row);
}

export async function addWebhook(deps: ProjectsDeps, scope: ProjectScope, input: WebhookInput & { name: string; hookUrl: string }): Promise<WebhookView> {
  requireManager(scope);
  const { caller, project } = scope;
  const repo = createWebhooksRepository(caller.db);
  if ((await repo.count(caller.orgId, project.id)) >= MAX_WEBHOOKS_PER_PROJECT) {
    throw badRequest('webhook.too_many', `A project can have at most ${MAX_WEBHOOKS_PER_PROJECT} webhooks.`);
  }
  const hookUrl = await checkHookUrl(deps, input.hookUrl);
  const now = deps.kernel.clock.now().toISOString();
  const row = await repo.insert({
    org_id: caller.orgId,
    project_id: project.id,
    name: input.name.trim(),
    description: input.description ?? '',
    hook_url_sealed: deps.kernel.secrets.seal(hookUrl),
    all_event: input.allEvent ? 1 : 0,
    activity_type_ids: typeIdsJson(input.activityTypeIds),
    created_user_id: caller.userId,
    created_at: now,
    updated_user_id: caller.userId,
    updated_at: now,
  });
  await auditProject(deps, caller, 'webhook_created', project, { webhookId: row.id, name: row.name, target: originOf(hookUrl) });
  return viewOf(deps, row);
}

export async function updateWebhook(deps: ProjectsDeps, scope: ProjectScope, id: number, input: WebhookInput): Promise<WebhookView> {
  const before = await getWebhook(deps, scope, id);
  const hookUrl = input.hookUrl !== undefined ? await checkHookUrl(deps, input.hookUrl) : undefined;
  const changes = {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(hookUrl !== undefined ? { hook_url_sealed: deps.kernel.secrets.seal(hookUrl) } : {}),
    ...(input.allEvent !== undefined ? { all_event: input.allEvent ? 1 : 0 } : {}),
    ...(input.activityTypeIds !== undefined ? { activity_type_ids: typeIdsJson(input.activityTypeIds) } : {}),
  };
  const repo = createWebhooksRepository(scope.caller.db);
  await repo.update(scope.caller.orgId, id, { ...changes, updated_user_id: scope.caller.userId, updated_at: deps.kernel.clock.now().toISOString() });
  const after = await getWebhook(deps, scope, id);
  await auditProject(deps, scope.caller, 'webhook_updated', scope.project, {
    webhookId: id,
    changed: Object.keys(input).filter((k) => input[k as keyof WebhookInput] !== undefined),
    ...(hookUrl !== undefined && originOf(hookUrl) !== originOf(before.hookUrl) ? { target: originOf(hookUrl), previousTarget: originOf(before.hookUrl) } : {}),
  });
  return after;
}

/** Deletes the webhook and its delivery log; pending deliveries are dropped. Returns it as it was. */
export async function deleteWebhook(deps: ProjectsDeps, scope: ProjectScope, id: number): Promise<WebhookView> {
  const view = await getWebhook(deps, scope, id);
  await createWebhooksRepository(scope.caller.db).delete(scope.caller.orgId, id);
  await auditProject(deps, scope.caller, 'webhook_deleted', scope.project, { webhookId: id, name: view.row.name, target: originOf(view.hookUrl) });
  return view;
}

/** The delivery log of one webhook, newest first (Toride addition; the web app shows it). */
export async function listDeliveries(deps: ProjectsDeps, scope: ProjectScope, id: number, count: number) {
  await getWebhook(deps, scope, id);
  return createWebhooksRepository(scope.caller.db).deliveries(scope.caller.orgId, id, count);
}
