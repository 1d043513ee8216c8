import { hashToken, newId, randomToken } from '../../kernel/crypto';
import type { EmailTokenPurpose } from './identity.db';
import type { IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';

/**
 * A single-use link token mailed to `email`: any earlier open token of the same purpose dies,
 * only the hash is stored, and the raw token is returned once, for the mail.
 */
export async function issueEmailToken(deps: IdentityDeps, accountId: string, purpose: EmailTokenPurpose, email: string, ttlMs: number): Promise<string> {
  const repos = identityRepositories(deps.db);
  const now = deps.kernel.clock.now();
  await repos.emailTokens.invalidateOpen(accountId, purpose, now.toISOString());
  const token = randomToken();
  await repos.emailTokens.insert({
    id: newId(),
    account_id: accountId,
    purpose,
    email,
    token_hash: hashToken(token),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlMs).toISOString(),
    used_at: null,
  });
  return token;
}
