import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../lib/api';

export interface Operator {
  id: string;
  email: string;
  name: string;
}

export interface OperatorMe {
  operator: Operator;
  csrfToken: string;
}

export interface OperatorStore {
  module: string;
  region: string;
  kinds: { kind: string; rows: number }[];
}

export interface OperatorOrg {
  id: string;
  name: string;
  createdAt: string;
  planState: string;
  memberCount: number;
  stores: OperatorStore[];
}

/** What operators see of a mail (W2.1): never the address, subject or body. */
export interface OutboxMessage {
  id: string;
  recipientDomain: string;
  kind: string;
  status: 'stored' | 'sent' | 'failed';
  createdAt: string;
}

export interface StoreInfo {
  module: string;
  region: string;
  dialect: string;
  bytes: number;
}

const keys = {
  me: ['operator', 'me'] as const,
  orgs: ['operator', 'orgs'] as const,
  stores: ['operator', 'stores'] as const,
  outbox: (limit: number) => ['operator', 'outbox', limit] as const,
};

async function fetchOperatorMe(): Promise<OperatorMe | null> {
  try {
    return await api.get<OperatorMe>('/operator/me');
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export function useOperatorMe() {
  return useQuery({ queryKey: keys.me, queryFn: fetchOperatorMe, staleTime: 60_000 });
}

export function useOperatorSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string; code: string }) =>
      api.post<{ operator: Operator }>('/operator/sessions', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.me }),
  });
}

export function useOperatorSignOut(csrfToken: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/operator/sessions/current', csrfToken),
    onSettled: () => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] === 'operator' && q.queryKey[1] !== 'me' });
      qc.setQueryData(keys.me, null);
    },
  });
}

export function useOperatorOrgs() {
  return useQuery({
    queryKey: keys.orgs,
    queryFn: () => api.get<{ items: OperatorOrg[] }>('/operator/orgs'),
    select: (data) => data.items,
  });
}

export function useOperatorStores() {
  return useQuery({
    queryKey: keys.stores,
    queryFn: () => api.get<{ items: StoreInfo[] }>('/operator/stores'),
    select: (data) => data.items,
  });
}

export function useOutbox(limit: number) {
  return useQuery({
    queryKey: keys.outbox(limit),
    queryFn: () => api.get<{ items: OutboxMessage[] }>(`/operator/outbox?limit=${limit}`),
    select: (data) => data.items,
  });
}
