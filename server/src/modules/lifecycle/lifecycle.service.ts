import type { AuditActor } from '../../kernel/audit';
import { DAY } from '../../kernel/clock';
import { newId } from '../../kernel/crypto';
import { badRequest, conflict, forbidden, notFound } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import { actorLabel, type LifecycleDeps } from './lifecycle.deps';
import type { ContractRow, ContractState, Service } from './lifecycle.db';
import { computeDeadlines, factsOf, RULES, timelineOf } from './schedule';

export interface StateChange {
  trialEndsAt?: Date | undefined;
  periodEndsAt?: Date | undefined;
  contractEndedAt?: Date | undefined;
}

const orgNotFound = () => notFound('org.not_found', 'Organization not found.');

/** Contract states and what admins and operators may do with them (W4.1–W4.3, W4.9). */
export function createLifecycleService(deps: LifecycleDeps) {
  const { kernel, repo } = deps;
  const iso = () => kernel.clock.now().toISOString();

  async function record(orgId: string, action: string, actor: AuditActor, meta: RequestMeta | null, details: Record<string, unknown>) {
    await kernel.audit.record({ orgId, action, outcome: 'success', actor, target: { type: 'org', id: orgId }, details, ip: meta?.ip ?? null, userAgent: meta?.userAgent ?? null, requestId: meta?.requestId ?? null });
  }

  /**
   * From the purge deadline on, the deletion is final (W4.1, W4.14): whether or not the job has
   * started the run yet — the clock decides, not the job.
   */
  async function purgeStarted(orgId: string, workspace?: ContractRow) {
    const current = workspace ?? (await repo.contract(orgId, 'workspace'));
    if (current?.state === 'deleted' && current.purge_at && Date.parse(current.purge_at) <= kernel.clock.now().getTime()) return true;
    return Boolean(await repo.run(orgId, 'org'));
  }

  /** Writes a state with its dates, recomputes and stores the deadlines, keeps the contract admin's contact. */
  async function setState(orgId: string, service: Service, state: ContractState, dates: StateChange, actor: AuditActor, meta: RequestMeta | null, reason: string) {
    const org = await deps.identity.org(orgId);
    if (!org) throw orgNotFound();
    if (service === 'workspace' && (await purgeStarted(orgId))) {
      throw conflict('lifecycle.purge_started', 'The purge of this organization has started; its state can no longer change (W4.14).');
    }
    const previous = await repo.contract(orgId, service);
    const now = iso();
    const toIso = (d: Date | undefined) => d?.toISOString() ?? null;
    if (state === 'trial' && !dates.trialEndsAt && !previous?.trial_ends_at) throw badRequest('lifecycle.trial_ends_required', 'A trial needs its end date (--trial-ends / trialEndsAt).');
    const contact = await deps.identity.contractAdminContact(orgId);
    const row: ContractRow = {
      org_id: orgId,
      service,
      state,
      trial_ends_at: toIso(dates.trialEndsAt) ?? previous?.trial_ends_at ?? null,
      period_ends_at: toIso(dates.periodEndsAt) ?? (state === 'paid' || state === 'cancelled' ? (previous?.period_ends_at ?? null) : null),
      contract_ended_at: state === 'suspended' ? (toIso(dates.contractEndedAt) ?? now) : null,
      cancelled_at: state === 'cancelled' ? now : null,
      deleted_at: state === 'deleted' ? now : null,
      auto_delete_at: null,
      auto_cancel_at: null,
      audit_purge_at: null,
      purge_at: null,
      contract_admin_name: contact?.name ?? previous?.contract_admin_name ?? null,
      contract_admin_email: contact?.email ?? previous?.contract_admin_email ?? null,
      updated_at: now,
    };
    const d = computeDeadlines(factsOf(row));
    Object.assign(row, { auto_delete_at: d.autoDeleteAt, auto_cancel_at: d.autoCancelAt, audit_purge_at: d.auditPurgeAt, purge_at: d.purgeAt });
    await repo.upsertContract(row);
    deps.deadlinesChanged?.();
    await repo.addHistory({ id: newId(), org_id: orgId, service, from_state: previous?.state ?? null, to_state: state, at: now, actor: actorLabel(actor), reason });
    if (service === 'workspace') {
      await deps.identity.setOrgState(orgId, { planState: state === 'paid' ? 'active' : state, deletedAt: state === 'deleted' ? now : null });
    }
    await record(orgId, `lifecycle.${service}.${state}`, actor, meta, { from: previous?.state ?? null, reason, deadlines: d });
    return row;
  }

  async function view(orgId: string) {
    const org = await deps.identity.org(orgId);
    if (!org) throw orgNotFound();
    const [contracts, runs, receipts, history] = await Promise.all([repo.contractsOf(orgId), repo.runsOf(orgId), repo.receiptsOf(orgId), repo.historyOf(orgId)]);
    const now = kernel.clock.now();
    const retention = kernel.config.backupRetentionDays;
    const workspace = contracts.find((c) => c.service === 'workspace');
    const orgRun = runs.find((r) => r.scope === 'org');
    return {
      orgId,
      orgName: org.name,
      planState: org.planState,
      deletedAt: org.deletedAt,
      restorable: workspace?.state === 'deleted' && !orgRun && !(workspace.purge_at && Date.parse(workspace.purge_at) <= now.getTime()),
      backupRetentionDays: retention,
      services: contracts.map((c) => ({
        service: c.service,
        state: c.state,
        trialEndsAt: c.trial_ends_at,
        periodEndsAt: c.period_ends_at,
        contractEndedAt: c.contract_ended_at,
        cancelledAt: c.cancelled_at,
        deletedAt: c.deleted_at,
        autoDeleteAt: c.auto_delete_at,
        autoCancelAt: c.auto_cancel_at,
        auditPurgeAt: c.audit_purge_at,
        purgeAt: c.purge_at,
      })),
      timeline: timelineOf(contracts.map(factsOf), runs, { now, backupRetentionDays: retention }),
      purges: runs.map((r) => ({
        scope: r.scope,
        status: r.status,
        dueAt: r.due_at,
        startedAt: r.started_at,
        completedAt: r.completed_at,
        completesBy: new Date(Date.parse(r.started_at) + RULES.purgeWindowDays * DAY).toISOString(),
        batches: Number(r.batches),
      })),
      receipts: receipts.map((r) => ({ id: r.id, createdAt: r.created_at })),
      history: history.map((h) => ({ service: h.service, from: h.from_state, to: h.to_state, at: h.at, reason: h.reason })),
    };
  }

  /**
   * The caller must be an admin of the org (deleted or not); others get the same 404 as a random id
   * (W7.7). From the purge on, memberships are gone with the org's data: its contract admin — a
   * kept contact (W4.10) — still reads the lifecycle view and the receipts through their account
   * (issue 16 §6); every change then answers 409 (the deletion is final, W4.14).
   */
  async function adminAccess(orgId: string, principal: { accountId: string; via: string; orgId?: string }) {
    if (principal.via === 'api_key' && principal.orgId !== orgId) throw orgNotFound();
    const access = await deps.identity.orgAccess(orgId, principal.accountId);
    if (!access) {
      const org = await deps.identity.org(orgId);
      const formerContractAdmin = org?.contractAdminId === principal.accountId && (org.planState === 'purged' || (org.planState === 'deleted' && (await purgeStarted(orgId))));
      if (formerContractAdmin) return { org, role: 'contract_admin' };
      throw orgNotFound();
    }
    if (access.role !== 'admin') throw forbidden('Only organization admins manage the contract.', 'lifecycle.admin_required');
    return access;
  }

  async function contractAdminOnly(orgId: string, accountId: string) {
    const org = await deps.identity.org(orgId);
    if (org?.contractAdminId && org.contractAdminId !== accountId) {
      throw forbidden('Only the contract admin of the organization can cancel or delete it.', 'lifecycle.contract_admin_required');
    }
  }

  /** Each org's workspace state for `GET /me` (identity, wired in app.ts); orgs without a contract are left out. */
  async function summaries(orgIds: readonly string[]): Promise<Map<string, { state: string; deletesAt: string | null; purgeStartsAt: string | null }>> {
    const rows = await repo.workspaceContractsOf(orgIds);
    return new Map(rows.map((c) => [c.org_id, { state: c.state, deletesAt: c.auto_delete_at, purgeStartsAt: c.purge_at }]));
  }

  return {
    setState,
    view,
    summaries,
    adminAccess,
    async cancel(orgId: string, accountId: string, actor: AuditActor, meta: RequestMeta) {
      await contractAdminOnly(orgId, accountId);
      const current = await repo.contract(orgId, 'workspace');
      if (current?.state === 'deleted') throw conflict('lifecycle.already_deleted', 'The organization is already deleted.');
      if (current?.state === 'cancelled') throw conflict('lifecycle.already_cancelled', 'The contract is already cancelled.');
      await setState(orgId, 'workspace', 'cancelled', {}, actor, meta, 'cancelled_by_contract_admin');
      return view(orgId);
    },
    async delete(orgId: string, accountId: string, actor: AuditActor, meta: RequestMeta) {
      await contractAdminOnly(orgId, accountId);
      const current = await repo.contract(orgId, 'workspace');
      if (current?.state === 'deleted') throw conflict('lifecycle.already_deleted', 'The organization is already deleted.');
      await setState(orgId, 'workspace', 'deleted', {}, actor, meta, 'deleted_by_contract_admin');
      return view(orgId);
    },
    /** During the grace period only (W4.1, W4.14): once the purge has started, no one can restore. */
    async restore(orgId: string, actor: AuditActor, meta: RequestMeta | null) {
      const current = await repo.contract(orgId, 'workspace');
      if (current?.state !== 'deleted') throw conflict('lifecycle.not_deleted', 'The organization is not deleted.');
      if (await purgeStarted(orgId, current)) throw conflict('lifecycle.purge_started', 'The purge deadline has passed: deleted data cannot be restored (W4.14).');
      const history = (await repo.historyOf(orgId)).filter((h) => h.service === 'workspace' && h.to_state === 'deleted').at(-1);
      const back = (history?.from_state ?? 'paid') as ContractState;
      // Back to the state before the deletion; if that state's own deadline has passed, the org gets
      // a fresh W4.3 window (suspended from now) rather than being deleted again at once.
      const candidate = computeDeadlines({ ...factsOf(current), state: back, cancelledAt: current.deleted_at });
      const expired = candidate.autoDeleteAt !== null && Date.parse(candidate.autoDeleteAt) <= kernel.clock.now().getTime();
      const to: ContractState = back === 'deleted' ? 'paid' : expired ? 'suspended' : back;
      await setState(orgId, 'workspace', to, {}, actor, meta, 'restored');
      await record(orgId, 'lifecycle.org.restored', actor, meta, { state: to });
      return view(orgId);
    },
  };
}

export type LifecycleService = ReturnType<typeof createLifecycleService>;
