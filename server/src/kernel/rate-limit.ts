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
}

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

export function createRateLimiter(db: Kysely<PlatformDb>, clock: Clock, enabled = true): RateLimiter {
  if (!enabled) return { consume: async () => undefined };
  return {
    async consume(key, rule) {
      const nowMs = clock.now().getTime();
      const windowMs = rule.windowSeconds * 1000;
      const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
      const windowStart = new Date(windowStartMs).toISOString();
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
      if (row.hits > rule.limit) {
        const retryAfter = Math.max(1, Math.ceil((windowStartMs + windowMs - nowMs) / 1000));
        throw tooManyRequests('rate_limit.exceeded', 'Too many requests. Try again later.', retryAfter);
      }
    },
  };
}

/** Old windows are useless after they pass; a job deletes them. */
export async function deleteExpiredRateLimits(db: Kysely<PlatformDb>, olderThan: string): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
