import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

const enc = encodeURIComponent;

/** A SCIM token as the admin API shows it: never the secret, which comes back once on creation and rotation. */
export interface ScimToken {
  id: string;
  label: string;
  hint: string;
  issuedBy: string;
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface IssuedScimToken {
  token: ScimToken;
  secret: string;
  baseUrl: string;
}

const tokensKey = (orgId: string) => ['org', orgId, 'scim-tokens'] as const;
const path = (orgId: string) => `/orgs/${enc(orgId)}/pass/scim/tokens`;

export function useScimTokens(orgId: string) {
  return useQuery({ queryKey: tokensKey(orgId), queryFn: ({ signal }) => api.get<{ baseUrl: string; tokens: ScimToken[] }>(path(orgId), signal) });
}

export function useCreateScimToken(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (label: string) => api.post<IssuedScimToken>(path(orgId), { label }),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey(orgId) }),
  });
}

export function useRotateScimToken(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => api.post<IssuedScimToken>(`${path(orgId)}/${enc(tokenId)}/rotate`),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey(orgId) }),
  });
}

export function useRevokeScimToken(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => api.delete(`${path(orgId)}/${enc(tokenId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey(orgId) }),
  });
}
