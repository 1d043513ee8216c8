import path from 'node:path';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config';
import type { Clock } from './clock';
import { REDACTED, redactText, redactUrl, SECRET_HEADERS } from './redaction';

const REDACT = {
  paths: [
    ...SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`]),
    '*.password',
    '*.token',
    '*.secret',
    '*.apiKey',
    '*.accessToken',
    '*.access_token',
    '*.typetalkToken',
  ],
  censor: REDACTED,
};

type Serialized = Record<string, unknown>;

/**
 * Fastify logs each request with its URL; `?apiKey=` of a Backlog client must not land in the log
 * (issue 12 §5). These replace Fastify's serializers (a parent logger's serializers win in its
 * child loggers). Error messages and stacks may quote a URL too.
 */
const SERIALIZERS = {
  req: (req: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }): Serialized => ({
    method: req.method,
    url: redactUrl(req.url ?? ''),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
  err: (err: Error): Serialized => {
    const out = pino.stdSerializers.err(err) as unknown as Serialized;
    if (typeof out.message === 'string') out.message = redactText(out.message);
    if (typeof out.stack === 'string') out.stack = redactText(out.stack);
    return out;
  },
};

/** The options of every server logger: UTC ISO time (W13.1), redaction of credentials (issue 12 §5). */
export function loggerOptions(config: Pick<Config, 'logLevel'>, clock?: Clock): LoggerOptions {
  return {
    level: config.logLevel,
    timestamp: clock ? () => `,"time":"${clock.now().toISOString()}"` : pino.stdTimeFunctions.isoTime,
    redact: REDACT,
    serializers: SERIALIZERS,
    hooks: {
      // A message string may quote a URL ("calling https://…?token=…"): redact it as well.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
}

/**
 * JSON logs with ISO-8601 UTC timestamps (W13.1); secrets and cookies are redacted. CLI commands
 * log to stderr (fd 2) so their stdout stays clean for machines (`--json`). With `files` (from
 * `TORIDE_LOG_DIR`) every line also goes to the day's `app-YYYY-MM-DD.log` (W4.7).
 */
export function createLogger(config: Pick<Config, 'logLevel'>, fd: 1 | 2 = 1, files?: LogFiles | null, clock?: Clock): Logger {
  const console = pino.destination(fd);
  const destination: DestinationStream = files
    ? pino.multistream([
        { level: 'trace', stream: console },
        { level: 'trace', stream: files.app },
      ])
    : console;
  return pino(loggerOptions(config, clock), destination);
}

/** `access-2026-11-25.log`, `app-2026-11-25.log`: the UTC day the lines were written (W4.7). */
export const LOG_FILE_PATTERN = /^(access|app)-(\d{4}-\d{2}-\d{2})\.log$/;
export const logFileName = (kind: 'access' | 'app', at: Date) => `${kind}-${at.toISOString().slice(0, 10)}.log`;

/**
 * A destination that writes each line to the file of the current UTC day on the injectable clock.
 * Writes are synchronous (like pino's own stdout destination), so a line is on disk before the
 * next one is taken and nothing is lost when the day changes: the old file is flushed and closed,
 * the new one opened, then the line written.
 */
export class DailyFileStream implements DestinationStream {
  private day: string | null = null;
  private current: ReturnType<typeof pino.destination> | null = null;

  constructor(
    private readonly dir: string,
    private readonly kind: 'access' | 'app',
    private readonly clock: Clock,
  ) {}

  write(line: string): void {
    const now = this.clock.now();
    const day = now.toISOString().slice(0, 10);
    if (day !== this.day || !this.current) {
      this.close();
      this.current = pino.destination({ dest: path.join(this.dir, logFileName(this.kind, now)), sync: true, mkdir: true, append: true });
      this.day = day;
    }
    this.current.write(line);
  }

  /** The file lines go to now (null before the first line). */
  get file(): string | null {
    return this.day ? path.join(this.dir, `${this.kind}-${this.day}.log`) : null;
  }

  close(): void {
    if (!this.current) return;
    this.current.flushSync();
    this.current.end();
    this.current = null;
  }
}

/** The two daily-rotated log files of `TORIDE_LOG_DIR`. */
export class LogFiles {
  readonly app: DailyFileStream;
  readonly access: DailyFileStream;
  /** One line per request: method, path (query secrets redacted), status, ms, request id, ip. */
  readonly accessLogger: Logger;

  constructor(
    readonly dir: string,
    clock: Clock,
  ) {
    this.app = new DailyFileStream(dir, 'app', clock);
    this.access = new DailyFileStream(dir, 'access', clock);
    this.accessLogger = pino({ base: null, timestamp: () => `,"time":"${clock.now().toISOString()}"` }, this.access);
  }

  logRequest(entry: { method: string; url: string; status: number; ms: number; requestId: string; ip: string }): void {
    this.accessLogger.info({ method: entry.method, path: accessPath(entry.url), status: entry.status, ms: Math.round(entry.ms * 10) / 10, requestId: entry.requestId, ip: entry.ip });
  }

  close(): void {
    this.app.close();
    this.access.close();
  }
}

/** The request path with the values of secret-looking query parameters replaced by `[redacted]`. */
export const accessPath = (url: string): string => redactUrl(url);

export type { Logger };
