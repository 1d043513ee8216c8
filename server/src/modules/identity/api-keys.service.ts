import { HOUR, MINUTE } from '../../kernel/clock';
import { hashToken, newId, randomToken } from '../../kernel/crypto';
import { assertThat, notFound } from '../../kernel/errors';
import type { AccountPrincipal, RequestMeta } from '../../kernel/http/request-context';
import type { ApiKeyRow } from './identity.db';
import { audit, type IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';
import { resolveOrgAccess } from './orgs.service';

/** Keys look like `trd_<8-char prefix>_<secret>`: the prefix identifies a key in lists and logs. */
const KEY_PATTERN = /^trd_([A-Za-z0-9_-]{8})_[A-Za-z0-9_-]{20,}$/;
const TOUCH_EVERY_MS = MINUTE;
const AUDIT_USE_AFTER_IDLE_MS = HOUR;

export const looksLikeApiKey = (value: string) => KEY_PATTERN.test(value);

export async function createApiKey(deps: IdentityDeps, principal: AccountPrincipal, input: { name: string; orgId: string }, meta: RequestMeta) {
  const access = await resolveOrgAccess(deps, principal, input.orgId);
  const prefix = randomToken(6).slice(0, 8);
  const secret = `trd_${prefix}_${randomToken(32)}`;
  const row: ApiKeyRow = {
    id: newId(),
    account_id: access.account.id,
    org_id: access.org.id,
    name: input.name.trim(),
    prefix,
    key_hash: hashToken(secret),
    created_at: deps.kernel.clock.now().toISOString(),
    last_used_at: null,
  };
  await identityRepositories(deps.db).apiKeys.insert(row);
  await audit(deps, meta, { action: 'api_key.created', outcome: 'success', actor: access.account, orgId: access.org.id, target: { type: 'api_key', id: row.id }, details: { name: row.name, prefix } });
  return { row, secret };
}

export const listApiKeys = (deps: IdentityDeps, accountId: string) => identityRepositories(deps.db).apiKeys.listOfAccount(accountId);

export async function revokeApiKey(deps: IdentityDeps, principal: AccountPrincipal, keyId: string, meta: RequestMeta) {
  const repos = identityRepositories(deps.db);
  const account = await repos.accounts.findById(principal.accountId);
  const key = await repos.apiKeys.findOfAccount(principal.accountId, keyId);
  assertThat(key && account, () => notFound('api_key.not_found', 'API key not found.'));
  await repos.apiKeys.delete(principal.accountId, keyId);
  await audit(deps, meta, { action: 'api_key.revoked', outcome: 'success', actor: account, orgId: key.org_id, target: { type: 'api_key', id: keyId } });
}

/**
 * Resolves a presented key; records when it was last used (at most once a minute per key) and
 * audits its use (issue 4 §6) when it was idle for an hour or more — the start of each stretch of
 * use, with the caller's address, without an entry per request.
 */
export async function resolveApiKey(deps: IdentityDeps, secret: string, meta: RequestMeta | null) {
  if (!looksLikeApiKey(secret)) return null;
  const repos = identityRepositories(deps.db);
  const key = await repos.apiKeys.findByHash(hashToken(secret));
  if (!key) return null;
  const now = deps.kernel.clock.now();
  const idleFor = key.last_used_at ? now.getTime() - new Date(key.last_used_at).getTime() : Number.POSITIVE_INFINITY;
  if (idleFor > TOUCH_EVERY_MS) await repos.apiKeys.touch(key.id, now.toISOString());
  if (idleFor >= AUDIT_USE_AFTER_IDLE_MS) {
    const account = await repos.accounts.findById(key.account_id);
    await audit(deps, meta, { action: 'api_key.used', outcome: 'success', actor: account ?? null, orgId: key.org_id, target: { type: 'api_key', id: key.id }, details: { name: key.name, prefix: key.prefix } });
  }
  return key;
}
