import { DAY } from '../../kernel/clock';
import type { ContractRow, ContractState, PurgeRunRow, PurgeScope, Service } from './lifecycle.db';

/**
 * The deletion schedule of SPEC W4, as pure functions of the stored contract state: computed when a
 * state changes, stored, shown, and acted on by the lifecycle job at exactly that instant.
 */
export const RULES = {
  /** W4.1: an org deleted by its contract admin is purged 180 days later. */
  deletedToPurgeDays: 180,
  /** W4.2: a trial that ended without a paid plan: the org is deleted 30 days after the trial end. */
  trialEndToDeleteDays: 30,
  /** W4.3: suspended for non-payment: deleted 90 days after the contract end. */
  suspendedToDeleteDays: 90,
  /** W4.6: audit entries 30 days after the pass contract/trial ends or it is suspended. */
  passEndToAuditPurgeDays: 30,
  /** W4.9: a cancelled classic space is purged 180 days after cancellation (or paid period end). */
  classicCancelToPurgeDays: 180,
  classicTrialEndToCancelDays: 30,
  classicSuspendedToCancelDays: 90,
  /** "Purge starts at T, completes within 10 days" (W4). */
  purgeWindowDays: 10,
} as const;

export interface ContractFacts {
  service: Service;
  state: ContractState;
  trialEndsAt: string | null;
  periodEndsAt: string | null;
  contractEndedAt: string | null;
  cancelledAt: string | null;
  deletedAt: string | null;
}

export interface Deadlines {
  /** workspace: when the org is deleted automatically (W4.2, W4.3, end of a cancelled contract). */
  autoDeleteAt: string | null;
  /** projects-classic: when the space is cancelled automatically (W4.9). */
  autoCancelAt: string | null;
  /** pass: when the org's audit entries are purged (W4.6). */
  auditPurgeAt: string | null;
  /** workspace: the org purge (W4.1); projects-classic: the space purge (W4.9). */
  purgeAt: string | null;
}

const plusDays = (iso: string | null, days: number): string | null => (iso ? new Date(Date.parse(iso) + days * DAY).toISOString() : null);
const later = (a: string | null, b: string | null): string | null => (!a ? b : !b ? a : Date.parse(a) >= Date.parse(b) ? a : b);

export function computeDeadlines(c: ContractFacts): Deadlines {
  const none: Deadlines = { autoDeleteAt: null, autoCancelAt: null, auditPurgeAt: null, purgeAt: null };
  const endOfCancelled = later(c.cancelledAt, c.periodEndsAt);
  if (c.service === 'workspace') {
    switch (c.state) {
      case 'trial':
        return { ...none, autoDeleteAt: plusDays(c.trialEndsAt, RULES.trialEndToDeleteDays) };
      case 'suspended':
        return { ...none, autoDeleteAt: plusDays(c.contractEndedAt, RULES.suspendedToDeleteDays) };
      case 'cancelled':
        // A cancelled suite contract ends with its paid period; the org is deleted then (then W4.1).
        return { ...none, autoDeleteAt: endOfCancelled };
      case 'deleted':
        return { ...none, purgeAt: plusDays(c.deletedAt, RULES.deletedToPurgeDays) };
      default:
        return none;
    }
  }
  if (c.service === 'pass') {
    switch (c.state) {
      case 'trial':
        return { ...none, auditPurgeAt: plusDays(c.trialEndsAt, RULES.passEndToAuditPurgeDays) };
      case 'suspended':
        return { ...none, auditPurgeAt: plusDays(c.contractEndedAt, RULES.passEndToAuditPurgeDays) };
      case 'cancelled':
        return { ...none, auditPurgeAt: plusDays(endOfCancelled, RULES.passEndToAuditPurgeDays) };
      case 'deleted':
        return { ...none, auditPurgeAt: plusDays(c.deletedAt, RULES.passEndToAuditPurgeDays) };
      default:
        return none;
    }
  }
  switch (c.state) {
    case 'trial':
      return { ...none, autoCancelAt: plusDays(c.trialEndsAt, RULES.classicTrialEndToCancelDays) };
    case 'suspended':
      return { ...none, autoCancelAt: plusDays(c.contractEndedAt, RULES.classicSuspendedToCancelDays) };
    case 'cancelled':
      return { ...none, purgeAt: plusDays(endOfCancelled, RULES.classicCancelToPurgeDays) };
    case 'deleted':
      return { ...none, purgeAt: plusDays(c.deletedAt, RULES.classicCancelToPurgeDays) };
    default:
      return none;
  }
}

