import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../lib/api';
import { CLASSIC_ORG_PREFIX } from '../projects/backlog';

/**
 * The classic space's own sign-in and a classic user's self-service (`/api/v1/classic/:spaceKey/…`).
 * The projects UI then runs for them with the org id `classic:<spaceKey>` (projects/backlog.ts).
 */
export type ClassicRoleType = 1 | 2 | 3 | 4 | 5 | 6;

export interface ClassicMe {
  id: number;
  userId: string;
  name: string;
  mailAddress: string;
  roleType: ClassicRoleType;
  spaceKey: string;
  spaceName?: string;
  csrfToken: string;
}

export interface ClassicApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export const classicOrgId = (spaceKey: string) => `${CLASSIC_ORG_PREFIX}${spaceKey}`;
const base = (spaceKey: string) => `/classic/${encodeURIComponent(spaceKey)}`;
const sessionKey = (spaceKey: string) => ['classic', spaceKey, 'session'] as const;
const keysKey = (spaceKey: string) => ['classic', spaceKey, 'api-keys'] as const;

export function useClassicSession(spaceKey: string) {
  return useQuery({
    queryKey: sessionKey(spaceKey),
    queryFn: async () => {
      try {
        return await api.get<ClassicMe>(`${base(spaceKey)}/session`);
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useClassicSignIn(spaceKey: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { userId: string; password: string; newPassword?: string }) => api.post<ClassicMe>(`${base(spaceKey)}/sign-in`, input),
    onSuccess: (me) => {
      qc.removeQueries({ queryKey: ['org', classicOrgId(spaceKey)] });
      // The space area renders at once with this user; the refetch adds the space's name.
      qc.setQueryData(sessionKey(spaceKey), me);
      void qc.invalidateQueries({ queryKey: sessionKey(spaceKey) });
    },
  });
}

export function useClassicSignOut(me: ClassicMe) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`${base(me.spaceKey)}/session`, me.csrfToken),
    onSettled: () => {
      qc.removeQueries({ queryKey: ['org', classicOrgId(me.spaceKey)] });
      qc.setQueryData(sessionKey(me.spaceKey), null);
    },
  });
}

export function useClassicPasswordChange(me: ClassicMe) {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<void>(`${base(me.spaceKey)}/password`, input, me.csrfToken),
  });
}

export function useClassicApiKeys(me: ClassicMe, enabled: boolean) {
  return useQuery({ queryKey: keysKey(me.spaceKey), queryFn: () => api.get<{ apiKeys: ClassicApiKey[] }>(`${base(me.spaceKey)}/api-keys`), enabled });
}

export function useCreateClassicApiKey(me: ClassicMe) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<ClassicApiKey & { secret: string }>(`${base(me.spaceKey)}/api-keys`, { name }, me.csrfToken),
    onSuccess: () => qc.invalidateQueries({ queryKey: keysKey(me.spaceKey) }),
  });
}

export function useRevokeClassicApiKey(me: ClassicMe) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${base(me.spaceKey)}/api-keys/${encodeURIComponent(id)}`, me.csrfToken),
    onSuccess: () => qc.invalidateQueries({ queryKey: keysKey(me.spaceKey) }),
  });
}
