import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ContractRow, HistoryRow, LifecycleDb, PurgeRunRow, PurgeScope, Service } from './lifecycle.db';

/** Every SQL statement of the lifecycle store. */
export function lifecycleRepository(db: Kysely<LifecycleDb>) {
  return {
    contractsOf: (orgId: string) => db.selectFrom('lifecycle_contracts').selectAll().where('org_id', '=', orgId).orderBy('service').execute(),
    workspaceContractsOf: (orgIds: readonly string[]) =>
      orgIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('lifecycle_contracts').selectAll().where('service', '=', 'workspace').where('org_id', 'in', [...orgIds]).execute(),
    allContracts: () => db.selectFrom('lifecycle_contracts').selectAll().orderBy('org_id').orderBy('service').execute(),
    contract: (orgId: string, service: Service) =>
      db.selectFrom('lifecycle_contracts').selectAll().where('org_id', '=', orgId).where('service', '=', service).executeTakeFirst(),
    upsertContract: async (row: ContractRow) => {
      const { org_id: _orgId, service: _service, ...rest } = row;
      await db
        .insertInto('lifecycle_contracts')
        .values(row)
        .onConflict((oc) => oc.columns(['org_id', 'service']).doUpdateSet(rest))
        .execute();
    },
    /** Moves a contract only if it is still in `from` (two instances never both act). */
    transition: async (orgId: string, service: Service, from: string, changes: Partial<ContractRow>) => {
      const result = await db
        .updateTable('lifecycle_contracts')
        .set(changes)
        .where('org_id', '=', orgId)
        .where('service', '=', service)
        .where('state', '=', from as ContractRow['state'])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    addHistory: (row: HistoryRow) => db.insertInto('lifecycle_history').values(row).execute(),
    historyOf: (orgId: string) => db.selectFrom('lifecycle_history').selectAll().where('org_id', '=', orgId).orderBy('at').orderBy('id').execute(),
    dueAutoDeletes: (now: string) =>
      db.selectFrom('lifecycle_contracts').selectAll().where('service', '=', 'workspace').where('state', 'in', ['trial', 'suspended', 'cancelled']).where('auto_delete_at', '<=', now).execute(),
    dueAutoCancels: (now: string) =>
      db.selectFrom('lifecycle_contracts').selectAll().where('service', '=', 'projects-classic').where('state', 'in', ['trial', 'suspended']).where('auto_cancel_at', '<=', now).execute(),
    duePurges: (now: string) =>
      db
        .selectFrom('lifecycle_contracts')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('service', '=', 'workspace'), eb('state', '=', 'deleted'), eb('purge_at', '<=', now)]),
            eb.and([eb('service', '=', 'projects-classic'), eb('state', 'in', ['cancelled', 'deleted']), eb('purge_at', '<=', now)]),
            eb.and([eb('service', '=', 'pass'), eb('state', 'in', ['trial', 'suspended', 'cancelled', 'deleted']), eb('audit_purge_at', '<=', now)]),
          ]),
        )
        .execute(),
    /**
     * The earliest deadline still to act on (W4.13 deadline timer): an automatic deletion or
     * cancellation, or a purge (org, classic space, audit) not started yet. Runs already started
     * are resumed by the job's poll.
     */
    nextDeadline: async (): Promise<string | null> => {
      const notStarted = (scope: PurgeScope) => (eb: ExpressionBuilder<LifecycleDb, 'lifecycle_contracts'>) =>
        eb.not(eb.exists(eb.selectFrom('lifecycle_purge_runs as r').select('r.id').whereRef('r.org_id', '=', 'lifecycle_contracts.org_id').where('r.scope', '=', scope)));
      const [deletes, cancels, purges, classic, audits] = await Promise.all([
        db.selectFrom('lifecycle_contracts').select((eb) => eb.fn.min('auto_delete_at').as('at')).where('service', '=', 'workspace').where('state', 'in', ['trial', 'suspended', 'cancelled']).executeTakeFirst(),
        db.selectFrom('lifecycle_contracts').select((eb) => eb.fn.min('auto_cancel_at').as('at')).where('service', '=', 'projects-classic').where('state', 'in', ['trial', 'suspended']).executeTakeFirst(),
        db.selectFrom('lifecycle_contracts').select((eb) => eb.fn.min('purge_at').as('at')).where('service', '=', 'workspace').where('state', '=', 'deleted').where(notStarted('org')).executeTakeFirst(),
        db.selectFrom('lifecycle_contracts').select((eb) => eb.fn.min('purge_at').as('at')).where('service', '=', 'projects-classic').where('state', 'in', ['cancelled', 'deleted']).where(notStarted('projects-classic')).executeTakeFirst(),
        db.selectFrom('lifecycle_contracts').select((eb) => eb.fn.min('audit_purge_at').as('at')).where('service', '=', 'pass').where('state', 'in', ['trial', 'suspended', 'cancelled', 'deleted']).where(notStarted('audit')).executeTakeFirst(),
      ]);
      const all = [deletes, cancels, purges, classic, audits].map((r) => r?.at ?? null).filter((at): at is string => typeof at === 'string');
      return all.length === 0 ? null : all.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
    },
    runsOf: (orgId: string) => db.selectFrom('lifecycle_purge_runs').selectAll().where('org_id', '=', orgId).execute(),
    allRuns: () => db.selectFrom('lifecycle_purge_runs').selectAll().execute(),
    run: (orgId: string, scope: PurgeScope) =>
      db.selectFrom('lifecycle_purge_runs').selectAll().where('org_id', '=', orgId).where('scope', '=', scope).executeTakeFirst(),
    /** False when another instance started this run first (unique org + scope). */
    startRun: async (row: PurgeRunRow) => {
      const result = await db.insertInto('lifecycle_purge_runs').values(row).onConflict((oc) => oc.columns(['org_id', 'scope']).doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    saveProgress: (id: string, progress: string, batches: number, census?: string) =>
      db
        .updateTable('lifecycle_purge_runs')
        .set({ progress, batches, ...(census === undefined ? {} : { census }) })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute(),
    /** The first census of a run, or (extended) a census that grew by a newly opened store. */
    saveCensus: async (id: string, census: string, extended = false) => {
      let q = db.updateTable('lifecycle_purge_runs').set({ census }).where('id', '=', id).where('status', '=', 'running');
      if (!extended) q = q.where('census', 'is', null);
      await q.execute();
    },
    markResumed: (id: string) =>
      db
        .updateTable('lifecycle_purge_runs')
        .set((eb) => ({ resumes: eb('resumes', '+', 1) }))
        .where('id', '=', id)
        .execute(),
    completeRun: (id: string, completedAt: string) =>
      db.updateTable('lifecycle_purge_runs').set({ status: 'completed', completed_at: completedAt }).where('id', '=', id).execute(),
    addReceipt: (row: LifecycleDb['lifecycle_receipts']) =>
      db.insertInto('lifecycle_receipts').values(row).onConflict((oc) => oc.column('run_id').doNothing()).execute(),
    receiptsOf: (orgId: string) => db.selectFrom('lifecycle_receipts').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute(),
    allReceipts: () => db.selectFrom('lifecycle_receipts').select(['id', 'org_id', 'run_id', 'created_at']).orderBy('created_at').execute(),
    receipt: (orgId: string, id: string) =>
      db.selectFrom('lifecycle_receipts').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),
  };
}

export type LifecycleRepository = ReturnType<typeof lifecycleRepository>;
