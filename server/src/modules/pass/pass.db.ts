import type { Config } from '../../config';
import type { StoreSpec } from '../../kernel/store';
import type { AuditPushTables } from './audit-push/audit-push.db';
import * as createAuditPush from './migrations/20261125T2250-create-audit-push';
import type { DomainsDb } from './domains/domains.db';
import type { ScimDb } from './scim/scim.db';
import { createSsoMigration, ssoSloMetadataMigration, type SsoDb } from './sso';
import * as createScim from './scim/migrations/20261125T2305-create-scim';
import * as createVerifiedDomains from './domains/migrations/20261125T2255-create-verified-domains';

/**
 * The pass store: org-level enterprise settings (verified domains, SSO connections, SCIM tokens, audit
 * push targets). Each sub-feature declares its own tables in its folder and adds them here; the audit
 * log itself has its own store (`audit.db.ts`).
 */
export type PassDb = AuditPushTables & DomainsDb & ScimDb & SsoDb;

/** Pass settings live beside the audit log, in the pass region (`ap-northeast` by default, W3.2). */
export const passStoreSpec = (config: Config): StoreSpec => ({
  module: 'pass',
  region: config.regionAudit,
  migrations: {
    '20261125T2250-create-audit-push': createAuditPush,
    '20261125T2255-create-verified-domains': createVerifiedDomains,
    '20261125T2305-create-scim': createScim,
    '20261125T2310-create-sso': createSsoMigration,
    '20261207T2350-sso-slo-metadata': ssoSloMetadataMigration,
  },
});
