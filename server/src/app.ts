import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { publicUrlOf, usesTls, type Config } from './config';
import { systemClock, type Clock } from './kernel/clock';
import { createSecretBox } from './kernel/crypto';
import { EventBus } from './kernel/events';
import { registerErrorHandler } from './kernel/http/error-handler';
import { registerInputGuards } from './kernel/http/body-limits';
import { frameworkErrorOptions } from './kernel/http/framework-errors';
import { openApiOptions, registerOpenApiErrors } from './kernel/http/openapi';
import { registerRequestContext } from './kernel/http/request-context';
import { closeWithin, registerReadiness, serverTimeoutOptions } from './kernel/http-lifecycle';
import { JobRunner } from './kernel/jobs';
import { redactingAuditSink } from './kernel/redaction';
import { createLogger, LogFiles } from './kernel/logger';
import { createMailer } from './kernel/mail';
import type { Kernel, ModuleCommands, ModuleDefinition, StoreDescription } from './kernel/module';
import { platformStoreSpec, type PlatformDb } from './kernel/platform-store';
import { createRateLimiter, deleteExpiredRateLimits } from './kernel/rate-limit';
import { StoreRegistry } from './kernel/store';
import { defineJob } from './kernel/jobs';
import { tlsOptions } from './kernel/tls';
import { createIdentityModule, type IdentityApi } from './modules/identity';
import { createOperatorModule, type OperatorApi } from './modules/operator';
import { createProjectsModule } from './modules/projects';
import { createPassModule, openAuditStore } from './modules/pass';
import { createSunsetModule, type SunsetApi } from './modules/lifecycle/sunset';
import { createLifecycleModule, type LifecycleApi } from './modules/lifecycle';
import { lifecycleCommands } from './modules/lifecycle/lifecycle.commands';
import { operatorCommands } from './modules/operator/operator.commands';
import { passCommands } from './modules/pass/pass.commands';

export interface AppDeps {
  clock?: Clock;
  logger?: Logger;
}

export interface Toride {
  readonly app: FastifyInstance;
  readonly kernel: Kernel;
  readonly jobs: JobRunner;
  readonly identity: IdentityApi;
  readonly operator: OperatorApi;
  /** Service sunsets (W4.8); its module also runs the log-file retention job (W4.7). */
  readonly sunsets: SunsetApi;
  /** Contract states, the W4 deletion schedule, purges and receipts (issue 5). */
  readonly lifecycle: LifecycleApi;
  close(): Promise<void>;
}

/**
 * The modules' `toride` sub-commands, in `--help` order. A static list beside the module list built
 * in buildApp: the CLI registers commands before (and often without) building the app.
 */
export const MODULE_COMMANDS: readonly ModuleCommands<Toride>[] = [operatorCommands, passCommands, lifecycleCommands];

