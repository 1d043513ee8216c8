import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { backlog } from '../projects/backlog';
import { classicOrgId, type ClassicMe, type ClassicRoleType } from './api';

/** A classic space's own users, as its Administrators manage them (Backlog's `/api/v2/users`, W6.6/W7.3). */
export interface ClassicUser {
  id: number;
  userId: string;
  name: string;
  mailAddress: string;
  roleType: ClassicRoleType;
}

const usersKey = (spaceKey: string) => ['classic', spaceKey, 'users'] as const;

export function useClassicUsers(me: ClassicMe) {
  return useQuery({ queryKey: usersKey(me.spaceKey), queryFn: () => api.get<{ users: ClassicUser[] }>(`/classic/${encodeURIComponent(me.spaceKey)}/users`) });
}

function useUsersMutation<T>(me: ClassicMe, run: (orgId: string, input: T) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: T) => run(classicOrgId(me.spaceKey), input),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: usersKey(me.spaceKey) });
      void qc.invalidateQueries({ queryKey: ['org', classicOrgId(me.spaceKey)] });
    },
  });
}

/** The server generates the initial password and mails it (W8.2); Backlog's `password` field is not used. */
export const useAddClassicUser = (me: ClassicMe) =>
  useUsersMutation(me, (orgId, input: { userId: string; name: string; mailAddress: string; roleType: ClassicRoleType }) =>
    backlog.post(orgId, '/users', { ...input, password: 'generated-by-the-server' }),
  );

export const useChangeClassicRole = (me: ClassicMe) =>
  useUsersMutation(me, (orgId, input: { id: number; roleType: ClassicRoleType }) => backlog.patch(orgId, `/users/${input.id}`, { roleType: input.roleType }));

export const useDeleteClassicUser = (me: ClassicMe) => useUsersMutation(me, (orgId, id: number) => backlog.delete(orgId, `/users/${id}`));
