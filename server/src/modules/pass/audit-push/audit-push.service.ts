import { createHmac } from 'node:crypto';
import { MINUTE } from '../../../kernel/clock';
import { newId, randomToken, safeEqual } from '../../../kernel/crypto';
import { badRequest, notFound } from '../../../kernel/errors';
import type { RequestMeta } from '../../../kernel/http/request-context';
import type { Kernel } from '../../../kernel/module';
import { checkTargetResolves, OutboundRefused, outboundPolicyOf, postOutbound } from '../../../kernel/outbound-http';
import type { OrgAccess } from '../../identity';
import { rowToChained } from '../audit.presenter';
import { chainKeyOf, type AuditDeps } from '../audit.service';
import type { AuditPushTargetTable } from './audit-push.db';
import type { AuditPushRepository } from './audit-push.repository';

/**
 * Optional push of an org's audit entries to an HTTPS endpoint (issue 4 §6): each delivery is the
 * next slice of the org's chain, exactly as exported (so the receiver can verify it), signed with
 * HMAC-SHA256 over `<timestamp>.<body>` in the `Toride-Signature` header. Delivery resumes after
 * the last acknowledged seq, so a failing endpoint gets every entry once it recovers.
 */
export interface AuditPushDeps {
  readonly kernel: Kernel;
  readonly audit: AuditDeps;
  readonly repo: AuditPushRepository;
}

export const SIGNATURE_HEADER = 'toride-signature';
const BATCH = 100;
const BATCHES_PER_RUN = 10;
const MAX_BACKOFF = 60 * MINUTE;

