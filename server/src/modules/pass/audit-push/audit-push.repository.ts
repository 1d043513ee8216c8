import type { Kysely } from 'kysely';
import type { PassDb } from '../pass.db';
import type { AuditPushTargetTable } from './audit-push.db';

/** All SQL of audit push targets (pass store). */
export function createAuditPushRepository(db: Kysely<PassDb>) {
  return {
    find: (orgId: string): Promise<AuditPushTargetTable | undefined> =>
      db.selectFrom('audit_push_targets').selectAll().where('org_id', '=', orgId).executeTakeFirst(),

    async insert(row: AuditPushTargetTable): Promise<void> {
      await db.insertInto('audit_push_targets').values(row).execute();
    },

    async update(orgId: string, patch: Partial<Omit<AuditPushTargetTable, 'org_id' | 'created_at'>>): Promise<void> {
      await db.updateTable('audit_push_targets').set(patch).where('org_id', '=', orgId).execute();
    },

    async delete(orgId: string): Promise<boolean> {
      const result = await db.deleteFrom('audit_push_targets').where('org_id', '=', orgId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Enabled targets whose next attempt is due (or that have never failed). */
    listDue: (now: string): Promise<AuditPushTargetTable[]> =>
      db
        .selectFrom('audit_push_targets')
        .selectAll()
        .where('enabled', '=', 1)
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
        .orderBy('org_id')
        .execute(),
  };
}

export type AuditPushRepository = ReturnType<typeof createAuditPushRepository>;
