import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { meKey } from '../identity/api';
import { orgKeys } from '../identity/org-api';

/**
 * The lifecycle engine's API (`/api/v1/orgs/:orgId/lifecycle`, operator `/api/v1/operator/lifecycle`)
 * and service sunsets (`/api/v1/lifecycle/sunsets`). Fields the engine may add are ignored; the
 * ones shown are optional where the engine may leave them out.
 */
export interface TimelineEvent {
  event: string;
  at: string;
  done?: boolean;
  label?: string;
  /** The engine's contract service (`workspace`, `pass`, `projects-classic`) or a sunset's service. */
  service?: string;
  /** Set on events that come from a service sunset. */
  sunset?: boolean;
}

export interface ServiceState {
  service: string;
  state: string;
  [date: string]: unknown;
}

export interface Receipt {
  id: string;
  createdAt?: string;
  orgId?: string;
}

export interface OrgLifecycle {
  orgId?: string;
  orgName?: string;
  planState?: string;
  deletedAt?: string | null;
  /** Deleted and still in the grace period (the engine decides). */
  restorable?: boolean;
  backupRetentionDays?: number;
  purges?: { scope: string; status: string; dueAt: string; startedAt: string; completedAt: string | null; completesBy: string }[];
  state?: string;
  services?: ServiceState[];
  timeline?: TimelineEvent[];
  purge?: { status?: string; startedAt?: string | null; completedAt?: string | null; [field: string]: unknown } | null;
  receipts?: Receipt[];
  [field: string]: unknown;
}

export interface Sunset {
  id: string;
  service: string;
  at: string;
  status: 'scheduled' | 'running' | 'completed' | 'cancelled';
  purgeCompletesBy: string;
  backupsExpireAt: string;
  completedAt: string | null;
  createdAt?: string;
  createdBy?: string;
  orgsPurged?: number;
  rowsDeleted?: number;
}

export type ReauthBody = { password: string } & ({ code: string } | { recoveryCode: string } | Record<string, never>);

const keys = {
  org: (orgId: string) => ['lifecycle', orgId] as const,
  sunsets: ['lifecycle', 'sunsets'] as const,
};

export function useOrgLifecycle(orgId: string) {
  return useQuery({ queryKey: keys.org(orgId), queryFn: () => api.get<OrgLifecycle>(`/orgs/${orgId}/lifecycle`) });
}

/** Purged orgs whose contract admin the signed-in account was: their final timeline and receipts stay readable (W4.10). */
export interface PurgedOrg {
  orgId: string;
  deletedAt: string | null;
  receipts: { id: string; createdAt: string }[];
}

export function usePurgedOrgs(enabled = true) {
  return useQuery({ queryKey: ['lifecycle', 'purged-orgs'] as const, queryFn: () => api.get<{ items: PurgedOrg[] }>('/lifecycle/purged-orgs'), select: (d) => d.items, enabled });
}

export function useSunsets() {
  return useQuery({ queryKey: keys.sunsets, queryFn: () => api.get<{ items: Sunset[]; backupRetentionDays: number }>('/lifecycle/sunsets') });
}

export function useLifecycleAction(orgId: string, action: 'cancel' | 'delete' | 'restore') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReauthBody) => api.post<OrgLifecycle>(`/orgs/${orgId}/lifecycle/${action}`, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.org(orgId) });
      // A restored org answers again: reload it before GET /me drops its "deleted" state, or its pages would show "not found".
      if (action === 'restore') await qc.invalidateQueries({ queryKey: orgKeys.org(orgId), exact: true });
      // GET /me carries each org's state: the banner follows a delete or restore at once.
      await qc.invalidateQueries({ queryKey: meKey });
    },
  });
}

/** `2027-01-10`: the UTC day, as every deadline is computed in UTC. */
export const utcDay = (iso: string) => (Number.isNaN(Date.parse(iso)) ? iso : new Date(iso).toISOString().slice(0, 10));

/** Dates a service row carries (`trialEndsAt`, `periodEndsAt`…), for display. */
export function serviceDates(service: ServiceState): [string, string][] {
  return Object.entries(service).filter((entry): entry is [string, string] => /At$/.test(entry[0]) && typeof entry[1] === 'string');
}
