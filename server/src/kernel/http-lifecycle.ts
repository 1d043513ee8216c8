import type { ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { StoreRegistry } from './store';

/**
 * The HTTP server's life: request timeouts, readiness and a bounded shutdown (issue 12 §3, §4).
 */

/**
 * Node checks request timeouts only every `connectionsCheckingInterval` (30 s by default), so a
 * 1 s check keeps the bound close to what the operator set. `headersTimeout` may not exceed it.
 */
export function serverTimeoutOptions<T extends object>(config: Config, tls: T | null) {
  const requestTimeout = Math.round(config.requestTimeoutSeconds * 1000);
  const timeouts: ServerOptions = {
    requestTimeout,
    headersTimeout: Math.min(requestTimeout, 60_000),
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.round(requestTimeout / 4))),
  };
  // Fastify passes `http` to http.createServer and `https` to https.createServer, which reads the same keys.
  return { requestTimeout, ...(tls ? { https: { ...tls, ...timeouts } } : { http: timeouts }) };
}

/**
 * `/healthz` says the process lives; `/readyz` says whether a load balancer should send it traffic:
 * 503 while shutting down or while a store is full, read-only or unreachable (the probe re-tests a
 * faulted store with a real write, so the instance comes back without traffic).
 */
export function registerReadiness(app: FastifyInstance, stores: StoreRegistry, isClosing: () => boolean): void {
  app.get('/readyz', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    if (isClosing()) return reply.status(503).header('retry-after', '5').send({ status: 'shutting_down' });
    const { ready, faults } = await stores.readiness();
    if (ready) return { status: 'ready' };
    return reply.status(503).header('retry-after', '5').send({ status: 'unavailable', faults });
  });
}

/**
 * Closes the server: in-flight requests finish, idle keep-alive sockets close at once; whatever is
 * still open after `timeoutMs` (a client stalled mid-body, a long download) is cut.
 */
export async function closeWithin(app: FastifyInstance, timeoutMs: number, logger: Logger): Promise<void> {
  const timer = setTimeout(() => {
    logger.warn({ timeoutMs }, 'shutdown bound reached: closing the remaining connections');
    app.server.closeAllConnections();
  }, timeoutMs);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
