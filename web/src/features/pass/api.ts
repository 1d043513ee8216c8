import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

const enc = encodeURIComponent;

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEvent {
  id: string;
  orgId: string | null;
  seq: number;
  at: string;
  product: string;
  category: string;
  action: string;
  outcome: AuditOutcome | string;
  /** `erased`: the account was deleted and its name and email left the log (W4.4). */
  actor: { type: string; id: string | null; name: string | null; email: string | null; erased: boolean };
  ip: string | null;
  userAgent: string | null;
  target: { type: string; id: string } | null;
  subject: { email: string | null; erased: boolean } | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
  hash: string;
}

export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

/** Search filters as the API takes them; empty fields are left out. Times are ISO 8601 UTC. */
export interface AuditFilters {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  category?: string;
  outcome?: AuditOutcome;
}

export const AUDIT_CATEGORIES = ['auth', 'account', 'member', 'team', 'invitation', 'api_key', 'org', 'project', 'operator', 'audit'] as const;
export const AUDIT_OUTCOMES: AuditOutcome[] = ['success', 'failure', 'denied'];
export const AUDIT_PAGE_SIZE = 50;

export const auditKeys = {
  all: (orgId: string) => ['org', orgId, 'audit'] as const,
  search: (orgId: string, filters: AuditFilters) => ['org', orgId, 'audit', filters] as const,
};

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value) search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function useAuditEvents(orgId: string, filters: AuditFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: auditKeys.search(orgId, filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPage>(
        `/orgs/${enc(orgId)}/audit-events${query({ ...filters, limit: String(AUDIT_PAGE_SIZE), cursor: pageParam ?? undefined })}`,
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled,
  });
}

/** A plain link target: the browser downloads the file with the session cookie (GET needs no CSRF token). */
export function auditExportUrl(orgId: string, format: 'jsonl' | 'csv', range: Pick<AuditFilters, 'from' | 'to'>): string {
  return `/api/v1/orgs/${enc(orgId)}/audit-events/export${query({ format, from: range.from, to: range.to })}`;
}
