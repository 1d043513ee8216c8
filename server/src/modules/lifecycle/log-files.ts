import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DAY } from '../../kernel/clock';
import type { AuditSink } from '../../kernel/audit';
import { defineJob, type JobDefinition } from '../../kernel/jobs';
import { LOG_FILE_PATTERN } from '../../kernel/logger';

/**
 * Access and application log files are kept at most 545 days (W4.7). A file is named after the UTC
 * day its lines were written; it is deleted on day D+545 (its first line is then 545 days old), by
 * a job that runs at 00:00 UTC on the injectable clock. Every deletion is an audit event.
 */
export const LOG_FILE_RETENTION_DAYS = 545;

export interface LogFile {
  readonly name: string;
  readonly kind: 'access' | 'app';
  /** The UTC day in the name, `YYYY-MM-DD`. */
  readonly day: string;
  /** When it is deleted: 00:00 UTC of day + 545. */
  readonly deleteAt: Date;
}

export function logFileDeletionDate(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + LOG_FILE_RETENTION_DAYS * DAY);
}

/** Files of the log directory that follow our naming; anything else is never touched. */
export function listLogFiles(dir: string): LogFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: LogFile[] = [];
  for (const name of names.sort()) {
    const match = LOG_FILE_PATTERN.exec(name);
    if (!match || Number.isNaN(Date.parse(`${match[2]}T00:00:00Z`))) continue;
    files.push({ name, kind: match[1] as 'access' | 'app', day: match[2]!, deleteAt: logFileDeletionDate(match[2]!) });
  }
  return files;
}

/** Deletes the files due at `now`; returns their names. */
export async function deleteExpiredLogFiles(dir: string, now: Date, audit: AuditSink): Promise<string[]> {
  const deleted: string[] = [];
  for (const file of listLogFiles(dir)) {
    if (file.deleteAt.getTime() > now.getTime()) continue;
    rmSync(path.join(dir, file.name), { force: true });
    deleted.push(file.name);
    await audit.record({
      action: 'lifecycle.log_file.deleted',
      outcome: 'success',
      actor: { type: 'system', name: 'lifecycle' },
      target: { type: 'log_file', id: file.name },
      details: { kind: file.kind, day: file.day, retentionDays: LOG_FILE_RETENTION_DAYS, dueAt: file.deleteAt.toISOString() },
    });
  }
  return deleted;
}

export function logFilesRetentionJob(deps: { readonly logDir: string | undefined; readonly audit: AuditSink }): JobDefinition {
  return defineJob({
    name: 'lifecycle.log-files-retention',
    schedule: '0 0 * * *',
    run: async ({ now, logger }) => {
      if (!deps.logDir) return;
      const deleted = await deleteExpiredLogFiles(deps.logDir, now, deps.audit);
      if (deleted.length > 0) logger.info({ deleted }, 'log files past 545 days deleted');
    },
  });
}
