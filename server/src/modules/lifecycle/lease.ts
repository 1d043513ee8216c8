import type { Clock } from '../../kernel/clock';

/** Renews a job's lease; false once another instance holds it (kernel/jobs.ts `renewLease`). */
export type Heartbeat = () => Promise<boolean>;

/**
 * Lifecycle jobs hold a short lease that a long run renews as it goes: a run on a crashed instance
 * is resumed by another after at most this long, and a live run is never taken over.
 */
export const LIFECYCLE_LEASE_SECONDS = 5 * 60;
/** Renewing at most once a minute keeps the lease well ahead without a write per batch. */
export const LEASE_RENEW_EVERY_MS = 60_000;

/** Calls `renew` when at least `everyMs` passed since the last renewal (on the injectable clock). */
export function throttled(renew: Heartbeat, clock: Clock, everyMs = LEASE_RENEW_EVERY_MS): Heartbeat {
  let last = clock.now().getTime();
  return async () => {
    const now = clock.now().getTime();
    if (now - last < everyMs) return true;
    last = now;
    return renew();
  };
}

/** Thrown by a run that found its lease taken: it stops before its next batch, the other instance resumes. */
export class LeaseLostError extends Error {
  constructor(what: string) {
    super(`lifecycle: the job lease was taken over during ${what}; the other instance resumes it`);
  }
}
