import type { Config } from '../../config';
import type { StoreSpec } from '../../kernel/store';
import * as createLifecycle from './migrations/20261126T2320-create-lifecycle';
import * as purgeCensus from './migrations/20261127T0315-purge-census';

/**
 * The services of a contract, and the one list of service names everywhere: contract states,
 * service sunsets (W4.8), the CLI and the web app.
 */
export const SERVICES = ['workspace', 'pass', 'projects-classic'] as const;
export type Service = (typeof SERVICES)[number];
/** The modules holding each service's data: the workspace is the whole suite (every module). */
export const SERVICE_MODULES: Readonly<Record<Service, readonly string[] | 'every'>> = { workspace: 'every', pass: ['pass'], 'projects-classic': ['projects'] };
/** Services whose end takes the org's audit log with it (the log belongs to pass, W4.6). */
export const SERVICES_WITH_AUDIT_LOG: ReadonlySet<Service> = new Set(['workspace', 'pass']);
export const isService = (name: string): name is Service => (SERVICES as readonly string[]).includes(name);
export const STATES = ['trial', 'paid', 'suspended', 'cancelled', 'deleted'] as const;
export type ContractState = (typeof STATES)[number];
export type PurgeScope = 'org' | 'projects-classic' | 'audit';

export interface ContractRow {
  org_id: string;
  service: Service;
  state: ContractState;
  trial_ends_at: string | null;
  period_ends_at: string | null;
  contract_ended_at: string | null;
  cancelled_at: string | null;
  deleted_at: string | null;
  /** Computed deadlines, stored whenever the state changes (schedule.ts). */
  auto_delete_at: string | null;
  auto_cancel_at: string | null;
  audit_purge_at: string | null;
  purge_at: string | null;
  /** Kept after the purge (W4.10). */
  contract_admin_name: string | null;
  contract_admin_email: string | null;
  updated_at: string;
}

export interface HistoryRow {
  id: string;
  org_id: string;
  service: string;
  from_state: string | null;
  to_state: string;
  at: string;
  actor: string;
  reason: string;
}

/** Per module: finished or not, rows deleted per `store/kind`. */
export type PurgeProgress = Record<string, { done: boolean; deleted: Record<string, number> }>;

export interface PurgeRunRow {
  id: string;
  org_id: string;
  scope: PurgeScope;
  status: 'running' | 'completed';
  due_at: string;
  started_at: string;
  completed_at: string | null;
  /** JSON of PurgeProgress. */
  progress: string;
  batches: number;
  /** JSON of PurgeCensus: the org's rows per `module/region/kind` before they were purged. */
  census: string | null;
  /** How often the run was picked up again after a crash or a lost lease. */
  resumes: number;
}

/** Rows of the org per `module/region/kind` (table), counted before the purge deletes them. */
export type PurgeCensus = Record<string, number>;

export interface LifecycleDb {
  lifecycle_contracts: ContractRow;
  lifecycle_history: HistoryRow;
  lifecycle_purge_runs: PurgeRunRow;
  lifecycle_receipts: { id: string; org_id: string; run_id: string; created_at: string; document: string };
  lifecycle_signing_keys: { id: string; public_key_pem: string; private_key_sealed: string; created_at: string };
}

/** Contract states and the deletion schedule are deployment metadata: the platform region. */
export const lifecycleStoreSpec = (config: Config): StoreSpec => ({
  module: 'lifecycle',
  region: config.regionPlatform,
  migrations: { '20261126T2320-create-lifecycle': createLifecycle, '20261127T0315-purge-census': purgeCensus },
});
