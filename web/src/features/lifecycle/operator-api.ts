import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { OrgLifecycle, Sunset } from './api';

export interface OperatorOrgLifecycle extends OrgLifecycle {
  orgId: string;
  name?: string;
}

const keys = {
  all: ['operator', 'lifecycle'] as const,
  sunsets: ['operator', 'lifecycle', 'sunsets'] as const,
};

export function useOperatorLifecycle() {
  return useQuery({
    queryKey: keys.all,
    queryFn: () => api.get<{ items: OperatorOrgLifecycle[] }>('/operator/lifecycle'),
    select: (d) => d.items,
  });
}

export function useOperatorSetState(csrfToken: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, ...body }: { orgId: string; service: string; state: string; until?: string }) =>
      api.post<OrgLifecycle>(`/operator/orgs/${orgId}/lifecycle`, body, csrfToken),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useOperatorSunsets() {
  return useQuery({ queryKey: keys.sunsets, queryFn: () => api.get<{ items: Sunset[] }>('/operator/lifecycle/sunsets'), select: (d) => d.items });
}

export function useScheduleSunset(csrfToken: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { service: string; at: string }) => api.post<Sunset>('/operator/lifecycle/sunsets', body, csrfToken),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useCancelSunset(csrfToken: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<Sunset>(`/operator/lifecycle/sunsets/${id}`, csrfToken),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}
