import type { Kysely } from 'kysely';
import { DAY, HOUR, MINUTE } from '../../../kernel/clock';
import type { Kernel } from '../../../kernel/module';
import { OutboundRefused, outboundPolicyOf, postOutbound } from '../../../kernel/outbound-http';
import { presentProject, presentUser } from '../backlog-api/backlog.presenter';
import type { ProjectsDb } from '../projects.db';
import { createProjectsRepository } from '../projects.repository';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';
import { createWebhooksRepository, type WebhooksRepository } from './webhooks.repository';
import { webhookWants } from './webhooks.service';

/**
 * Delivery of project activities to webhooks. Recording an activity only queues one row per
 * matching webhook (the JSON body fixed then); the POSTs happen outside the request — at once, in
 * the background, and from the `projects.webhook-deliveries` job every minute as the safety net and
 * for retries. A failed attempt (network error, timeout, any status outside 2xx; redirects are not
 * followed) is retried after 1 min, 5 min, 30 min and 2 h; after the fifth attempt it is `failed`.
 */
export const RETRY_DELAYS = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS.length + 1;
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Long enough for one attempt (10 s timeout); a crashed instance's attempt is retried after it. */
const LEASE = 2 * MINUTE;
/** Parallel POSTs per run, so one slow receiver does not hold up the others. */
const CONCURRENCY = 8;
const BATCH = 50;
const BATCHES_PER_RUN = 10;
/** The delivery log keeps 30 days and at most 1000 entries per webhook. */
export const RETENTION = { days: 30, perWebhook: 1000 } as const;

const iso = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Backlog's webhook body: the Activity as `/projects/:p/activities` shows it (with its project). */
async function activityPayload(deps: ProjectsDeps, caller: Caller, activity: { id: number; projectId: number; type: number; content: Record<string, unknown> }) {
  const project = await createProjectsRepository(caller.db).findById(caller.orgId, activity.projectId);
  const user = (await loadSpaceUsers(deps, caller)).get(caller.userId);
  return {
    id: activity.id,
    project: project ? presentProject(project) : null,
    type: activity.type,
    content: activity.content,
    notifications: [],
    createdUser: user ? presentUser(user) : null,
    created: iso(deps.kernel.clock.now()),
  };
}

/** Background deliveries still running, per kernel (tests wait for them; nothing else needs to). */
const running = new WeakMap<Kernel, Set<Promise<unknown>>>();

export async function deliveriesSettled(kernel: Kernel): Promise<void> {
  while (running.get(kernel)?.size) await Promise.all(running.get(kernel) ?? []);
}

/** Starts delivering `ids` once the current request has moved on; failures wait for the job. */
function deliverSoon(kernel: Kernel, db: Kysely<ProjectsDb>, ids: readonly number[]): void {
  const set = running.get(kernel) ?? new Set();
  running.set(kernel, set);
  const run: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
    .then(() => deliverDue(kernel, db, ids))
    .catch((error: unknown) => kernel.logger.warn({ err: error }, 'webhook delivery deferred to the job'))
    .finally(() => set.delete(run));
  set.add(run);
}

/** The `onActivity` listener: queues the activity for every webhook of its project that wants it. */
export async function queueActivity(deps: ProjectsDeps, caller: Caller, activity: { id: number; projectId: number; type: number; content: Record<string, unknown> }): Promise<void> {
  try {
    const repo = createWebhooksRepository(caller.db);
    const hooks = (await repo.list(caller.orgId, activity.projectId)).filter((hook) => webhookWants(hook, activity.type));
    if (hooks.length === 0) return;
    const payload = JSON.stringify(await activityPayload(deps, caller, activity));
    const now = deps.kernel.clock.now().toISOString();
    const ids = await repo.insertDeliveries(
      hooks.map((hook) => ({
        org_id: caller.orgId,
        webhook_id: hook.id,
        activity_id: activity.id,
        activity_type_id: activity.type,
        payload,
        status: 'pending' as const,
        attempt: 0,
        response_status: null,
        error: null,
        created_at: now,
        last_attempt_at: null,
        next_attempt_at: now,
      })),
    );
    deliverSoon(deps.kernel, caller.db, ids);
  } catch (error) {
    // The activity is committed already: a webhook problem must not fail the user's request.
    deps.kernel.logger.error({ err: error, orgId: caller.orgId, activityId: activity.id }, 'webhook deliveries could not be queued');
  }
}

