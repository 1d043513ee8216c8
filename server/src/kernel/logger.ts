import { pino, type Logger } from 'pino';
import type { Config } from '../config';

/**
 * JSON logs with ISO-8601 UTC timestamps (W13.1); secrets and cookies are redacted. CLI commands
 * log to stderr (fd 2) so their stdout stays clean for machines (`--json`).
 */
export function createLogger(config: Pick<Config, 'logLevel'>, fd: 1 | 2 = 1): Logger {
  return pino({
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
  }, pino.destination(fd));
}

export type { Logger };
