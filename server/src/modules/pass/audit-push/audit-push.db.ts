/** One push target per org: where new audit entries are POSTed, signed with HMAC (issue 4 §6). */
export interface AuditPushTargetTable {
  org_id: string;
  url: string;
  /** The signing secret, sealed with the deployment's secret key (W9.3); shown to the admin once. */
  secret_sealed: string;
  enabled: number;
  /** The last chain position delivered; delivery resumes after it, so nothing is skipped or repeated. */
  last_delivered_seq: number;
  failures: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditPushTables {
  audit_push_targets: AuditPushTargetTable;
}
