import type { Kysely } from 'kysely';
import type { AuditActor } from '../../kernel/audit';
import { DAY } from '../../kernel/clock';
import { newId } from '../../kernel/crypto';
import { badRequest, conflict, notFound } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { Kernel, ModuleDefinition } from '../../kernel/module';
import { isService, SERVICE_MODULES, SERVICES, SERVICES_WITH_AUDIT_LOG, type Service } from './lifecycle.db';
import type { SunsetDb, SunsetRow } from './sunset.db';
import { LeaseLostError, type Heartbeat } from './lease';
import { sunsetRepository } from './sunset.repository';

/**
 * Service sunset (W4.8): an operator ends a contract service at a date — `pass`,
 * `projects-classic`, or `workspace` (the whole suite: every module). From that moment a job purges the service's data of every org
 * through each module's `purgeOrganization` (batched, resumable: orgs already done are recorded),
 * then records when the last backup copy holding it expires (TORIDE_BACKUP_RETENTION_DAYS; there is
 * no backup module yet, so this is the promise of the backup policy, not a deletion we perform).
 */
export const SUNSET_SERVICES = SERVICES;
export type SunsetService = Service;
/** Like an org purge (W4.1): starts at T, completes within 10 days. */
export const SUNSET_PURGE_WINDOW_DAYS = 10;
const BATCH_SIZE = 1000;

export interface SunsetDeps {
  readonly kernel: Kernel;
  /** The store opens on first use (most deployments never schedule a sunset). */
  openDb(): Promise<Kysely<SunsetDb>>;
  /** The modules of the running app (read late: the list is complete only after start-up). */
  modules(): readonly ModuleDefinition[];
  listOrgIds(): Promise<string[]>;
  /** A sunset was scheduled or cancelled: re-arm the deadline timer (W4.13). */
  deadlinesChanged?: (() => void) | undefined;
}

export interface SunsetView {
  id: string;
  service: string;
  at: string;
  status: SunsetRow['status'];
  createdAt: string;
  createdBy: string;
  cancelledAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  /** Planned until the purge completes: at + 10 days. */
  purgeCompletesBy: string;
  /** When the last backup copy holding the service's data expires (planned until completed). */
  backupsExpireAt: string;
  orgsPurged: number;
  rowsDeleted: number;
}

export function presentSunset(row: SunsetRow, backupRetentionDays: number): SunsetView {
  const purgeCompletesBy = row.completed_at ?? new Date(Date.parse(row.at) + SUNSET_PURGE_WINDOW_DAYS * DAY).toISOString();
  return {
    id: row.id,
    service: row.service,
    at: row.at,
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    cancelledAt: row.cancelled_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    purgeCompletesBy,
    backupsExpireAt: row.backups_expire_at ?? new Date(Date.parse(purgeCompletesBy) + backupRetentionDays * DAY).toISOString(),
    orgsPurged: Number(row.orgs_purged),
    rowsDeleted: Number(row.rows_deleted),
  };
}

const actorLabel = (actor: AuditActor) => `${actor.type}:${actor.id ?? actor.name ?? 'unknown'}`;