export const factsOf = (row: ContractRow): ContractFacts => ({
  service: row.service,
  state: row.state,
  trialEndsAt: row.trial_ends_at,
  periodEndsAt: row.period_ends_at,
  contractEndedAt: row.contract_ended_at,
  cancelledAt: row.cancelled_at,
  deletedAt: row.deleted_at,
});

export interface TimelineEvent {
  at: string;
  service: Service;
  /** trial_ends, period_ends, contract_ended, cancelled, org_deleted, space_cancelled, audit_purge, purge_starts, purge_completes_by, purge_completed, last_backup_expires */
  event: string;
  /** True once it has happened (by the clock, or recorded by the engine). */
  done: boolean;
}

const PURGE_SCOPE: Record<Service, PurgeScope> = { workspace: 'org', 'projects-classic': 'projects-classic', pass: 'audit' };

/**
 * The org's timeline in order, e.g. trial_ends → org_deleted → purge_starts → purge_completes_by →
 * last_backup_expires (W4, W4.12). Projected dates follow the rules from the current state.
 */
export function timelineOf(
  contracts: readonly ContractFacts[],
  runs: readonly Pick<PurgeRunRow, 'scope' | 'started_at' | 'completed_at'>[],
  options: { now: Date; backupRetentionDays: number },
): TimelineEvent[] {
  const now = options.now.getTime();
  const events: TimelineEvent[] = [];
  const push = (service: Service, event: string, at: string | null, done?: boolean) => {
    if (at) events.push({ at, service, event, done: done ?? Date.parse(at) <= now });
  };
  for (const c of contracts) {
    const d = computeDeadlines(c);
    push(c.service, 'trial_ends', c.state === 'trial' ? c.trialEndsAt : null);
    push(c.service, 'period_ends', c.state === 'paid' || c.state === 'cancelled' ? c.periodEndsAt : null);
    push(c.service, 'contract_ended', c.state === 'suspended' ? c.contractEndedAt : null);
    push(c.service, 'cancelled', c.state === 'cancelled' ? c.cancelledAt : null);
    if (c.service === 'pass') {
      push(c.service, 'audit_purge', d.auditPurgeAt, runs.some((r) => r.scope === 'audit' && r.completed_at));
      continue;
    }
    // Projected further steps: deleted / cancelled automatically, then the purge.
    let purgeAt = d.purgeAt;
    if (c.service === 'workspace') {
      push(c.service, 'org_deleted', c.state === 'deleted' ? c.deletedAt : d.autoDeleteAt);
      if (!purgeAt && d.autoDeleteAt) purgeAt = computeDeadlines({ ...c, state: 'deleted', deletedAt: d.autoDeleteAt }).purgeAt;
    } else {
      push(c.service, 'space_cancelled', c.state === 'cancelled' ? null : d.autoCancelAt);
      if (!purgeAt && d.autoCancelAt) purgeAt = computeDeadlines({ ...c, state: 'cancelled', cancelledAt: d.autoCancelAt }).purgeAt;
    }
    if (!purgeAt) continue;
    const run = runs.find((r) => r.scope === PURGE_SCOPE[c.service]);
    push(c.service, 'purge_starts', run?.started_at ?? purgeAt, Boolean(run));
    const completesBy = plusDays(run?.started_at ?? purgeAt, RULES.purgeWindowDays);
    if (run?.completed_at) push(c.service, 'purge_completed', run.completed_at, true);
    else push(c.service, 'purge_completes_by', completesBy, false);
    push(c.service, 'last_backup_expires', plusDays(run?.completed_at ?? completesBy, options.backupRetentionDays));
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
