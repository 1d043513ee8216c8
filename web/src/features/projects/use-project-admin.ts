import { useMyself, useProjectAdmins } from './api';

/**
 * Whether the signed-in user administers this project: an org admin (roleType 1) or one of its
 * project administrators. Only decides what the UI offers; the server enforces it anyway.
 * `known` stays false until both answers are in, so admin-only screens do not flash.
 */
export function useProjectAdmin(orgId: string, projectKey: string): { known: boolean; isAdmin: boolean } {
  const myself = useMyself(orgId);
  const admins = useProjectAdmins(orgId, projectKey);
  const me = myself.data;
  if (!me) return { known: myself.isError, isAdmin: false };
  if (me.roleType === 1) return { known: true, isAdmin: true };
  return { known: !admins.isPending, isAdmin: (admins.data ?? []).some((a) => a.id === me.id) };
}
