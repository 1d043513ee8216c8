import type { Config } from '../../config';
import type { StoreSpec } from '../../kernel/store';
import * as createAudit from './migrations/20261125T2000-create-audit';
import * as erasableActor from './migrations/20261125T2240-erasable-actor';

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
  /** Random per entry; erased with name and email when the account is deleted (W4.4). */
  actor_salt: string | null;
  /** Salted digest of name and email: what the chain hashes, so erasure keeps it verifiable. */
  actor_digest: string | null;
  /** The email address the event is about (see AuditEntry.subjectEmail), with its own salt and digest. */
  subject_email: string | null;
  subject_salt: string | null;
  subject_digest: string | null;
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
  migrations: { '20261125T2000-create-audit': createAudit, '20261125T2240-erasable-actor': erasableActor },
});