const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Key for secrets at rest: from config, else generated once into the data directory (mode 0600). */
function loadSecretKey(config: Config): Buffer {
  if (config.secretKey) return Buffer.from(config.secretKey, 'base64');
  const file = path.join(config.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** TORIDE_NOW (validated by config: tests and simulations only, loopback only): runs on from that time. */
function overriddenClock(now: string): Clock {
  const offset = Date.parse(now) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** Everything but listening: tests drive the result with `app.inject`. */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<Toride> {
  const clock = deps.clock ?? (config.now ? overriddenClock(config.now) : systemClock);
  // Daily-rotated access/app log files when TORIDE_LOG_DIR is set (W4.7).
  const logFiles = config.logDir ? new LogFiles(config.logDir, clock) : null;
  const logger = deps.logger ?? createLogger(config, 1, logFiles, clock);
  const stores = new StoreRegistry(config, logger);
  const platform = await stores.open<PlatformDb>(platformStoreSpec(config));
  // The kernel's audit sink writes to the pass module's store in the audit region (W3.2).
  const auditStore = await openAuditStore(config, stores, clock);
  const kernel: Kernel = {
    config,
    clock,
    logger,
    stores,
    platform,
    mailer: createMailer(config, platform.db, clock, logger),
    // Credentials in audit details (a URL with ?token=, a password field) are redacted first (issue 12 §5).
    audit: redactingAuditSink(auditStore.sink),
    events: new EventBus(logger),
    rateLimiter: createRateLimiter(platform.db, clock, config.rateLimits === 'on'),
    secrets: createSecretBox(loadSecretKey(config)),
  };

  // The app is this list of modules (kernel/module.ts): HTTP, jobs, purges and counts are read from
  // it below and by the lifecycle engine; nothing here names a module's hooks.
  const modules: ModuleDefinition[] = [];
  const identity = await createIdentityModule(kernel);
  modules.push(identity.definition, (await createPassModule(kernel, identity.api, auditStore)).definition);
  const describeOrg = async (orgId: string): Promise<StoreDescription[]> =>
    (await Promise.all(modules.map((m) => m.describe?.(orgId) ?? []))).flat();
  const operator = await createOperatorModule(kernel, identity.api, describeOrg);
  modules.push(operator.definition, createProjectsModule(kernel, identity.api).definition);
  const sunset = createSunsetModule(kernel, { modules: () => modules, listOrgIds: async () => (await identity.api.listOrganizationsMetadata()).map((o) => o.id) });
  modules.push(sunset.definition);
  const lifecycle = await createLifecycleModule(kernel, { identity: identity.api.lifecycle, modules: () => modules });
  modules.push(lifecycle.definition);
  identity.api.setOrgLifecycle((orgIds) => lifecycle.api.service.summaries(orgIds));

  // Account deletion reaches every module that keeps personal data (W4.4).
  kernel.events.on('identity.account.deleted', async (event) => {
    const known = { email: typeof event.payload.email === 'string' ? event.payload.email : null };
    for (const module of modules) await module.purgeAccount?.(String(event.payload.accountId), known);
  });

  const kernelJobs = [
    defineJob({
      name: 'kernel.rate-limit-cleanup',
      schedule: '*/10 * * * *',
      run: async ({ now }) => {
        await deleteExpiredRateLimits(platform.db, new Date(now.getTime() - 24 * 3600 * 1000).toISOString());
      },
    }),
  ];
  const jobs = new JobRunner(platform.db, clock, logger, [...kernelJobs, ...modules.flatMap((m) => m.jobs ?? [])]);
  await jobs.register();

  const app = await createHttpServer(config, logger, modules, logFiles);
  let closing = false;
  registerReadiness(app, stores, () => closing);
  return {
    app,
    kernel,
    jobs,
    identity: identity.api,
    operator: operator.api,
    sunsets: sunset.api,
    lifecycle: lifecycle.api,
    async close() {
      closing = true;
      await jobs.stop();
      await closeWithin(app, config.shutdownTimeoutSeconds * 1000, logger);
      await kernel.events.drain();
      await stores.closeAll();
      logFiles?.close();
    },
  };
}

async function createHttpServer(config: Config, logger: Logger, modules: readonly ModuleDefinition[], logFiles: LogFiles | null = null): Promise<FastifyInstance> {
  const tls = tlsOptions(config);
  const app = Fastify({
    loggerInstance: logger,
    genReqId: () => globalThis.crypto.randomUUID(),
    trustProxy: config.trustedProxy ?? false,
    bodyLimit: 1024 * 1024,
    // Bad URLs, 414s and unreadable HTTP answer in their surface's error shape, never echoing the URL (issue 12 §7).
    ...frameworkErrorOptions(
      modules.flatMap((m) => m.mounts ?? []).flatMap((mount) => (mount.errors ? [{ prefix: mount.prefix, render: mount.errors }] : [])),
      logger,
    ),
    // Request/body timeouts: a stalled client cannot hold a socket (issue 12 §4).
    ...serverTimeoutOptions(config, tls),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerInputGuards(app);
  // Support can find a request in the JSON logs by the id the client saw (W13.1).
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  if (logFiles) {
    app.addHook('onResponse', async (request, reply) => {
      logFiles.logRequest({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime, requestId: String(request.id), ip: request.ip });
    });
  }

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only means something over TLS (W9.2).
    strictTransportSecurity: usesTls(config) ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  // Servers, security schemes and every route's error responses (kernel/http/openapi.ts, issue 12 §7).
  await app.register(fastifySwagger, openApiOptions(publicUrlOf(config)));
  registerOpenApiErrors(app);
  registerRequestContext(app, modules.flatMap((m) => m.authenticators ?? []));

  await app.register(
    async (api) => {
      for (const module of modules) if (module.routes) await api.register(module.routes);
    },
    { prefix: '/api/v1' },
  );
  for (const mount of modules.flatMap((m) => m.mounts ?? [])) await app.register(mount.plugin, { prefix: mount.prefix });
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  await registerWebApp(app, config.webDir ?? WEB_DIST);
  return app;
}

/** Serves the built single-page app; any non-API GET falls back to its index.html. */
async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const indexFile = path.join(webDir, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.warn({ webDir }, 'web app not built: run `npm run build:web`');
    return;
  }
  await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false, maxAge: '1h' });
  const indexHtml = readFileSync(indexFile, 'utf8');
  app.get('/*', { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.status(404).send({ error: { code: 'route.not_found', message: 'No route GET for this path.' } });
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  });
}
