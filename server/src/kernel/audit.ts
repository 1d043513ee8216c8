import type { Kysely } from 'kysely';
import type { Clock } from './clock';
import { newId } from './crypto';
import type { PlatformDb } from './platform-store';

/**
 * The audit sink: every security event with actor, org, action, target, IP, user agent, outcome
 * and UTC time. The pass module builds search, retention, export and the hash chain on top of it.
 */
export interface AuditActor {
  type: 'account' | 'operator' | 'system' | 'anonymous';
  id?: string | null;
  name?: string | null;
  email?: string | null;
}

export interface AuditEntry {
  orgId?: string | null;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actor: AuditActor;
  target?: { type: string; id: string } | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Omit<AuditEntry, 'details'> {
  id: string;
  at: string;
  details: Record<string, unknown> | null;
}

export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
  list(filter: { orgId?: string | null; action?: string; limit?: number }): Promise<AuditRecord[]>;
}

export function createAuditSink(db: Kysely<PlatformDb>, clock: Clock): AuditSink {
  return {
    async record(entry) {
      await db
        .insertInto('audit_events')
        .values({
          id: newId(),
          org_id: entry.orgId ?? null,
          at: clock.now().toISOString(),
          action: entry.action,
          outcome: entry.outcome,
          actor_type: entry.actor.type,
          actor_id: entry.actor.id ?? null,
          actor_name: entry.actor.name ?? null,
          actor_email: entry.actor.email ?? null,
          target_type: entry.target?.type ?? null,
          target_id: entry.target?.id ?? null,
          ip: entry.ip ?? null,
          user_agent: entry.userAgent ?? null,
          request_id: entry.requestId ?? null,
          details: entry.details ? JSON.stringify(entry.details) : null,
        })
        .execute();
    },
    async list(filter) {
      let query = db.selectFrom('audit_events').selectAll().orderBy('at', 'desc').orderBy('id', 'desc');
      if (filter.orgId !== undefined) {
        query = filter.orgId === null ? query.where('org_id', 'is', null) : query.where('org_id', '=', filter.orgId);
      }
      if (filter.action) query = query.where('action', '=', filter.action);
      const rows = await query.limit(filter.limit ?? 100).execute();
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        orgId: row.org_id,
        action: row.action,
        outcome: row.outcome as AuditRecord['outcome'],
        actor: { type: row.actor_type as AuditActor['type'], id: row.actor_id, name: row.actor_name, email: row.actor_email },
        target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
        ip: row.ip,
        userAgent: row.user_agent,
        requestId: row.request_id,
        details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
      }));
    },
  };
}
