import type { Config } from '../../config';
import type { StoreSpec } from '../../kernel/store';
import * as createAudit from './migrations/20261125T2000-create-audit';

export interface AuditEventRow {
  id: string;
  chain_key: string;
  seq: number;
  org_id: string | null;
  at: string;
  product: string;
  category: string;
  action: string;
  outcome: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_email: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  /** Canonical JSON (sorted keys), so what is stored is byte-for-byte what was hashed. */
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditChainRow {
  chain_key: string;
  org_id: string | null;
  head_seq: number;
  head_hash: string;
  /** The last purged entry (seq 0 and the genesis hash before any purge): where the chain now starts. */
  anchor_seq: number;
  anchor_hash: string;
  updated_at: string;
}

export interface AuditDb {
  audit_events: AuditEventRow;
  audit_chains: AuditChainRow;
}

/** Audit logs live in the pass region, `ap-northeast` by default (W3.2). */
export const auditStoreSpec = (config: Config): StoreSpec => ({
  module: 'audit',
  region: config.regionAudit,
  migrations: { '20261125T2000-create-audit': createAudit },
});
