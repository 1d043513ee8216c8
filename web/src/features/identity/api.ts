import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { navigate } from 'wouter/use-browser-location';
import { api, isApiError, setCsrfToken } from '../../lib/api';
import type { InvitationPreview, Locale, Me, SignInResult } from './types';

export const meKey = ['me'] as const;

export function receiveMe(qc: QueryClient, me: Me | null): void {
  setCsrfToken(me?.csrfToken ?? null);
  qc.setQueryData(meKey, me);
}

export function startSession(qc: QueryClient, me: Me): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
  receiveMe(qc, me);
}

export function endSession(qc: QueryClient): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] && q.queryKey[0] !== 'operator' });
  receiveMe(qc, null);
}

async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000 });
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => api.post<SignInResult>('/sessions', body),
    onSuccess: (result) => {
      if (result.status === 'signed_in') startSession(qc, result.me);
    },
  });
}

export function useSignInTwoFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { challengeId: string; code?: string; recoveryCode?: string }) =>
      api.post<SignInResult>('/sessions/two-factor', body),
    onSuccess: (result) => {
      if (result.status === 'signed_in') startSession(qc, result.me);
    },
  });
}

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
  orgName: string;
  locale: Locale;
}

export function useSignUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SignUpInput) => api.post<Me>('/signup', body),
    onSuccess: (me) => startSession(qc, me),
  });
}

export function useSignOut(redirectTo?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      // SAML single logout (issue 13 §2): when an SSO sign-in started this session, the server ends it
      // and answers the IdP's logout URL; otherwise (or if that fails) sign out locally.
      const slo = await api.post<{ redirectUrl: string | null }>('/sso/logout').catch(() => ({ redirectUrl: null }));
      if (slo.redirectUrl) return slo.redirectUrl;
      await api.delete('/sessions/current');
      return null;
    },
    onSettled: (idpLogoutUrl) => {
      endSession(qc);
      if (idpLogoutUrl) window.location.assign(idpLogoutUrl);
      else if (redirectTo) navigate(redirectTo, { replace: true });
    },
  });
}

export function useConfirmEmail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api.post<void>('/email-verification/confirm', { token }),
    onSuccess: () => qc.invalidateQueries({ queryKey: meKey }),
  });
}

export function useResendVerification() {
  return useMutation({ mutationFn: () => api.post<void>('/me/email-verification') });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => api.post<void>('/password-resets', { email }),
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      api.post<void>('/password-resets/confirm', body),
  });
}

export function useUpdateProfile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; locale?: Locale }) => api.patch<Me>('/me', body),
    onSuccess: (me) => receiveMe(qc, me),
  });
}

export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api.get<InvitationPreview>(`/invitations/${encodeURIComponent(token)}`),
    retry: false,
  });
}

export type AcceptInvitationInput = Record<string, never> | { name: string; password: string; locale: Locale };

export function useAcceptInvitation(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptInvitationInput) =>
      api.post<{ orgId: string; me: Me }>(`/invitations/${encodeURIComponent(token)}/accept`, body),
    onSuccess: (result) => {
      startSession(qc, result.me);
      navigate(`/orgs/${encodeURIComponent(result.orgId)}`, { replace: true });
    },
  });
}
