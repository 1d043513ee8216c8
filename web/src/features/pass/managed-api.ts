import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

const enc = encodeURIComponent;

/** W8.3: verified domains and managed accounts of an org (admins only). */
export interface VerifiedDomain {
  id: string;
  domain: string;
  status: 'pending' | 'verified';
  txtRecord: { name: string; type: 'TXT'; value: string };
  createdAt: string;
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  lastError: string | null;
}

export type ManagedRole = 'admin' | 'member' | 'guest';

export interface ManagedAccount {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: ManagedRole;
  externalId: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ImportReport {
  dryRun: boolean;
  summary: { created: number; updated: number; unchanged: number; error: number };
  rows: { line: number; email: string; status: 'created' | 'updated' | 'unchanged' | 'error'; accountId: string | null; error: { code: string; message: string } | null }[];
}

const domainsKey = (orgId: string) => ['org', orgId, 'pass-domains'] as const;
const managedKey = (orgId: string) => ['org', orgId, 'managed-accounts'] as const;
const domainsPath = (orgId: string) => `/orgs/${enc(orgId)}/pass/domains`;
const managedPath = (orgId: string) => `/orgs/${enc(orgId)}/pass/managed-accounts`;

export function useDomains(orgId: string) {
  return useQuery({ queryKey: domainsKey(orgId), queryFn: ({ signal }) => api.get<{ domains: VerifiedDomain[] }>(domainsPath(orgId), signal) });
}

export function useAddDomain(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (domain: string) => api.post<VerifiedDomain>(domainsPath(orgId), { domain }),
    onSuccess: () => qc.invalidateQueries({ queryKey: domainsKey(orgId) }),
  });
}

export function useVerifyDomain(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<VerifiedDomain>(`${domainsPath(orgId)}/${enc(id)}/verify`),
    onSettled: () => qc.invalidateQueries({ queryKey: domainsKey(orgId) }),
  });
}

export function useRemoveDomain(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${domainsPath(orgId)}/${enc(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: domainsKey(orgId) }),
  });
}

export function useManagedAccounts(orgId: string) {
  return useQuery({ queryKey: managedKey(orgId), queryFn: ({ signal }) => api.get<{ accounts: ManagedAccount[] }>(managedPath(orgId), signal) });
}

function useManagedMutation<V, R>(orgId: string, fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: managedKey(orgId) });
      await qc.invalidateQueries({ queryKey: ['org', orgId] });
    },
  });
}

export const useCreateManaged = (orgId: string) =>
  useManagedMutation(orgId, (body: { email: string; name: string; role: ManagedRole; externalId?: string | null }) => api.post<ManagedAccount>(managedPath(orgId), body));

export const useUpdateManaged = (orgId: string) =>
  useManagedMutation(orgId, ({ id, ...patch }: { id: string } & Partial<Pick<ManagedAccount, 'email' | 'name' | 'role' | 'active'>>) =>
    api.patch<ManagedAccount>(`${managedPath(orgId)}/${enc(id)}`, patch),
  );

export const useDeleteManaged = (orgId: string) => useManagedMutation(orgId, (id: string) => api.delete(`${managedPath(orgId)}/${enc(id)}`));

export const useImportManaged = (orgId: string) =>
  useManagedMutation(orgId, ({ csv, dryRun }: { csv: string; dryRun: boolean }) => api.post<ImportReport>(`${managedPath(orgId)}/import?dryRun=${dryRun}`, { csv }));

export function useConvertible(orgId: string) {
  return useQuery({
    queryKey: [...managedKey(orgId), 'convertible'],
    queryFn: ({ signal }) => api.get<{ members: { accountId: string; name: string | null; email: string; role: ManagedRole }[] }>(`${managedPath(orgId)}/convertible`, signal),
  });
}

export const useRequestConversion = (orgId: string) => useManagedMutation(orgId, (accountId: string) => api.post(`${managedPath(orgId)}/conversions`, { accountId }));

export const useUnmanage = (orgId: string) => useManagedMutation(orgId, (id: string) => api.post(`${managedPath(orgId)}/${enc(id)}/unmanage`));

export function useConsentPreview(token: string) {
  return useQuery({
    queryKey: ['managed-consent', token],
    queryFn: () => api.post<{ orgName: string; email: string }>('/pass/managed-conversion/preview', { token }),
    enabled: token.length > 0,
    retry: false,
  });
}

export function useConfirmConsent() {
  return useMutation({ mutationFn: (token: string) => api.post<{ status: 'converted'; orgId: string }>('/pass/managed-conversion/confirm', { token }) });
}