export function createSunsetService(deps: SunsetDeps) {
  const repository = async () => sunsetRepository(await deps.openDb());
  const { kernel } = deps;
  const present = (row: SunsetRow) => presentSunset(row, kernel.config.backupRetentionDays);
  const targets = (service: string): { name: string; purgeOrganization?: ModuleDefinition['purgeOrganization'] }[] => {
    const modules = isService(service) ? SERVICE_MODULES[service] : [];
    const found: { name: string; purgeOrganization?: ModuleDefinition['purgeOrganization'] }[] = deps.modules().filter((m) => m.purgeOrganization && (modules === 'every' || modules.includes(m.name)));
    // The whole suite ends: the org's mail in the platform outbox goes too (issue 16 §3).
    if (modules === 'every') found.push({ name: 'platform', purgeOrganization: (orgId, o) => kernel.mailer.purgeOrganization(orgId, o.batchSize) });
    return found;
  };

  async function purgeOrg(repo: ReturnType<typeof sunsetRepository>, sunset: SunsetRow, orgId: string, now: () => string, heartbeat?: Heartbeat): Promise<number> {
    let rows = 0;
    const kinds: Record<string, number> = {};
    for (const module of targets(sunset.service)) {
      for (;;) {
        // The job's short lease stays ours while this runs; if another instance took it, stop here.
        if (heartbeat && !(await heartbeat())) throw new LeaseLostError(`the sunset ${sunset.id} (org ${orgId})`);
        const batch = await module.purgeOrganization!(orgId, { batchSize: BATCH_SIZE });
        for (const d of batch.deleted) {
          rows += d.rows;
          const key = `${d.module}@${d.region}/${d.kind}`;
          kinds[key] = (kinds[key] ?? 0) + d.rows;
        }
        if (batch.done) break;
      }
    }
    await repo.recordOrg({ sunset_id: sunset.id, org_id: orgId, rows_deleted: rows, completed_at: now() });
    const event = {
      action: 'lifecycle.sunset.org_purged',
      outcome: 'success' as const,
      actor: { type: 'system' as const, name: 'lifecycle' },
      target: { type: 'service_sunset', id: sunset.id },
      details: { orgId, service: sunset.service, rows, deleted: kinds },
    };
    // Always in the platform chain; in the org's own chain too unless the sunset just purged it
    // (the audit log belongs to pass, W4.6).
    await kernel.audit.record(event);
    if (!(isService(sunset.service) && SERVICES_WITH_AUDIT_LOG.has(sunset.service))) await kernel.audit.record({ ...event, orgId });
    return rows;
  }

  return {
    list: async () => (await (await repository()).list()).map(present),

    async get(id: string): Promise<SunsetView> {
      const repo = await repository();
      const row = await repo.find(id);
      if (!row) throw notFound('lifecycle.sunset_not_found', 'No such service sunset.');
      return present(row);
    },

    async schedule(input: { service: string; at: Date; actor: AuditActor; meta?: RequestMeta }): Promise<SunsetView> {
      if (!isService(input.service)) {
        throw badRequest('lifecycle.unknown_service', `Unknown service "${input.service.slice(0, 40)}". Use one of: ${SERVICES.join(', ')}.`);
      }
      const repo = await repository();
      const now = kernel.clock.now();
      if (Number.isNaN(input.at.getTime()) || input.at.getTime() <= now.getTime()) {
        throw badRequest('lifecycle.sunset_not_in_future', 'A sunset must be scheduled in the future.');
      }
      if (await repo.active(input.service)) throw conflict('lifecycle.sunset_exists', `A sunset of "${input.service}" is already scheduled; cancel it first.`);
      const row: SunsetRow = {
        id: newId(),
        service: input.service,
        at: input.at.toISOString(),
        status: 'scheduled',
        created_at: now.toISOString(),
        created_by: actorLabel(input.actor),
        cancelled_at: null,
        started_at: null,
        completed_at: null,
        orgs_purged: 0,
        rows_deleted: 0,
        backups_expire_at: null,
      };
      await repo.insert(row);
      deps.deadlinesChanged?.();
      const view = present(row);
      await kernel.audit.record({
        action: 'lifecycle.sunset.scheduled',
        outcome: 'success',
        actor: input.actor,
        ...input.meta,
        target: { type: 'service_sunset', id: row.id },
        details: { service: row.service, at: row.at, purgeCompletesBy: view.purgeCompletesBy, backupsExpireAt: view.backupsExpireAt },
      });
      return view;
    },

    async cancel(id: string, actor: AuditActor, meta?: RequestMeta): Promise<SunsetView> {
      const repo = await repository();
      const row = await repo.find(id);
      if (!row) throw notFound('lifecycle.sunset_not_found', 'No such service sunset.');
      const now = kernel.clock.now().toISOString();
      if (!(await repo.transition(id, 'scheduled', 'cancelled', { cancelled_at: now }))) {
        throw conflict('lifecycle.sunset_not_cancellable', 'Only a sunset that has not started can be cancelled; once its purge starts, no one can stop it (W4.14).');
      }
      deps.deadlinesChanged?.();
      await kernel.audit.record({ action: 'lifecycle.sunset.cancelled', outcome: 'success', actor, ...meta, target: { type: 'service_sunset', id }, details: { service: row.service, at: row.at } });
      return present({ ...row, status: 'cancelled', cancelled_at: now });
    },

    /** The earliest sunset not started yet (the deadline timer's next instant). */
    async nextDeadline(): Promise<Date | null> {
      const next = await (await repository()).nextScheduled();
      return next ? new Date(next.at) : null;
    },

    /** The job's work: start due sunsets and purge every org not yet done; safe to run again after a crash. */
    async runDue(options: { heartbeat?: Heartbeat } = {}): Promise<number> {
      const repo = await repository();
      const nowIso = () => kernel.clock.now().toISOString();
      let completed = 0;
      for (const sunset of await repo.due(nowIso())) {
        if (sunset.status === 'scheduled') {
          if (!(await repo.transition(sunset.id, 'scheduled', 'running', { started_at: nowIso() }))) continue;
          await kernel.audit.record({ action: 'lifecycle.sunset.started', outcome: 'success', actor: { type: 'system', name: 'lifecycle' }, target: { type: 'service_sunset', id: sunset.id }, details: { service: sunset.service, at: sunset.at } });
        }
        const done = new Map((await repo.purgedOrgs(sunset.id)).map((r) => [r.org_id, Number(r.rows_deleted)]));
        for (const orgId of await deps.listOrgIds()) {
          if (!done.has(orgId)) done.set(orgId, await purgeOrg(repo, sunset, orgId, nowIso, options.heartbeat));
        }
        const completedAt = nowIso();
        const backupsExpireAt = new Date(Date.parse(completedAt) + kernel.config.backupRetentionDays * DAY).toISOString();
        const rows = [...done.values()].reduce((a, b) => a + b, 0);
        if (!(await repo.transition(sunset.id, 'running', 'completed', { completed_at: completedAt, orgs_purged: done.size, rows_deleted: rows, backups_expire_at: backupsExpireAt }))) continue;
        completed += 1;
        await kernel.audit.record({
          action: 'lifecycle.sunset.completed',
          outcome: 'success',
          actor: { type: 'system', name: 'lifecycle' },
          target: { type: 'service_sunset', id: sunset.id },
          details: { service: sunset.service, orgs: done.size, rows, backupsExpireAt, backupRetentionDays: kernel.config.backupRetentionDays },
        });
      }
      return completed;
    },
  };
}

export type SunsetApi = ReturnType<typeof createSunsetService>;
