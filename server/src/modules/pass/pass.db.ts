import type { Config } from '../../config';
import type { StoreSpec } from '../../kernel/store';

/**
 * The pass store: org-level enterprise settings (verified domains, SSO connections, SCIM tokens, audit
 * push targets). Each sub-feature declares its own tables in its folder and adds them here; the audit
 * log itself has its own store (`audit.db.ts`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the sub-features' table interfaces
export interface PassDb {}

/** Pass settings live beside the audit log, in the pass region (`ap-northeast` by default, W3.2). */
export const passStoreSpec = (config: Config): StoreSpec => ({
  module: 'pass',
  region: config.regionAudit,
  migrations: {},
});
