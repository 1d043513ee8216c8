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

/**
 * A module's public face to the kernel (DESIGN: module contract). `routes` are mounted under
 * `/api/v1`; data-lifecycle hooks let lifecycle and account deletion reach every store.
 */
export interface ModuleDefinition {
  readonly name: string;
  readonly routes?: FastifyPluginAsync;
  /** Routes outside `/api/v1` with their own prefix, e.g. the Backlog-compatible `/api/v2`. */
  /** `errors`: the surface's error shape, for what fails before a route is chosen (kernel/http/framework-errors.ts). */
  readonly mounts?: readonly { readonly prefix: string; readonly plugin: FastifyPluginAsync; readonly errors?: ErrorRenderer }[];
  readonly jobs?: readonly JobDefinition[];
  readonly authenticators?: readonly Authenticator[];
  describe?(orgId: string): Promise<StoreDescription[]>;
  /** Personal data only; authored content stays with the org as "deleted user" (W4.4, W4.11). */
  purgeAccount?(accountId: string, known: { readonly email: string | null }): Promise<void>;
  /**
   * Deletes at most `batchSize` rows of the org's data per call (W4.1, W4.13): idempotent and
   * resumable — the lifecycle engine calls it again until `done`, also after a crash. What W4.10
   * keeps (org id, project space id, contract records, contract admin's name/contact) stays.
   */
  purgeOrganization?(orgId: string, options: { readonly batchSize: number }): Promise<PurgeBatchResult>;
}

/** One batch of an organization purge: what was deleted now, and whether anything is left. */
export interface PurgeBatchResult {
  /** True once nothing of the org is left in this module's stores (except what W4.10 keeps). */
  readonly done: boolean;
  /** Rows deleted by this call, per store and kind (summed by the lifecycle engine into the receipt). */
  readonly deleted: readonly { module: string; region: string; kind: string; rows: number }[];
}

export const defineModule = (definition: ModuleDefinition): ModuleDefinition => definition;
