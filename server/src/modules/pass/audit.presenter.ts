import type { z } from 'zod';
import type { AuditRecord } from '../../kernel/audit';
import { canonicalJson, isErased, type ChainedEntry, type ChainedFields } from './audit-chain';
import type { AuditEventRow } from './audit.db';
import type { auditEventSchema } from './audit.schemas';

/** Row → API shapes. `chain_key` is internal and never leaves through here. */
export const rowToChained = (row: AuditEventRow): ChainedEntry => ({
  id: row.id,
  orgId: row.org_id,
  seq: Number(row.seq),
  at: row.at,
  product: row.product,
  category: row.category,
  action: row.action,
  outcome: row.outcome,
  actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name, email: row.actor_email, salt: row.actor_salt, digest: row.actor_digest },
  ip: row.ip,
  userAgent: row.user_agent,
  target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
  subject: row.subject_digest ? { email: row.subject_email, salt: row.subject_salt, digest: row.subject_digest } : null,
  requestId: row.request_id,
  details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export const presentAuditEvent = (row: AuditEventRow): z.infer<typeof auditEventSchema> => {
  const { prevHash: _prevHash, actor, subject, ...event } = rowToChained(row);
  return {
    ...event,
    actor: { type: actor.type, id: actor.id, name: actor.name, email: actor.email, erased: isErased(actor) },
    subject: subject ? { email: subject.email, erased: isErased(subject) } : null,
  };
};

export const presentAuditRecord = (row: AuditEventRow): AuditRecord => {
  const { actor, subject, ...entry } = rowToChained(row);
  return {
    ...entry,
    subjectEmail: subject?.email ?? null,
    outcome: entry.outcome as AuditRecord['outcome'],
    actor: { type: actor.type as AuditRecord['actor']['type'], id: actor.id, name: actor.name, email: actor.email },
  };
};

/** One JSON Lines export line: exactly the hashed fields plus the hash, so it verifies offline. */
export const exportJsonLine = (row: AuditEventRow): string => `${JSON.stringify(rowToChained(row) satisfies ChainedFields)}\n`;

export const CSV_COLUMNS = [
  'seq', 'id', 'at', 'product', 'category', 'action', 'outcome', 'actor_type', 'actor_id', 'actor_name', 'actor_email',
  'ip', 'user_agent', 'target_type', 'target_id', 'subject_email', 'request_id', 'details', 'prev_hash', 'hash',
] as const;

/**
 * RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run as a formula
 * (names and user agents are user-controlled). JSON Lines is the faithful, verifiable format.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

export function exportCsvLine(row: AuditEventRow): string {
  const cells: (string | number | null)[] = [
    Number(row.seq), row.id, row.at, row.product, row.category, row.action, row.outcome, row.actor_type, row.actor_id, row.actor_name,
    row.actor_email, row.ip, row.user_agent, row.target_type, row.target_id, row.subject_email, row.request_id,
    row.details ? canonicalJson(JSON.parse(row.details)) : null, row.prev_hash, row.hash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
