/**
 * The audit sink every module writes to: each security event with actor, org, action, target, IP,
 * user agent, outcome and UTC time (W13.1). The kernel only defines the contract; the pass module
 * implements it on its own store in the audit region (W3.2) with a per-org hash chain, search,
 * export and retention (W4.6).
 */
export interface AuditActor {
  type: 'account' | 'operator' | 'system' | 'anonymous';
  id?: string | null;
  name?: string | null;
  email?: string | null;
}

export interface AuditEntry {
  orgId?: string | null;
  /** Which product the event belongs to; `platform` unless a product module says otherwise. */
  product?: string;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actor: AuditActor;
  target?: { type: string; id: string } | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
  /**
   * The email address the event is about when it is not the actor's (an invitee, a new address).
   * Kept outside `details` so it can be erased when its account is deleted (W4.4).
   */
  subjectEmail?: string | null;
}

export interface AuditRecord extends Omit<AuditEntry, 'details' | 'product' | 'subjectEmail'> {
  subjectEmail: string | null;
  id: string;
  seq: number;
  at: string;
  product: string;
  category: string;
  details: Record<string, unknown> | null;
}

export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first; for tests and internal checks (the API searches through the pass module). */
  list(filter: { orgId?: string | null; action?: string; target?: string; limit?: number }): Promise<AuditRecord[]>;
}
