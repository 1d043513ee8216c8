import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

const enc = encodeURIComponent;

/** The org's audit push target as the API shows it; the signing secret is returned only on creation and rotation. */
export interface AuditPushTarget {
  url: string;
  enabled: boolean;
  lastDeliveredSeq: number;
  failures: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

const pushKey = (orgId: string) => ['org', orgId, 'audit-push'] as const;
const path = (orgId: string) => `/orgs/${enc(orgId)}/audit-push`;

export function useAuditPush(orgId: string) {
  return useQuery({ queryKey: pushKey(orgId), queryFn: ({ signal }) => api.get<{ target: AuditPushTarget | null }>(path(orgId), signal) });
}

export function useConfigureAuditPush(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { url: string; enabled: boolean }) => api.put<{ target: AuditPushTarget; secret: string | null }>(path(orgId), body),
    onSuccess: () => qc.invalidateQueries({ queryKey: pushKey(orgId) }),
  });
}

export function useRotateAuditPushSecret(orgId: string) {
  return useMutation({ mutationFn: () => api.post<{ secret: string }>(`${path(orgId)}/rotate-secret`) });
}

export function useTestAuditPush(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: boolean; status: number | null; error: string | null }>(`${path(orgId)}/test`),
    onSettled: () => qc.invalidateQueries({ queryKey: pushKey(orgId) }),
  });
}

export function useRemoveAuditPush(orgId: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: () => api.delete(path(orgId)), onSuccess: () => qc.invalidateQueries({ queryKey: pushKey(orgId) }) });
}
