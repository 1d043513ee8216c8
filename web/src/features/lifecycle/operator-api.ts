import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { OrgLifecycle, Receipt, Sunset } from './api';

export interface OperatorOrgLifecycle extends OrgLifecycle {
  orgId: string;
}

/** The engine's contract services (also the sunset services) and states (`lifecycle.db.ts` SERVICES, STATES). */
export const CONTRACT_SERVICES = ['workspace', 'pass', 'projects-classic'] as const;
export const CONTRACT_STATES = ['trial', 'paid', 'suspended', 'cancelled', 'deleted'] as const;

/** The date a state carries: trial end, paid period end, or the unpaid contract's end. */
export function setStateBody(state: string, until: string): Record<string, string> {
  if (!until) return {};
  if (state === 'trial') return { trialEndsAt: until };
  if (state === 'paid' || state === 'cancelled') return { periodEndsAt: until };
  if (state === 'suspended') return { contractEndedAt: until };
  return {};
}

const keys = {
  all: ['operator', 'lifecycle'] as const,
  sunsets: ['operator', 'lifecycle', 'sunsets'] as const,
};

export function useOperatorLifecycle() {
  return useQuery({
    queryKey: keys.all,
    queryFn: () => api.get<{ items: OperatorOrgLifecycle[]; receipts: (Receipt & { orgId: string })[] }>('/operator/lifecycle'),
  });
}

export function useOperatorSetState(csrfToken: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, service, state, until }: { orgId: string; service: string; state: string; until: string }) =>
      api.post<OrgLifecycle>(`/operator/orgs/${orgId}/lifecycle`, { service, state, ...setStateBody(state, until) }, csrfToken),
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
