import path from 'node:path';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config';
import type { Clock } from './clock';

const REDACT = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
  censor: '[redacted]',
};

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
  return pino(
    {
      level: config.logLevel,
      timestamp: clock ? () => `,"time":"${clock.now().toISOString()}"` : pino.stdTimeFunctions.isoTime,
      redact: REDACT,
    },
    destination,
  );
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

const SECRET_PARAM = /token|code|key|secret|password|passwd|signature|sig|state|ticket|session|auth|otp|nonce|saml/i;

/** The request path with the values of secret-looking query parameters replaced by `[redacted]`. */
export function accessPath(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=[redacted]` : part;
    });
  return params.length ? `${url.slice(0, q)}?${params.join('&')}` : url.slice(0, q);
}

export type { Logger };
