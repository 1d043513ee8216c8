import type { Command } from 'commander';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { AuditSink } from './audit';
import type { Clock } from './clock';
import type { SecretBox } from './crypto';
import type { EventBus } from './events';
import type { ErrorRenderer } from './http/framework-errors';
import type { Authenticator } from './http/request-context';
import type { JobDefinition } from './jobs';
import type { Mailer } from './mail';
import type { Store, StoreRegistry } from './store';
import type { PlatformDb } from './platform-store';
import type { RateLimiter } from './rate-limit';
import { countOrgRows, type OrgStore } from './purge';

/** What the kernel hands every module. */
export interface Kernel {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stores: StoreRegistry;
  readonly platform: Store<PlatformDb>;
  readonly mailer: Mailer;
  readonly audit: AuditSink;
  readonly events: EventBus;
  readonly rateLimiter: RateLimiter;
  readonly secrets: SecretBox;
}

/** What a module holds for one org, per store (operator metadata and, later, the lifecycle report). */
export interface StoreDescription {
  module: string;
  region: string;
  kinds: { kind: string; rows: number }[];
}

/** Rows of one org in one table of one store: what a purge of that org would delete (or keep). */
export interface StoreCount {
  readonly module: string;
  readonly region: string;
  readonly table: string;
  readonly rows: number;
}

/**
 * What a module's CLI sub-commands get: `withApp` builds the whole app (configuration, stores,
 * migrations), runs `run` and closes it; commands that need no database (offline checks) skip it.
 * `A` is what the commands need of the built app (structurally a subset of app.ts `Toride`).
 */
export interface CommandContext<A> {
  withApp<T>(run: (app: A) => Promise<T>): Promise<T>;
  readStdin(): Promise<string>;
}

/** Registers a module's `toride …` sub-commands on the program (static: `toride --help` builds no app). */
export type ModuleCommands<A> = (program: Command, ctx: CommandContext<A>) => void;

/**
 * The module contract (DESIGN: module contract, docs/en/architecture.md). One object per module;
 * app.ts builds a list of them and iterates it — it never names a module's hooks.
 *
 * - `stores()`: the module's stores, opening any it opens lazily (project stores per region).
 * - HTTP: `routes` under `/api/v1`, `mounts` with their own prefix, `authenticators` for the
 *   kernel's request context.
 * - `jobs`: registered with the kernel's job runner.
 * - `commands`: the module's `toride` sub-commands (also listed in app.ts `MODULE_COMMANDS`,
 *   because the CLI registers them before any app is built).
 * - Data lifecycle: `purgeOrganization` / `purgeAudit` / `purgeAccount` delete; `count` says how
 *   many rows of an org the module holds per store and table (the lifecycle census, W4.1), and
 *   defaults to counting every `org_id` table of `stores()` (kernel `countModule`).
 * - `describe`: what the operator sees per org; `export`: reserved for the W4 data export.
 */
export interface ModuleDefinition {
  readonly name: string;
  stores?(): Promise<readonly OrgStore[]>;
  readonly routes?: FastifyPluginAsync;
  /** Routes outside `/api/v1` with their own prefix, e.g. the Backlog-compatible `/api/v2`. */
  /** `errors`: the surface's error shape, for what fails before a route is chosen (kernel/http/framework-errors.ts). */
  readonly mounts?: readonly { readonly prefix: string; readonly plugin: FastifyPluginAsync; readonly errors?: ErrorRenderer }[];
  readonly jobs?: readonly JobDefinition[];
  readonly authenticators?: readonly Authenticator[];
  readonly commands?: ModuleCommands<never>;
  describe?(orgId: string): Promise<StoreDescription[]>;
  /**
   * Rows of the org per store and table in every store the module's purges reach, lazily opened
   * ones included — so the lifecycle engine counts them before the first batch deletes anything.
   */
  count?(orgId: string): Promise<StoreCount[]>;
  /** Personal data only; authored content stays with the org as "deleted user" (W4.4, W4.11). */
  purgeAccount?(accountId: string, known: { readonly email: string | null }): Promise<void>;
  /**
   * Deletes at most `batchSize` rows of the org's data per call (W4.1, W4.13): idempotent and
   * resumable — the lifecycle engine calls it again until `done`, also after a crash. What W4.10
   * keeps (org id, project space id, contract records, contract admin's name/contact) stays.
   */
  purgeOrganization?(orgId: string, options: { readonly batchSize: number }): Promise<PurgeBatchResult>;
  /** W4.6: only the org's audit entries (its pass contract ended); same batch contract. */
  purgeAudit?(orgId: string, options: { readonly batchSize: number }): Promise<PurgeBatchResult>;
  /** Not implemented by any module yet: the org's data as files, for the W4 export. */
  export?(orgId: string, write: (file: { path: string; body: string | Uint8Array }) => Promise<void>): Promise<void>;
}

/** One batch of an organization purge: what was deleted now, and whether anything is left. */
export interface PurgeBatchResult {
  /** True once nothing of the org is left in this module's stores (except what W4.10 keeps). */
  readonly done: boolean;
  /** Rows deleted by this call, per store and kind (summed by the lifecycle engine into the receipt). */
  readonly deleted: readonly { module: string; region: string; kind: string; rows: number }[];
}

export const defineModule = (definition: ModuleDefinition): ModuleDefinition => definition;

/**
 * A module's `count`, else every `org_id` table of its `stores()`; nothing when it has neither.
 * `wanted` picks stores by module/region before any row is counted (a census of one scope, or of
 * the stores it has not counted yet, reads nothing else).
 */
export async function countModule(module: ModuleDefinition, orgId: string, wanted: (store: { module: string; region: string }) => boolean = () => true): Promise<StoreCount[]> {
  if (module.count) return (await module.count(orgId)).filter(wanted);
  if (!module.stores) return [];
  return countOrgRows((await module.stores()).filter(wanted), orgId);
}
