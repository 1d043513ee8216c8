import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config';
import type { RateRule, RateStatus } from '../../../kernel/rate-limit';
import type { Caller, ProjectsDeps } from '../spaces.service';
import { BacklogCode, sendBacklogError } from './backlog-errors';

/**
 * Backlog's request limits (research §7): per user, per minute, by class. Read = GET except
 * search and icon; update = POST/PATCH/PUT/DELETE; search = issue search; icon = images. Counts live
 * in the platform store, so every instance behind a load balancer shares them.
 */
export type RateClass = 'read' | 'update' | 'search' | 'icon';
export const RATE_CLASSES: readonly RateClass[] = ['read', 'update', 'search', 'icon'];
const DEFAULTS: Record<RateClass, number> = { read: 600, update: 150, search: 150, icon: 60 };

/** `read=600,update=150,…` (validated by config) → limits; null when switched off. */
export function parseBacklogLimits(config: Config): Record<RateClass, number> | null {
  if (config.rateLimits === 'off' || config.backlogRateLimit === 'off') return null;
  const limits = { ...DEFAULTS };
  for (const part of config.backlogRateLimit.split(',')) {
    const [name, value] = part.split('=');
    if (name && RATE_CLASSES.includes(name as RateClass)) limits[name as RateClass] = Number(value);
  }
  return limits;
}

export function rateClassOf(method: string, routeUrl: string): RateClass {
  if (method !== 'GET' && method !== 'HEAD') return 'update';
  if (/\/(icon|image)$/.test(routeUrl)) return 'icon';
  if (routeUrl.endsWith('/issues') || routeUrl.endsWith('/issues/count')) return 'search';
  return 'read';
}

const keyOf = (caller: Caller, cls: RateClass) => `backlog:${cls}:${caller.orgId}:${caller.userId}`;
const ruleOf = (limit: number): RateRule => ({ limit, windowSeconds: 60 });

/** Counts the request; sets `X-RateLimit-*`; answers 429 with code 13 once the class is used up. */
export async function enforceBacklogRateLimit(deps: ProjectsDeps, limits: Record<RateClass, number>, request: FastifyRequest, reply: FastifyReply, caller: Caller) {
  const url = request.routeOptions.url ?? request.url;
  // Asking for the limits does not use them up.
  if (url.endsWith('/rateLimit')) return;
  const cls = rateClassOf(request.method, url);
  const status = await deps.kernel.rateLimiter.hit(keyOf(caller, cls), ruleOf(limits[cls]));
  if (!status) return;
  void reply.header('x-ratelimit-limit', String(status.limit));
  void reply.header('x-ratelimit-remaining', String(status.remaining));
  void reply.header('x-ratelimit-reset', String(status.reset));
  if (status.exceeded) {
    void reply.header('retry-after', String(status.retryAfterSeconds));
    return sendBacklogError(reply, 429, BacklogCode.tooManyRequests, 'Too many requests. Try again later.');
  }
}

/** `GET /rateLimit`: every class with its limit, what is left and when the window resets. */
export async function rateLimitStatus(deps: ProjectsDeps, limits: Record<RateClass, number> | null, caller: Caller) {
  const rateLimit: Partial<Record<RateClass, { limit: number; remaining: number; reset: number }>> = {};
  for (const cls of RATE_CLASSES) {
    const status: RateStatus | null = limits ? await deps.kernel.rateLimiter.peek(keyOf(caller, cls), ruleOf(limits[cls])) : null;
    // Limits off: report the configured ceiling as fully available.
    const reset = Math.floor(deps.kernel.clock.now().getTime() / 60_000) * 60 + 60;
    rateLimit[cls] = status ? { limit: status.limit, remaining: status.remaining, reset: status.reset } : { limit: DEFAULTS[cls], remaining: DEFAULTS[cls], reset };
  }
  return { rateLimit };
}
