import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { navigate } from 'wouter/use-browser-location';
import { api } from '../../lib/api';
import { endSession, meKey } from './api';
import type { ApiKey, Items, Session, TwoFactorSetup } from './types';

const enc = encodeURIComponent;
const sessionsKey = ['account', 'sessions'] as const;
const apiKeysKey = ['account', 'api-keys'] as const;

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.post<void>('/me/password', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionsKey }),
  });
}

export function useSessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: () => api.get<Items<Session>>('/me/sessions'),
    select: (data) => data.items,
  });
}

export function useRevokeSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => api.delete(`/me/sessions/${enc(sessionId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionsKey }),
  });
}

export function useRevokeOtherSessions() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<{ ended: number }>('/me/sessions'),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionsKey }),
  });
}

export function useTwoFactorSetup() {
  return useMutation({ mutationFn: () => api.post<TwoFactorSetup>('/me/two-factor/setup') });
}

export function useEnableTwoFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.post<{ recoveryCodes: string[] }>('/me/two-factor/enable', { code }),
    onSuccess: () => {
      window.setTimeout(() => void qc.invalidateQueries({ queryKey: meKey }), 0);
    },
  });
}

export type SecondFactorBody = { code: string } | { recoveryCode: string };

export function useDisableTwoFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { password: string } & SecondFactorBody) => api.post<void>('/me/two-factor/disable', body),
    onSuccess: () => {
      window.setTimeout(() => void qc.invalidateQueries({ queryKey: meKey }), 0);
    },
  });
}

export function useRegenerateRecoveryCodes() {
  return useMutation({
    mutationFn: (body: { password: string } & SecondFactorBody) =>
      api.post<{ recoveryCodes: string[] }>('/me/two-factor/recovery-codes', body),
  });
}

export function useChangeEmail() {
  return useMutation({
    mutationFn: (body: { email: string; password: string; code?: string }) => api.post<void>('/me/email', body),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: apiKeysKey,
    queryFn: () => api.get<Items<ApiKey>>('/me/api-keys'),
    select: (data) => data.items,
  });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; orgId: string }) =>
      api.post<{ apiKey: ApiKey; secret: string }>('/me/api-keys', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => api.delete(`/me/api-keys/${enc(keyId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useDeleteAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { password: string } & Partial<SecondFactorBody>) => api.post<void>('/me/delete', body),
    onSuccess: () => {
      endSession(qc);
      navigate('/signin?deleted=1', { replace: true });
    },
  });
}
