import type { Kysely } from 'kysely';
import type { Resolver } from 'node:dns/promises';
import type { Kernel } from '../../../kernel/module';
import type { IdentityApi } from '../../identity';
import type { DomainsDb } from './domains.db';
import { createDomainRepository } from './domains.repository';

/** What domains and managed accounts need from the pass module. */
export interface PassAdminDeps {
  readonly kernel: Kernel;
  readonly identity: IdentityApi;
  readonly passDb: Kysely<DomainsDb>;
  /** Built from `TORIDE_DNS_SERVERS` once; tests may hand their own. */
  readonly resolver?: Resolver;
}

export const domainRepo = (deps: Pick<PassAdminDeps, 'passDb'>) => createDomainRepository(deps.passDb);

export { auditByAdmin, requireOrgAdmin } from '../pass-admin';
