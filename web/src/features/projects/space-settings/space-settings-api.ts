import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api';
import { backlog } from '../backlog';
import type { ClassicRoleType } from '../../classic/api';

const enc = encodeURIComponent;

/** Backlog's roleType 3 ("add issues only") and 4 ("view only") for members; "none" lifts it. */
export type Restriction = 'none' | 'add_issues_only' | 'view_only';

export interface OAuthApp {
  id: number;
  name: string;
  clientId: string;
  redirectUri: string;
  createdAt: string;
}

/** The secret comes back once, in the answer to the registration; only its hash is stored. */
export interface RegisteredOAuthApp extends OAuthApp {
  clientSecret: string;
}

export interface ClassicStatus {
  classic: boolean;
  userLimit: number | null;
  users: number;
  spaceKey: string;
  signInPath: string;
}

const keys = {
  restrictions: (orgId: string) => ['org', orgId, 'projects', 'restrictions'] as const,
  oauthApps: (orgId: string) => ['org', orgId, 'projects', 'oauth-apps'] as const,
  classic: (orgId: string) => ['org', orgId, 'projects', 'classic'] as const,
};
const base = (orgId: string) => `/orgs/${enc(orgId)}/projects`;

export function useRestrictions(orgId: string) {
  return useQuery({
    queryKey: keys.restrictions(orgId),
    queryFn: ({ signal }) => api.get<{ restrictions: { accountId: string; restriction: Restriction }[] }>(`${base(orgId)}/restrictions`, signal),
    select: (data) => new Map(data.restrictions.map((r) => [r.accountId, r.restriction])),
  });
}

export function useSetRestriction(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { accountId: string; restriction: Restriction }) =>
      api.put(`${base(orgId)}/restrictions/${enc(input.accountId)}`, { restriction: input.restriction }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.restrictions(orgId) }),
  });
}

export function useOAuthApps(orgId: string) {
  return useQuery({ queryKey: keys.oauthApps(orgId), queryFn: ({ signal }) => api.get<{ apps: OAuthApp[] }>(`${base(orgId)}/oauth-apps`, signal) });
}

export function useRegisterOAuthApp(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; redirectUri: string }) => api.post<RegisteredOAuthApp>(`${base(orgId)}/oauth-apps`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.oauthApps(orgId) }),
  });
}

export function useDeleteOAuthApp(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (appId: number) => api.delete(`${base(orgId)}/oauth-apps/${appId}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.oauthApps(orgId) }),
  });
}

export function useClassicStatus(orgId: string) {
  return useQuery({ queryKey: keys.classic(orgId), queryFn: ({ signal }) => api.get<ClassicStatus>(`${base(orgId)}/classic`, signal) });
}

export function useSetClassicLimit(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userLimit: number) => api.put(`${base(orgId)}/classic`, { userLimit }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.classic(orgId) }),
  });
}

/**
 * The org admin creates the classic space's first users through Backlog's own `POST /users` with the
 * org session; the server generates the initial password and mails it (W8.2), so `password` is a placeholder.
 */
export function useAddClassicUser(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { userId: string; name: string; mailAddress: string; roleType: ClassicRoleType }) =>
      backlog.post(orgId, '/users', { ...input, password: 'generated-by-the-server' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.classic(orgId) }),
  });
}
