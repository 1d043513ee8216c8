import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { meKey } from './api';
import type { Invitation, Items, Locale, Member, Org, Role, Team } from './types';

const enc = encodeURIComponent;

export const orgKeys = {
  org: (orgId: string) => ['org', orgId] as const,
  members: (orgId: string) => ['org', orgId, 'members'] as const,
  invitations: (orgId: string) => ['org', orgId, 'invitations'] as const,
  teams: (orgId: string) => ['org', orgId, 'teams'] as const,
  team: (orgId: string, teamId: string) => ['org', orgId, 'teams', teamId] as const,
};

export function useOrg(orgId: string, enabled = true) {
  return useQuery({
    queryKey: orgKeys.org(orgId),
    queryFn: () => api.get<Org>(`/orgs/${enc(orgId)}`),
    enabled,
  });
}

export function useCreateOrg() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; locale: Locale }) => api.post<Org>('/orgs', body),
    onSuccess: async (org) => {
      qc.setQueryData(orgKeys.org(org.id), org);
      await qc.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useUpdateOrg(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; requireTwoFactor?: boolean }) =>
      api.patch<Org>(`/orgs/${enc(orgId)}`, body),
    onMutate: (body) => {
      const previous = qc.getQueryData<Org>(orgKeys.org(orgId));
      if (previous && body.requireTwoFactor !== undefined) {
        qc.setQueryData<Org>(orgKeys.org(orgId), { ...previous, requireTwoFactor: body.requireTwoFactor });
      }
      return { previous };
    },
    onError: (_error, _body, context) => {
      if (context?.previous) qc.setQueryData(orgKeys.org(orgId), context.previous);
    },
    onSuccess: async (org) => {
      qc.setQueryData(orgKeys.org(orgId), org);
      await qc.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useMembers(orgId: string, enabled = true) {
  return useQuery({
    queryKey: orgKeys.members(orgId),
    queryFn: () => api.get<Items<Member>>(`/orgs/${enc(orgId)}/members`),
    select: (data) => data.items,
    enabled,
  });
}

export interface MemberPatch {
  accountId: string;
  role?: Role;
  canInvite?: boolean;
  canReadAudit?: boolean;
}

export function useUpdateMember(orgId: string) {
  const qc = useQueryClient();
  const key = orgKeys.members(orgId);
  return useMutation({
    mutationFn: ({ accountId, ...body }: MemberPatch) =>
      api.patch<Member>(`/orgs/${enc(orgId)}/members/${enc(accountId)}`, body),
    onMutate: async ({ accountId, ...patch }: MemberPatch) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<Items<Member>>(key);
      if (previous) {
        qc.setQueryData<Items<Member>>(key, {
          items: previous.items.map((m) => (m.accountId === accountId ? { ...m, ...patch } : m)),
        });
      }
      return { previous };
    },
    onError: (_error, _patch, context) => {
      if (context?.previous) qc.setQueryData(key, context.previous);
    },
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: key });
      // Role and audit-permission changes can change the caller's own abilities.
      await qc.invalidateQueries({ queryKey: orgKeys.org(orgId), exact: true });
    },
  });
}

export function useRemoveMember(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (accountId: string) => api.delete(`/orgs/${enc(orgId)}/members/${enc(accountId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.members(orgId) }),
  });
}

export function useInvitations(orgId: string, enabled = true) {
  return useQuery({
    queryKey: orgKeys.invitations(orgId),
    queryFn: () => api.get<Items<Invitation>>(`/orgs/${enc(orgId)}/invitations`),
    select: (data) => data.items,
    enabled,
  });
}

export function useCreateInvitation(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) =>
      api.post<Invitation>(`/orgs/${enc(orgId)}/invitations`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.invitations(orgId) }),
  });
}

export function useRevokeInvitation(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      api.delete(`/orgs/${enc(orgId)}/invitations/${enc(invitationId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.invitations(orgId) }),
  });
}

export function useTeams(orgId: string) {
  return useQuery({
    queryKey: orgKeys.teams(orgId),
    queryFn: () => api.get<Items<Team>>(`/orgs/${enc(orgId)}/teams`),
    select: (data) => data.items,
  });
}

export function useTeam(orgId: string, teamId: string) {
  return useQuery({
    queryKey: orgKeys.team(orgId, teamId),
    queryFn: () => api.get<Team>(`/orgs/${enc(orgId)}/teams/${enc(teamId)}`),
  });
}

export interface TeamInput {
  name?: string;
  description?: string;
  memberIds?: string[];
}

export function useCreateTeam(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TeamInput) => api.post<Team>(`/orgs/${enc(orgId)}/teams`, body),
    onSuccess: (team) => {
      qc.setQueryData(orgKeys.team(orgId, team.id), team);
      return qc.invalidateQueries({ queryKey: orgKeys.teams(orgId), exact: true });
    },
  });
}

export function useUpdateTeam(orgId: string, teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TeamInput) => api.patch<Team>(`/orgs/${enc(orgId)}/teams/${enc(teamId)}`, body),
    onSuccess: (team) => {
      qc.setQueryData(orgKeys.team(orgId, teamId), team);
      return qc.invalidateQueries({ queryKey: orgKeys.teams(orgId), exact: true });
    },
  });
}

export function useDeleteTeam(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (teamId: string) => api.delete(`/orgs/${enc(orgId)}/teams/${enc(teamId)}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: orgKeys.teams(orgId), exact: true });
    },
  });
}
