import type { FastifyRequest } from 'fastify';
import { hashToken, newId, randomToken } from '../../../kernel/crypto';
import { assertThat, conflict, notFound } from '../../../kernel/errors';
import type { OrgAccess } from '../../identity';
import { auditByAdmin, type PassAdminDeps } from '../domains/domains.deps';
import type { ScimTokenRow } from './scim.db';
import type { ScimDeps } from './scim.deps';

const MAX_LIVE_TOKENS = 10;
/** Last-used time is written at most once a minute per token, so provisioning bursts stay reads. */
const TOUCH_EVERY_MS = 60_000;
export const TOKEN_PREFIX = 'trd_scim_';

const tokenNotFound = () => notFound('scim.token_not_found', 'SCIM token not found.');

export interface TokenAdminDeps extends ScimDeps {
  readonly admin: PassAdminDeps;
}

export const listTokens = (deps: ScimDeps, orgId: string) => deps.repo.listTokens(orgId);

function newSecret() {
  const secret = `${TOKEN_PREFIX}${randomToken(32)}`;
  return { secret, secret_hash: hashToken(secret), hint: secret.slice(-4) };
}

/** Shown once: only the hash is kept. The issuing admin is protected while the token is live. */
export async function createToken(deps: TokenAdminDeps, request: FastifyRequest, access: OrgAccess, label: string) {
  assertThat((await deps.repo.countLiveTokens(access.org.id)) < MAX_LIVE_TOKENS, () =>
    conflict('scim.too_many_tokens', `An organization may hold at most ${MAX_LIVE_TOKENS} live SCIM tokens. Revoke one first.`),
  );
  const { secret, ...hashed } = newSecret();
  const row: ScimTokenRow = {
    id: newId(),
    org_id: access.org.id,
    label: label.trim(),
    ...hashed,
    issued_by: access.account.id,
    created_at: deps.kernel.clock.now().toISOString(),
    rotated_at: null,
    revoked_at: null,
    last_used_at: null,
  };
  await deps.repo.insertToken(row);
  await auditByAdmin(deps.admin, request, access, { action: 'scim.token_created', target: { type: 'scim_token', id: row.id }, details: { label: row.label } });
  return { row, secret };
}

async function liveToken(deps: ScimDeps, orgId: string, id: string) {
  const row = await deps.repo.findToken(orgId, id);
  assertThat(row && row.revoked_at === null, tokenNotFound);
  return row;
}

/** A new secret for the same token; the old one stops at once. The rotating admin becomes its issuer. */
export async function rotateToken(deps: TokenAdminDeps, request: FastifyRequest, access: OrgAccess, id: string) {
  const before = await liveToken(deps, access.org.id, id);
  const { secret, ...hashed } = newSecret();
  const now = deps.kernel.clock.now().toISOString();
  await deps.repo.updateToken(access.org.id, id, { ...hashed, issued_by: access.account.id, rotated_at: now });
  await auditByAdmin(deps.admin, request, access, {
    action: 'scim.token_rotated',
    target: { type: 'scim_token', id },
    details: { label: before.label, previousIssuer: before.issued_by },
  });
  const row = await deps.repo.findToken(access.org.id, id);
  assertThat(row, tokenNotFound);
  return { row, secret };
}

export async function revokeToken(deps: TokenAdminDeps, request: FastifyRequest, access: OrgAccess, id: string) {
  const before = await liveToken(deps, access.org.id, id);
  await deps.repo.updateToken(access.org.id, id, { revoked_at: deps.kernel.clock.now().toISOString() });
  await auditByAdmin(deps.admin, request, access, { action: 'scim.token_revoked', target: { type: 'scim_token', id }, details: { label: before.label } });
}

/** The live token behind a presented secret, or null; records its last use. */
export async function resolveToken(deps: ScimDeps, secret: string): Promise<ScimTokenRow | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const row = await deps.repo.findLiveTokenByHash(hashToken(secret));
  if (!row) return null;
  const now = deps.kernel.clock.now();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() >= TOUCH_EVERY_MS) {
    await deps.repo.updateToken(row.org_id, row.id, { last_used_at: now.toISOString() });
  }
  return row;
}

/** The issuing admin of a live token cannot be deleted, suspended, removed or demoted (issue 4 §5). */
export function issuerGuard(deps: ScimDeps) {
  return async (change: { orgId: string | null; accountId: string }) => {
    const live = await deps.repo.liveTokensIssuedBy(change.accountId, change.orgId);
    assertThat(live.length === 0, () =>
      conflict(
        'scim.token_issuer',
        'This admin issued a live SCIM token. Rotate the token as another admin, or revoke it, first.',
        { tokens: live.map((t) => ({ id: t.id, orgId: t.org_id, label: t.label })) },
      ),
    );
  };
}