/** Short and free of internal detail: the log is shown to project administrators. */
function describeFailure(error: unknown): string {
  if (error instanceof OutboundRefused) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'Connection refused.';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The host name cannot be resolved.';
  if (code === 'ECONNRESET') return 'The connection was reset.';
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `TLS error (${code}).`;
  const message = (error as Error).message ?? String(error);
  return /no answer within/.test(message) ? `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s.` : `Delivery failed${code ? ` (${code})` : ''}.`;
}

type Due = Awaited<ReturnType<WebhooksRepository['due']>>[number];

async function attempt(kernel: Kernel, repo: WebhooksRepository, delivery: Due): Promise<'delivered' | 'retry' | 'failed' | 'taken'> {
  const started = kernel.clock.now();
  const number = delivery.attempt + 1;
  const claimed = await repo.claim(delivery.id, delivery.next_attempt_at as string, number, started.toISOString(), new Date(started.getTime() + LEASE).toISOString());
  if (!claimed) return 'taken';
  let status: number | null = null;
  let error: string | null = null;
  try {
    const url = kernel.secrets.open(delivery.hook_url_sealed);
    const headers = { 'toride-delivery': String(delivery.id), 'toride-webhook': String(delivery.webhook_id) };
    const response = await postOutbound(url, delivery.payload, headers, outboundPolicyOf(kernel.config, DELIVERY_TIMEOUT_MS));
    status = response.status;
    if (status < 200 || status >= 300) error = `HTTP ${status}${response.body.trim() ? `: ${response.body.trim().replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
  } catch (failure) {
    error = describeFailure(failure);
  }
  if (error === null) {
    await repo.settle(delivery.id, { status: 'delivered', response_status: status, error: null, next_attempt_at: null });
    return 'delivered';
  }
  if (number >= MAX_ATTEMPTS) {
    await repo.settle(delivery.id, { status: 'failed', response_status: status, error, next_attempt_at: null });
    return 'failed';
  }
  const next = new Date(started.getTime() + RETRY_DELAYS[number - 1]!).toISOString();
  await repo.settle(delivery.id, { status: 'pending', response_status: status, error, next_attempt_at: next });
  return 'retry';
}

/** Sends what is due in one store (only `ids`, when given), a few at a time. */
export async function deliverDue(kernel: Kernel, db: Kysely<ProjectsDb>, ids?: readonly number[]) {
  const repo = createWebhooksRepository(db);
  const counts = { delivered: 0, retry: 0, failed: 0, taken: 0 };
  for (let batch = 0; batch < BATCHES_PER_RUN; batch += 1) {
    const due = await repo.due(kernel.clock.now().toISOString(), BATCH, ids);
    for (let i = 0; i < due.length; i += CONCURRENCY) {
      for (const outcome of await Promise.all(due.slice(i, i + CONCURRENCY).map((d) => attempt(kernel, repo, d)))) counts[outcome] += 1;
    }
    if (due.length < BATCH) break;
  }
  return counts;
}

/** Retention of the delivery log (pending deliveries are never pruned). */
export async function pruneDeliveries(kernel: Kernel, db: Kysely<ProjectsDb>): Promise<number> {
  const before = new Date(kernel.clock.now().getTime() - RETENTION.days * DAY).toISOString();
  return createWebhooksRepository(db).prune(before, RETENTION.perWebhook);
}
