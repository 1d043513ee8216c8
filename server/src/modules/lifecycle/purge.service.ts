import { performance } from 'node:perf_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { publicUrlOf } from '../../config';
import { DAY } from '../../kernel/clock';
import { newId } from '../../kernel/crypto';
import { SYSTEM_ACTOR, type LifecycleDeps, type PurgeTarget } from './lifecycle.deps';
import type { ContractRow, PurgeCensus, PurgeProgress, PurgeRunRow, PurgeScope } from './lifecycle.db';
import { censusStores, extendCensus, reconcile, recordedOf, takeCensus } from './census';
import { computeDeadlines, factsOf, RULES } from './schedule';
import { LeaseLostError, type Heartbeat } from './lease';
import { receiptMail } from './lifecycle.mail';

/**
 * The lifecycle job (W4, W4.13): at each deadline exactly — deleted / cancelled automatically, then
 * the purge, batch by batch across every module's stores, recorded after each batch so a crash
 * resumes where it stopped. Other orgs' rows are never touched: modules delete by org id only.
 */
export function createPurgeEngine(deps: LifecycleDeps) {
  const { kernel, repo } = deps;
  const iso = () => kernel.clock.now().toISOString();

  function targetsOf(scope: PurgeScope): PurgeTarget[] {
    if (scope === 'audit') return deps.modules().flatMap((m) => (m.purgeAudit ? [{ name: 'audit', purge: (orgId: string, options: { batchSize: number }) => m.purgeAudit!(orgId, options) }] : []));
    const modules = deps.modules().filter((m) => m.purgeOrganization && (scope === 'org' || m.name === 'projects'));
    const targets: PurgeTarget[] = modules.map((m) => ({ name: m.name, purge: (orgId, options) => m.purgeOrganization!(orgId, options) }));
    // Mail about the org's content (notifications, invitations) is org data too (issue 16 §3).
    if (scope === 'org') targets.push({ name: 'platform', purge: (orgId, options) => kernel.mailer.purgeOrganization(orgId, options.batchSize) });
    return targets;
  }

  async function audit(orgId: string, action: string, details: Record<string, unknown>) {
    // On the platform chain: the org's own audit entries are among what the purge deletes (W4.6).
    await kernel.audit.record({ orgId: null, action, outcome: 'success', actor: SYSTEM_ACTOR, target: { type: 'org', id: orgId }, details });
  }

  /** W4.2, W4.3 (and a cancelled suite contract): the org is deleted at its deadline exactly. */
  async function autoDelete(row: ContractRow) {
    const at = row.auto_delete_at!;
    const deadlines = computeDeadlines({ ...factsOf(row), state: 'deleted', deletedAt: at });
    if (!(await repo.transition(row.org_id, 'workspace', row.state, { state: 'deleted', deleted_at: at, auto_delete_at: null, purge_at: deadlines.purgeAt, updated_at: iso() }))) return;
    await repo.addHistory({ id: newId(), org_id: row.org_id, service: 'workspace', from_state: row.state, to_state: 'deleted', at, actor: 'system:lifecycle', reason: `auto_delete_after_${row.state}` });
    await deps.identity.setOrgState(row.org_id, { planState: 'deleted', deletedAt: at });
    deps.deadlinesChanged?.();
    await audit(row.org_id, 'lifecycle.org.auto_deleted', { from: row.state, at, purgeAt: deadlines.purgeAt });
  }

  /** W4.9: a classic space whose trial ended / contract ended is cancelled at its deadline. */
  async function autoCancel(row: ContractRow) {
    const at = row.auto_cancel_at!;
    const deadlines = computeDeadlines({ ...factsOf(row), state: 'cancelled', cancelledAt: at });
    if (!(await repo.transition(row.org_id, 'projects-classic', row.state, { state: 'cancelled', cancelled_at: at, auto_cancel_at: null, purge_at: deadlines.purgeAt, updated_at: iso() }))) return;
    await repo.addHistory({ id: newId(), org_id: row.org_id, service: 'projects-classic', from_state: row.state, to_state: 'cancelled', at, actor: 'system:lifecycle', reason: `auto_cancel_after_${row.state}` });
    deps.deadlinesChanged?.();
    await audit(row.org_id, 'lifecycle.classic.auto_cancelled', { from: row.state, at, purgeAt: deadlines.purgeAt });
  }

  const scopeOf = (row: ContractRow): PurgeScope => (row.service === 'workspace' ? 'org' : row.service === 'pass' ? 'audit' : 'projects-classic');
  const dueOf = (row: ContractRow) => (row.service === 'pass' ? row.audit_purge_at! : row.purge_at!);

  async function purge(row: ContractRow, heartbeat: Heartbeat | undefined): Promise<void> {
    const scope = scopeOf(row);
    let run = await repo.run(row.org_id, scope);
    if (run?.status === 'completed') return;
    if (!run) {
      const fresh: PurgeRunRow = { id: newId(), org_id: row.org_id, scope, status: 'running', due_at: dueOf(row), started_at: iso(), completed_at: null, progress: '{}', batches: 0, census: null, resumes: 0 };
      if (await repo.startRun(fresh)) await audit(row.org_id, 'lifecycle.purge.started', { scope, dueAt: fresh.due_at, startedAt: fresh.started_at });
      run = await repo.run(row.org_id, scope);
      if (!run) return;
    } else {
      await repo.markResumed(run.id);
      run = { ...run, resumes: Number(run.resumes) + 1 };
      await audit(row.org_id, 'lifecycle.purge.resumed', { scope, batches: run.batches });
    }
    const progress = JSON.parse(run.progress) as PurgeProgress;
    // Counted before anything is deleted (no batch runs before this is stored): see census.ts.
    let census = run.census ? (JSON.parse(run.census) as PurgeCensus) : null;
    const counted = census ? censusStores(census) : new Set<string>();
    if (!census) {
      await repo.saveCensus(run.id, JSON.stringify(await takeCensus(deps, scope, row.org_id, counted)));
      // Another instance may have stored its census first: one census per run.
      census = JSON.parse((await repo.run(row.org_id, scope))?.census ?? '{}') as PurgeCensus;
    } else if (run.resumes > 0 && (await extendCensus(deps, scope, row.org_id, census, counted, recordedOf(progress)))) {
      // A resumed run whose census lacks a store (taken by an older build) adds it once, before any batch.
      await repo.saveCensus(run.id, JSON.stringify(census), true);
    }
    let batches = Number(run.batches);
    for (const target of targetsOf(scope)) {
      const entry = (progress[target.name] ??= { done: false, deleted: {} });
      while (!entry.done) {
        const batchStarted = performance.now();
        // Keeps the job's short lease while the purge is alive; once another instance holds it
        // (this one stalled past the lease), stop before deleting: that instance resumes.
        if (heartbeat && !(await heartbeat())) throw new LeaseLostError(`the ${scope} purge of ${row.org_id}`);
        const result = await target.purge(row.org_id, { batchSize: deps.batchSize });
        await deps.afterDelete?.({ orgId: row.org_id, scope, module: target.name, batches: batches + 1 });
        for (const d of result.deleted) {
          const key = `${d.module}/${d.region}/${d.kind}`;
          entry.deleted[key] = (entry.deleted[key] ?? 0) + d.rows;
        }
        entry.done = result.done;
        batches += 1;
        await repo.saveProgress(run.id, JSON.stringify(progress), batches);
        await deps.afterBatch?.({ orgId: row.org_id, scope, module: target.name, batches });
        // Small batches, each followed by a pause as long as it took: other orgs' requests go first
        // (W4.13). SQLite deletes block the event loop, and a bare setImmediate let a request through
        // one I/O turn per batch while it needs several (`npm run bench -- purge`: neighbour p50 4.5x
        // idle, 1.25x with the pause). Capped: a PostgreSQL batch mostly waits on the database, which
        // leaves the event loop free anyway. The purge runs at about half speed, far inside its 10-day window.
        await pause(Math.min(performance.now() - batchStarted, 50));
      }
      await audit(row.org_id, 'lifecycle.purge.module_done', { scope, module: target.name, deleted: entry.deleted });
    }
    const counts = await reconcile(deps, scope, row.org_id, recordedOf(progress), census, run.resumes > 0);
    await complete(row, run, counts);
  }

  async function complete(row: ContractRow, run: PurgeRunRow, counts: PurgeCensus) {
    const completedAt = iso();
    await repo.completeRun(run.id, completedAt);
    const deleted = Object.entries(counts)
      .filter(([, rows]) => rows > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, rows]) => {
        const [module = '', region = '', kind = ''] = key.split('/');
        return { module, region, kind, rows };
      });
    const backupsExpireAt = new Date(Date.parse(completedAt) + kernel.config.backupRetentionDays * DAY).toISOString();
    const file = await deps.signer.sign({
      receiptId: newId(),
      orgId: row.org_id,
      scope: run.scope,
      startedAt: run.started_at,
      completedAt,
      backupsExpireAt,
      deleted,
      totalRows: deleted.reduce((n, d) => n + d.rows, 0),
      issuedAt: completedAt,
    });
    await repo.addReceipt({ id: file.receipt.receiptId, org_id: row.org_id, run_id: run.id, created_at: completedAt, document: JSON.stringify(file) });
    if (run.scope === 'org') await deps.identity.markPurged(row.org_id);
    await audit(row.org_id, 'lifecycle.purge.completed', { scope: run.scope, receiptId: file.receipt.receiptId, totalRows: file.receipt.totalRows, backupsExpireAt });
    // The contract admin's contact is kept for exactly this (W4.10).
    const to = row.contract_admin_email;
    // Not tagged with the org: it carries only what W4.10 keeps (org id, counts) and outlives the purge.
    if (to) await kernel.mailer.send({ to, kind: 'lifecycle.receipt', ...receiptMail(row.contract_admin_name, file, `${publicUrlOf(kernel.config)}/orgs/${row.org_id}/settings/data`) });
  }

  return {
    /** One pass of the job at `now`: nothing before a deadline, the step at it. */
    async runDue(options: { heartbeat?: Heartbeat } = {}): Promise<{ deleted: number; cancelled: number; purged: number }> {
      const now = iso();
      const deletes = await repo.dueAutoDeletes(now);
      for (const row of deletes) await autoDelete(row);
      const cancels = await repo.dueAutoCancels(now);
      for (const row of cancels) await autoCancel(row);
      const purges = await repo.duePurges(now);
      let purged = 0;
      for (const row of purges) {
        const before = await repo.run(row.org_id, scopeOf(row));
        if (before?.status === 'completed') continue;
        await purge(row, options.heartbeat);
        purged += 1;
      }
      return { deleted: deletes.length, cancelled: cancels.length, purged };
    },
    purgeWindowDays: RULES.purgeWindowDays,
  };
}

export type PurgeEngine = ReturnType<typeof createPurgeEngine>;
