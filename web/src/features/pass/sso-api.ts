import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

const enc = encodeURIComponent;

/** An SSO connection as the admin API shows it (never the OIDC client secret). */
export interface SsoConnection {
  id: string;
  protocol: 'saml' | 'oidc';
  name: string;
  enabled: boolean;
  jit: boolean;
  loginUrl: string;
  mapping: { email: string; name: string; groups: string; role: string; groupTeams: Record<string, string>; roleValues: Record<string, string>; defaultRole: 'member' | 'guest' };
  saml: {
    idpEntityId: string | null;
    idpSsoUrl: string | null;
    idpSloUrl: string | null;
    metadataUrl: string | null;
    metadataFetchedAt: string | null;
    metadataError: string | null;
    certificates: { sha256: string }[];
    allowIdpInitiated: boolean;
    sloEnabled: boolean;
    spEntityId: string;
    acsUrl: string;
    sloUrl: string;
    spMetadataUrl: string;
  } | null;
  oidc: { issuer: string | null; clientId: string | null; clientSecretSet: boolean; scopes: string | null; redirectUri: string } | null;
  lastTest: { at: string; ok: boolean; result: Record<string, unknown> } | null;
}

export interface SsoOverview {
  enforced: boolean;
  enforcedAt: string | null;
  breakGlassAdmins: number;
  connections: SsoConnection[];
}

const key = (orgId: string) => ['org', orgId, 'sso'] as const;
const base = (orgId: string) => `/orgs/${enc(orgId)}/pass/sso`;

export function useSso(orgId: string) {
  return useQuery({ queryKey: key(orgId), queryFn: ({ signal }) => api.get<SsoOverview>(base(orgId), signal) });
}

function useSsoMutation<I, O>(orgId: string, fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: key(orgId) }) });
}

export const useCreateSsoConnection = (orgId: string) =>
  useSsoMutation(orgId, (body: Record<string, unknown>) => api.post<SsoConnection>(`${base(orgId)}/connections`, body));

export const useUpdateSsoConnection = (orgId: string) =>
  useSsoMutation(orgId, ({ id, ...body }: { id: string } & Record<string, unknown>) => api.patch<SsoConnection>(`${base(orgId)}/connections/${enc(id)}`, body));

export const useDeleteSsoConnection = (orgId: string) => useSsoMutation(orgId, (id: string) => api.delete(`${base(orgId)}/connections/${enc(id)}`));

export const useTestSsoConnection = (orgId: string) => useSsoMutation(orgId, (id: string) => api.post<{ url: string }>(`${base(orgId)}/connections/${enc(id)}/test`));

export const useSetSsoEnforcement = (orgId: string) => useSsoMutation(orgId, (enforced: boolean) => api.put(`${base(orgId)}/enforcement`, { enforced }));

/** Public: the SSO connections serving an email address's domain. */
export const discoverSso = (email: string) =>
  api.get<{ connections: { id: string; protocol: 'saml' | 'oidc'; name: string; loginUrl: string }[] }>(`/sso/discover?email=${enc(email)}`);
