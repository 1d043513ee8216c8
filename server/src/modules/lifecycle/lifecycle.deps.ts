import type { AuditActor } from '../../kernel/audit';
import type { Kernel, ModuleDefinition, PurgeBatchResult } from '../../kernel/module';
import type { PurgeScope } from './lifecycle.db';
import type { LifecycleRepository } from './lifecycle.repository';
import type { ReceiptSigner } from './receipts';

/** What lifecycle needs of identity (implemented in identity/identity.purge.ts, wired in app.ts). */
export interface IdentityLifecycleApi {
  orgAccess(orgId: string, accountId: string): Promise<{ org: { id: string; name: string; planState: string; deletedAt: string | null }; role: string } | null>;
  org(orgId: string): Promise<{ id: string; name: string; planState: string; deletedAt: string | null; contractAdminId: string | null } | null>;
  reauthenticate(accountId: string, input: { password: string; code?: string | undefined; recoveryCode?: string | undefined }): Promise<void>;
  setOrgState(orgId: string, state: { planState: string; deletedAt: string | null }): Promise<void>;
  contractAdminContact(orgId: string): Promise<{ accountId: string; name: string | null; email: string | null; locale: string } | null>;
  /** The org row keeps exactly W4.10 and reads `purged` (identity/identity.purge.ts PURGED_ORG_KEPT). */
  markPurged(orgId: string): Promise<void>;
  purgedOrgsOfContractAdmin(accountId: string): Promise<{ id: string; deletedAt: string | null }[]>;
}

export interface PurgeTarget {
  readonly name: string;
  purge(orgId: string, options: { readonly batchSize: number }): Promise<PurgeBatchResult>;
}

export interface LifecycleDeps {
  readonly kernel: Kernel;
  readonly repo: LifecycleRepository;
  readonly identity: IdentityLifecycleApi;
  /** The modules of the running app, read late (the list is complete only after start-up): their purge and count hooks. */
  modules(): readonly ModuleDefinition[];
  readonly signer: ReceiptSigner;
  /** A contract's deadlines changed: re-arm the deadline timer (W4.13). */
  deadlinesChanged?: (() => void) | undefined;
  /** Rows per batch; small so other orgs' requests interleave (W4.13). */
  batchSize: number;
  /** Test hook, called after a batch deleted rows and before its counts are recorded; throwing simulates a crash there. */
  afterDelete?: ((info: { orgId: string; scope: PurgeScope; module: string; batches: number }) => void | Promise<void>) | undefined;
  /** Test hook, called after each batch is recorded; throwing simulates a crash mid-purge. */
  afterBatch?: ((info: { orgId: string; scope: PurgeScope; module: string; batches: number }) => void | Promise<void>) | undefined;
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', name: 'lifecycle' };
export const actorLabel = (actor: AuditActor) => `${actor.type}:${actor.id ?? actor.name ?? 'unknown'}`;