const pushMac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the timestamp keeps old deliveries from being replayed. */
export function signPush(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${pushMac(secret, t, body)}`;
}

/** What a receiver does (documented in the audit-log docs): recompute, compare in constant time, bound the age. */
export function verifyPushSignature(secret: string, header: string, body: string, now: Date, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || typeof parts.v1 !== 'string') return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  return safeEqual(pushMac(secret, t, body), parts.v1);
}

async function checkTarget(kernel: Kernel, raw: string): Promise<string> {
  try {
    return (await checkTargetResolves(raw, outboundPolicyOf(kernel.config))).toString();
  } catch (error) {
    if (error instanceof OutboundRefused) throw badRequest(error.code, error.message);
    throw error;
  }
}

const actorOf = (access: OrgAccess) => ({ type: 'account' as const, id: access.account.id, name: access.account.name, email: access.account.email });

async function record(deps: AuditPushDeps, access: OrgAccess, meta: RequestMeta, action: string, details?: Record<string, unknown>) {
  await deps.kernel.audit.record({ orgId: access.org.id, action, outcome: 'success', actor: actorOf(access), target: { type: 'audit_push', id: access.org.id }, ...meta, ...(details ? { details } : {}) });
}

export async function getPushTarget(deps: AuditPushDeps, orgId: string): Promise<AuditPushTargetTable | null> {
  return (await deps.repo.find(orgId)) ?? null;
}

/** Creates or changes the org's target. A new target gets a secret (returned once) and starts at the chain's head. */
export async function configurePush(deps: AuditPushDeps, access: OrgAccess, input: { url: string; enabled: boolean }, meta: RequestMeta) {
  const url = await checkTarget(deps.kernel, input.url);
  const now = deps.kernel.clock.now().toISOString();
  const existing = await deps.repo.find(access.org.id);
  if (existing) {
    await deps.repo.update(access.org.id, { url, enabled: input.enabled ? 1 : 0, failures: 0, next_attempt_at: null, last_error: null, updated_at: now });
    await record(deps, access, meta, 'audit.push.updated', { url, enabled: input.enabled });
    return { target: (await deps.repo.find(access.org.id))!, secret: null };
  }
  const secret = randomToken(32);
  const head = await deps.audit.repo.findChain(chainKeyOf(access.org.id));
  const row: AuditPushTargetTable = {
    org_id: access.org.id,
    url,
    secret_sealed: deps.kernel.secrets.seal(secret),
    enabled: input.enabled ? 1 : 0,
    last_delivered_seq: head ? Number(head.head_seq) : 0,
    failures: 0,
    next_attempt_at: null,
    last_attempt_at: null,
    last_success_at: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
  await deps.repo.insert(row);
  await record(deps, access, meta, 'audit.push.created', { url, enabled: input.enabled });
  return { target: row, secret };
}

export async function rotatePushSecret(deps: AuditPushDeps, access: OrgAccess, meta: RequestMeta): Promise<string> {
  if (!(await deps.repo.find(access.org.id))) throw notFound('audit_push.not_found', 'No push target is configured.');
  const secret = randomToken(32);
  await deps.repo.update(access.org.id, { secret_sealed: deps.kernel.secrets.seal(secret), updated_at: deps.kernel.clock.now().toISOString() });
  await record(deps, access, meta, 'audit.push.secret_rotated');
  return secret;
}

export async function removePush(deps: AuditPushDeps, access: OrgAccess, meta: RequestMeta): Promise<void> {
  if (!(await deps.repo.delete(access.org.id))) throw notFound('audit_push.not_found', 'No push target is configured.');
  await record(deps, access, meta, 'audit.push.deleted');
}

async function post(deps: AuditPushDeps, target: AuditPushTargetTable, payload: Record<string, unknown>) {
  const body = JSON.stringify(payload);
  const secret = deps.kernel.secrets.open(target.secret_sealed);
  const headers = { [SIGNATURE_HEADER]: signPush(secret, body, deps.kernel.clock.now()), 'toride-delivery': String(payload.deliveryId) };
  try {
    const response = await postOutbound(target.url, body, headers, outboundPolicyOf(deps.kernel.config));
    return response.status >= 200 && response.status < 300 ? { ok: true as const, status: response.status } : { ok: false as const, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false as const, status: null, error: error instanceof OutboundRefused ? error.message : `delivery failed: ${(error as Error).message}` };
  }
}

/** "Send test": one signed ping, answered synchronously, so the admin sees whether the receiver accepts it. */
export async function sendTestPush(deps: AuditPushDeps, access: OrgAccess) {
  const target = await deps.repo.find(access.org.id);
  if (!target) throw notFound('audit_push.not_found', 'No push target is configured.');
  const result = await post(deps, target, { type: 'ping', orgId: access.org.id, deliveryId: newId(), entries: [] });
  return { ok: result.ok, status: result.status, error: result.ok ? null : result.error };
}

/** Pushes what each due target has not received yet; a failure backs off 1, 2, 4 … 60 minutes. */
export async function deliverDuePushes(deps: AuditPushDeps): Promise<{ delivered: number; failed: number }> {
  let delivered = 0;
  let failed = 0;
  for (const target of await deps.repo.listDue(deps.kernel.clock.now().toISOString())) {
    const result = await deliverTarget(deps, target);
    delivered += result.delivered;
    if (!result.ok) failed += 1;
  }
  return { delivered, failed };
}

async function deliverTarget(deps: AuditPushDeps, target: AuditPushTargetTable): Promise<{ ok: boolean; delivered: number }> {
  const chainKey = chainKeyOf(target.org_id);
  const head = await deps.audit.repo.findChain(chainKey);
  let after = Number(target.last_delivered_seq);
  let delivered = 0;
  for (let batch = 0; head && after < Number(head.head_seq) && batch < BATCHES_PER_RUN; batch += 1) {
    const rows = await deps.audit.repo.pageBySeq(chainKey, after, Number(head.head_seq), BATCH);
    const last = rows[rows.length - 1];
    if (!last) break;
    const at = deps.kernel.clock.now().toISOString();
    const result = await post(deps, target, { type: 'audit.entries', orgId: target.org_id, deliveryId: newId(), entries: rows.map(rowToChained) });
    if (!result.ok) {
      await recordFailure(deps, target, result.error, at);
      return { ok: false, delivered };
    }
    after = Number(last.seq);
    delivered += rows.length;
    await deps.repo.update(target.org_id, { last_delivered_seq: after, failures: 0, next_attempt_at: null, last_attempt_at: at, last_success_at: at, last_error: null });
  }
  return { ok: true, delivered };
}

async function recordFailure(deps: AuditPushDeps, target: AuditPushTargetTable, error: string, at: string): Promise<void> {
  const failures = Number(target.failures) + 1;
  const backoff = Math.min(MINUTE * 2 ** (failures - 1), MAX_BACKOFF);
  const nextAttempt = new Date(new Date(at).getTime() + backoff).toISOString();
  await deps.repo.update(target.org_id, { failures, next_attempt_at: nextAttempt, last_attempt_at: at, last_error: error.slice(0, 500) });
  // Audited when the target turns unhealthy, not on every retry, so the log is not flooded.
  if (failures === 1) {
    await deps.kernel.audit.record({
      orgId: target.org_id,
      action: 'audit.push.failed',
      outcome: 'failure',
      actor: { type: 'system', name: 'audit push' },
      target: { type: 'audit_push', id: target.org_id },
      details: { error: error.slice(0, 200), nextAttemptAt: nextAttempt },
    });
  }
}
