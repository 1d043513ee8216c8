import type { RequestMeta } from '../../kernel/http/request-context';
import { normalizeEmail, type IdentityDeps } from './identity.deps';
import { confirmConversion, previewConversion, requestConversion, revertConversion } from './managed-accounts.conversion';
import {
  createManagedAccount,
  deleteManagedAccount,
  managedRepo,
  presentManagedAccount,
  updateManagedAccount,
  type ManagedAccount,
  type ManagedAccountActor,
  type ManagedAccountInput,
  type ManagedAccountPatch,
} from './managed-accounts.service';

/** The managed-accounts face of `IdentityApi` (a contract SSO and SCIM code against). */
export interface ManagedAccountsApi {
  list(orgId: string): Promise<ManagedAccount[]>;
  get(orgId: string, accountId: string): Promise<ManagedAccount | null>;
  /** Case-insensitive. */
  findByEmail(orgId: string, email: string): Promise<ManagedAccount | null>;
  findByExternalId(orgId: string, externalId: string): Promise<ManagedAccount | null>;
  /** AppError 409 `managed_account.email_taken` when any account has the address. */
  create(orgId: string, input: ManagedAccountInput, actor: ManagedAccountActor): Promise<ManagedAccount>;
  /** `active: false` suspends: every session and API key of the account stops working at once. */
  update(orgId: string, accountId: string, patch: ManagedAccountPatch, actor: ManagedAccountActor): Promise<ManagedAccount>;
  /** W4.5: personal data purged at once; authored content stays, attributed to "deleted user". */
  delete(orgId: string, accountId: string, actor: ManagedAccountActor): Promise<void>;
}

export function managedAccountsApi(deps: IdentityDeps): ManagedAccountsApi {
  const repo = () => managedRepo(deps.db);
  return {
    async list(orgId) {
      return (await repo().list(orgId)).map((row) => presentManagedAccount(orgId, row));
    },
    async get(orgId, accountId) {
      const row = await repo().find(orgId, accountId);
      return row ? presentManagedAccount(orgId, row) : null;
    },
    async findByEmail(orgId, email) {
      const row = await repo().findByEmail(orgId, normalizeEmail(email));
      return row ? presentManagedAccount(orgId, row) : null;
    },
    async findByExternalId(orgId, externalId) {
      const row = await repo().findByExternalId(orgId, externalId);
      return row ? presentManagedAccount(orgId, row) : null;
    },
    create: (orgId, input, actor) => createManagedAccount(deps, orgId, input, actor),
    update: (orgId, accountId, patch, actor) => updateManagedAccount(deps, orgId, accountId, patch, actor),
    delete: (orgId, accountId, actor) => deleteManagedAccount(deps, orgId, accountId, actor),
  };
}

/** Converting an existing account (with the user's consent by email) and back (W8.3). */
export interface ManagedConversionApi {
  request(orgId: string, accountId: string, actor: ManagedAccountActor): Promise<void>;
  preview(token: string): Promise<{ orgName: string; email: string }>;
  confirm(token: string, meta: RequestMeta): Promise<ManagedAccount>;
  revert(orgId: string, accountId: string, actor: ManagedAccountActor): Promise<void>;
}

export const managedConversionApi = (deps: IdentityDeps): ManagedConversionApi => ({
  request: (orgId, accountId, actor) => requestConversion(deps, orgId, accountId, actor),
  preview: (token) => previewConversion(deps, token),
  confirm: (token, meta) => confirmConversion(deps, token, meta),
  revert: (orgId, accountId, actor) => revertConversion(deps, orgId, accountId, actor),
});
