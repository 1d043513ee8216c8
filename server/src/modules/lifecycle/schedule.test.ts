import { describe, expect, it } from 'vitest';
import { computeDeadlines, timelineOf, type ContractFacts } from './schedule';

const base: ContractFacts = { service: 'workspace', state: 'paid', trialEndsAt: null, periodEndsAt: null, contractEndedAt: null, cancelledAt: null, deletedAt: null };
const T = '2027-01-10T12:34:56.000Z';
const plus = (days: number, from = T) => new Date(Date.parse(from) + days * 86_400_000).toISOString();

describe('W4 deadlines, exact to the second', () => {
  it('W4.1 deleted by the contract admin: purge at deletion + 180 d', () => {
    expect(computeDeadlines({ ...base, state: 'deleted', deletedAt: T }).purgeAt).toBe('2027-07-09T12:34:56.000Z');
  });
  it('W4.2 trial ended without a paid plan: deleted at trial end + 30 d, then W4.1', () => {
    expect(computeDeadlines({ ...base, state: 'trial', trialEndsAt: T })).toEqual({ autoDeleteAt: '2027-02-09T12:34:56.000Z', autoCancelAt: null, auditPurgeAt: null, purgeAt: null });
    expect(computeDeadlines({ ...base, state: 'paid', trialEndsAt: T }).autoDeleteAt).toBeNull();
  });
  it('W4.3 suspended: deleted at contract end + 90 d', () => {
    expect(computeDeadlines({ ...base, state: 'suspended', contractEndedAt: T }).autoDeleteAt).toBe('2027-04-10T12:34:56.000Z');
  });
  it('W4.6 pass ended, trial ended or suspended: audit entries purged at + 30 d', () => {
    const pass = { ...base, service: 'pass' as const };
    expect(computeDeadlines({ ...pass, state: 'trial', trialEndsAt: T }).auditPurgeAt).toBe(plus(30));
    expect(computeDeadlines({ ...pass, state: 'suspended', contractEndedAt: T }).auditPurgeAt).toBe(plus(30));
    expect(computeDeadlines({ ...pass, state: 'cancelled', cancelledAt: T, periodEndsAt: plus(20) }).auditPurgeAt).toBe(plus(50));
    expect(computeDeadlines({ ...pass, state: 'paid', periodEndsAt: T }).auditPurgeAt).toBeNull();
  });
  it('W4.9 classic space: cancellation (or paid period end) + 180 d; trial end + 30 d and contract end + 90 d cancel', () => {
    const classic = { ...base, service: 'projects-classic' as const };
    expect(computeDeadlines({ ...classic, state: 'cancelled', cancelledAt: T }).purgeAt).toBe(plus(180));
    expect(computeDeadlines({ ...classic, state: 'cancelled', cancelledAt: T, periodEndsAt: plus(15) }).purgeAt).toBe(plus(195));
    expect(computeDeadlines({ ...classic, state: 'cancelled', cancelledAt: T, periodEndsAt: plus(-15) }).purgeAt).toBe(plus(180));
    expect(computeDeadlines({ ...classic, state: 'trial', trialEndsAt: T }).autoCancelAt).toBe(plus(30));
    expect(computeDeadlines({ ...classic, state: 'suspended', contractEndedAt: T }).autoCancelAt).toBe(plus(90));
  });
  it('the timeline states every step in order with the backup expiry (W4.12)', () => {
    const events = timelineOf([{ ...base, state: 'trial', trialEndsAt: T }], [], { now: new Date(T), backupRetentionDays: 30 });
    expect(events.map((e) => [e.event, e.at, e.done])).toEqual([
      ['trial_ends', T, true],
      ['org_deleted', plus(30), false],
      ['purge_starts', plus(210), false],
      ['purge_completes_by', plus(220), false],
      ['last_backup_expires', plus(250), false],
    ]);
    const done = timelineOf([{ ...base, state: 'deleted', deletedAt: T }], [{ scope: 'org', started_at: plus(180), completed_at: plus(181) }], { now: new Date(plus(200)), backupRetentionDays: 7 });
    expect(done.map((e) => e.event)).toEqual(['org_deleted', 'purge_starts', 'purge_completed', 'last_backup_expires']);
    expect(done.at(-1)?.at).toBe(plus(188));
  });
});
