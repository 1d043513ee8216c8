import type { Kysely } from 'kysely';
import type { Clock } from './clock';
import { tooManyRequests } from './errors';
import type { PlatformDb } from './platform-store';

/**
 * Fixed-window counters kept in the database, so every app instance behind a load balancer
 * sees the same count (nothing that matters lives only in process memory).
 */
export interface RateLimiter {
  /** Counts one hit for `key`; throws 429 `rate_limit.exceeded` once `limit` is passed in the window. */
  consume(key: string, rule: RateRule): Promise<void>;
  /**
   * Counts one hit and reports the window instead of throwing, for APIs that publish their limits
   * (`X-RateLimit-*`); null when rate limits are off.
   */
  hit(key: string, rule: RateRule): Promise<RateStatus | null>;
  /** The current window of `key` without counting; null when rate limits are off. */
  peek(key: string, rule: RateRule): Promise<RateStatus | null>;
}

export interface RateStatus {
  limit: number;
  remaining: number;
  /** When the window ends, in epoch seconds (UTC). */
  reset: number;
  exceeded: boolean;
  retryAfterSeconds: number;
}

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

export function createRateLimiter(db: Kysely<PlatformDb>, clock: Clock, enabled = true): RateLimiter {
  if (!enabled) return { consume: async () => undefined, hit: async () => null, peek: async () => null };
  const windowOf = (rule: RateRule) => {
    const nowMs = clock.now().getTime();
    const windowMs = rule.windowSeconds * 1000;
    const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
    return { nowMs, windowEndMs: windowStartMs + windowMs, windowStart: new Date(windowStartMs).toISOString() };
  };
  const statusOf = (rule: RateRule, hits: number, w: ReturnType<typeof windowOf>): RateStatus => ({
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - hits),
    reset: Math.ceil(w.windowEndMs / 1000),
    exceeded: hits > rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((w.windowEndMs - w.nowMs) / 1000)),
  });
  const count = async (key: string, windowStart: string) => {
    const row = await db
      .insertInto('rate_limits')
      .values({ key, window_start: windowStart, hits: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          hits: eb
            .case()
            .when('rate_limits.window_start', '=', windowStart)
            .then(eb('rate_limits.hits', '+', 1))
            .else(1)
            .end(),
          window_start: windowStart,
        })),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
    return Number(row.hits);
  };
  return {
    async consume(key, rule) {
      const w = windowOf(rule);
      const status = statusOf(rule, await count(key, w.windowStart), w);
      if (status.exceeded) throw tooManyRequests('rate_limit.exceeded', 'Too many requests. Try again later.', status.retryAfterSeconds);
    },
    async hit(key, rule) {
      const w = windowOf(rule);
      return statusOf(rule, await count(key, w.windowStart), w);
    },
    async peek(key, rule) {
      const w = windowOf(rule);
      const row = await db.selectFrom('rate_limits').select('hits').where('key', '=', key).where('window_start', '=', w.windowStart).executeTakeFirst();
      return statusOf(rule, Number(row?.hits ?? 0), w);
    },
  };
}

/** Old windows are useless after they pass; a job deletes them. */
export async function deleteExpiredRateLimits(db: Kysely<PlatformDb>, olderThan: string): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
