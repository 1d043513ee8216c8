import type { z } from 'zod';
import type { IdentityDeps } from './identity.deps';
import { loadMe } from './account.service';
import { presentAccount, presentOrgSummary } from './identity.presenter';
import type { meSchema } from './identity.schemas';

export async function buildMe(deps: IdentityDeps, accountId: string, csrfToken: string, onlyOrgId?: string): Promise<z.infer<typeof meSchema>> {
  const { account, orgs } = await loadMe(deps, accountId);
  const visible = onlyOrgId ? orgs.filter((org) => org.id === onlyOrgId) : orgs;
  return { account: presentAccount(account), orgs: visible.map(presentOrgSummary), csrfToken };
}
