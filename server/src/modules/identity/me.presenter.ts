import type { z } from 'zod';
import type { IdentityDeps, OrgLifecycleSummary } from './identity.deps';
import { identityRepositories } from './identity.repositories';
import { loadMe } from './account.service';
import { presentAccount, presentOrgSummary } from './identity.presenter';
import type { meSchema } from './identity.schemas';

const NO_CONTRACT: OrgLifecycleSummary = { state: 'active', deletesAt: null, purgeStartsAt: null };

/**
 * The signed-in account, its orgs and each org's lifecycle state. Admins also see their orgs in the
 * deletion grace period (members do not, W4.1), so the web app can offer the restore.
 */
export async function buildMe(deps: IdentityDeps, accountId: string, csrfToken: string, onlyOrgId?: string): Promise<z.infer<typeof meSchema>> {
  const { account, orgs } = await loadMe(deps, accountId);
  const inGracePeriod = await identityRepositories(deps.db).orgs.listDeletedOrgsAdministered(accountId);
  const all = [...orgs, ...inGracePeriod];
  const visible = onlyOrgId ? all.filter((org) => org.id === onlyOrgId) : all;
  const states = (await deps.orgLifecycle?.(visible.map((org) => org.id))) ?? new Map<string, OrgLifecycleSummary>();
  return {
    account: presentAccount(account),
    orgs: visible.map((org) => ({ ...presentOrgSummary(org), lifecycle: states.get(org.id) ?? NO_CONTRACT })),
    csrfToken,
  };
}
