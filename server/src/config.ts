import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration comes from `TORIDE_*` environment variables, optionally layered over a JSON file
 * (`TORIDE_CONFIG=path`, default `./toride.config.json` when present). The environment wins.
 * A bad value stops start-up with a message naming the variable and how to fix it.
 */
const REGION = /^[a-z0-9][a-z0-9-]{0,30}$/;

const configSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Test isolation on one PostgreSQL database: every schema name gets this prefix. */
  pgSchemaPrefix: z.string().regex(/^[a-z0-9_]*$/, 'lowercase letters, digits and _ only').default(''),
  publicUrl: z.string().url().optional(),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  trustedProxy: z.string().optional(),
  smtpUrl: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  mailFrom: z.string().min(3).default('Toride <no-reply@toride.invalid>'),
  secretKey: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes, base64-encoded')
    .optional(),
  /** `off` disables request-rate limits (benchmarks); account lock-out after failed sign-ins stays on. */
  rateLimits: z.enum(['on', 'off']).default('on'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** When set, JSON logs also go to daily files here (`access-YYYY-MM-DD.log`, `app-…`), deleted after 545 days (W4.7). */
  logDir: z.string().min(1).optional(),
  /** How long a backup copy lives before it rotates out; deleted data lingers there that long (W4.8, W4.12, W12). */
  backupRetentionDays: z.coerce.number().int().min(0).max(3650).default(30),
  jobsIntervalSeconds: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * A request (headers and body) must arrive within this many seconds, else the socket is answered
   * 408 and closed: a client that stalls mid-body cannot hold a socket for ever (issue 12 §4).
   */
  requestTimeoutSeconds: z.coerce.number().min(0.1).max(3600).default(60),
  /**
   * On SIGTERM/SIGINT, in-flight requests get this many seconds to finish; then the remaining
   * connections are closed and the process exits (issue 12 §4).
   */
  shutdownTimeoutSeconds: z.coerce.number().min(0.1).max(600).default(10),
  webDir: z.string().optional(),
  regionIdentity: z.string().regex(REGION, 'lowercase region name like us-west').default('us-west'),
  regionPlatform: z.string().regex(REGION, 'lowercase region name like us-west').default('us-west'),
  /** Where the projects store of an org created in Japanese lives, `ap-northeast` by default (W3.2). */
  regionProjectsJa: z.string().regex(REGION, 'lowercase region name like us-west').default('ap-northeast'),
  /** Where the projects store of an org created in English lives, `us-west` by default (W3.2). */
  regionProjectsEn: z.string().regex(REGION, 'lowercase region name like us-west').default('us-west'),
  /**
   * Backlog API v2 request limits per user and minute by class (issue 3 §2), or `off`. Also off when
   * `rateLimits` is off.
   */
  backlogRateLimit: z
    .string()
    .refine((v) => v === 'off' || v.split(',').every((part) => /^(read|update|search|icon)=\d{1,6}$/.test(part)), 'like read=600,update=150,search=150,icon=60, or off')
    .default('read=600,update=150,search=150,icon=60'),
  /**
   * Outbound calls (audit push, webhooks) refuse private, loopback and link-local addresses and
   * plain http unless this is `on` — for tests and closed networks only (SSRF, DESIGN security defaults).
   */
  outboundPrivateTargets: z.enum(['on', 'off']).default('off'),
  /**
   * DNS servers that verify org domains (TXT records, W8.3): comma-separated `ip[:port]` (IPv6 as
   * `[addr]:port`). Unset: the system resolvers. Tests point it at a local DNS server.
   */
  dnsServers: z
    .string()
    .refine((v) => v.split(',').every((part) => isDnsServer(part.trim())), 'like 192.0.2.53,192.0.2.54:5353 or [2001:db8::53]:53')
    .optional(),
  /**
   * Tests and simulations only (issue 5 §5): start the clock at this time. Honoured only with
   * TORIDE_ALLOW_CLOCK_OVERRIDE=1 and on a loopback listener.
   */
  now: z.string().refine((v) => !Number.isNaN(Date.parse(v)) && /T.*(Z|[+-]\d{2}:\d{2})$/.test(v), 'an ISO-8601 time with a zone like 2027-01-01T00:00:00Z').optional(),
  allowClockOverride: z.enum(['0', '1']).default('0'),
  /** Where the pass module keeps audit logs, `ap-northeast` by default (W3.2). */
  regionAudit: z.string().regex(REGION, 'lowercase region name like us-west').default('ap-northeast'),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

const ENV_NAMES: Record<keyof z.infer<typeof configSchema>, string> = {
  host: 'TORIDE_HOST',
  port: 'TORIDE_PORT',
  dataDir: 'TORIDE_DATA_DIR',
  databaseUrl: 'TORIDE_DATABASE_URL',
  pgSchemaPrefix: 'TORIDE_PG_SCHEMA_PREFIX',
  publicUrl: 'TORIDE_PUBLIC_URL',
  tlsCert: 'TORIDE_TLS_CERT',
  tlsKey: 'TORIDE_TLS_KEY',
  trustedProxy: 'TORIDE_TRUSTED_PROXY',
  smtpUrl: 'TORIDE_SMTP_URL',
  mailFrom: 'TORIDE_MAIL_FROM',
  secretKey: 'TORIDE_SECRET_KEY',
  logLevel: 'TORIDE_LOG_LEVEL',
  logDir: 'TORIDE_LOG_DIR',
  backupRetentionDays: 'TORIDE_BACKUP_RETENTION_DAYS',
  rateLimits: 'TORIDE_RATE_LIMITS',
  jobsIntervalSeconds: 'TORIDE_JOBS_INTERVAL_SECONDS',
  requestTimeoutSeconds: 'TORIDE_REQUEST_TIMEOUT_SECONDS',
  shutdownTimeoutSeconds: 'TORIDE_SHUTDOWN_TIMEOUT_SECONDS',
  webDir: 'TORIDE_WEB_DIR',
  regionIdentity: 'TORIDE_REGION_IDENTITY',
  regionPlatform: 'TORIDE_REGION_PLATFORM',
  regionProjectsJa: 'TORIDE_REGION_PROJECTS_JA',
  regionProjectsEn: 'TORIDE_REGION_PROJECTS_EN',
  regionAudit: 'TORIDE_REGION_AUDIT',
  backlogRateLimit: 'TORIDE_BACKLOG_RATE_LIMIT',
  outboundPrivateTargets: 'TORIDE_OUTBOUND_PRIVATE_TARGETS',
  dnsServers: 'TORIDE_DNS_SERVERS',
  now: 'TORIDE_NOW',
  allowClockOverride: 'TORIDE_ALLOW_CLOCK_OVERRIDE',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function readFileLayer(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env.TORIDE_CONFIG ?? (existsSync('toride.config.json') ? 'toride.config.json' : undefined);
  if (!file) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError([`${file}: must contain a JSON object. Fix: write {"port": 3000, ...}.`]);
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([`${file}: cannot be read as JSON (${(error as Error).message}). Fix the file or unset TORIDE_CONFIG.`]);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = { ...readFileLayer(env) };
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  Object.assign(raw, overrides);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const name = ENV_NAMES[key as keyof typeof ENV_NAMES] ?? key;
        return `${name} (config key "${key}"): ${issue.message}. Got ${JSON.stringify(raw[key])}. Fix: set ${name} to a valid value or remove it to use the default.`;
      }),
    );
  }
  const config = result.data;
  const problems: string[] = [];
  if (Boolean(config.tlsCert) !== Boolean(config.tlsKey)) {
    problems.push('TORIDE_TLS_CERT and TORIDE_TLS_KEY: set both (PEM file paths) to serve HTTPS, or neither.');
  }
  if (!config.tlsCert && !config.trustedProxy && !isLoopback(config.host)) {
    problems.push(
      `TORIDE_HOST=${config.host}: plain HTTP is served only on a loopback address (W9.2). Fix: set TORIDE_TLS_CERT and TORIDE_TLS_KEY, or declare the TLS-terminating reverse proxy with TORIDE_TRUSTED_PROXY (its address), or listen on 127.0.0.1.`,
    );
  }
  if (config.databaseUrl && !config.secretKey) {
    problems.push(
      'TORIDE_SECRET_KEY: required with TORIDE_DATABASE_URL, because every instance on the database must share it (it encrypts 2FA secrets and signs CSRF tokens). Fix: generate one with `openssl rand -base64 32` and give the same value to every instance.',
    );
  }
  if (!isLoopback(config.host) && !config.publicUrl) {
    problems.push(`TORIDE_PUBLIC_URL: required when listening on ${config.host}, so links in emails point where users reach Toride. Fix: set it, e.g. https://toride.example.com.`);
  }
  if (config.now && config.allowClockOverride !== '1') {
    problems.push('TORIDE_NOW (or --now): a clock override is for tests and simulations only. Fix: unset it, or set TORIDE_ALLOW_CLOCK_OVERRIDE=1 on a test instance.');
  }
  if (config.now && !isLoopback(config.host)) {
    problems.push(`TORIDE_NOW (or --now): never honoured on a non-loopback listener (TORIDE_HOST=${config.host}). Fix: unset it, or listen on 127.0.0.1.`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ ...config, dataDir: path.resolve(config.dataDir), ...(config.logDir ? { logDir: path.resolve(config.logDir) } : {}) });
}

/** `ip`, `ip:port`, `[ipv6]:port` or a bare IPv6 address, as `dns.Resolver#setServers` takes them. */
function isDnsServer(value: string): boolean {
  if (isIP(value)) return true;
  const validPort = (port: string) => /^\d{1,5}$/.test(port) && Number(port) <= 65535;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    const rest = value.slice(end + 1);
    return end > 0 && isIP(value.slice(1, end)) === 6 && (rest === '' || (rest.startsWith(':') && validPort(rest.slice(1))));
  }
  const [host, port, ...rest] = value.split(':');
  return rest.length === 0 && isIP(host ?? '') === 4 && validPort(port ?? '');
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The address users reach; links in emails are built from it. */
export function publicUrlOf(config: Config): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const scheme = config.tlsCert ? 'https' : 'http';
  return `${scheme}://${config.host}:${config.port}`;
}

/** Cookies are Secure whenever users reach us over TLS: our own, or the declared proxy's. */
export const usesTls = (config: Config): boolean =>
  Boolean(config.tlsCert) || Boolean(config.trustedProxy) || (config.publicUrl?.startsWith('https://') ?? false);
