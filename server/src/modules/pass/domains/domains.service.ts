import type { FastifyRequest } from 'fastify';
import { newId, randomToken } from '../../../kernel/crypto';
import { AppError, assertThat, badRequest, conflict, notFound } from '../../../kernel/errors';
import type { OrgAccess } from '../../identity';
import { createDomainResolver, lookupTxt } from './dns';
import type { VerifiedDomainRow } from './domains.db';
import { auditByAdmin, domainRepo, type PassAdminDeps } from './domains.deps';

/** The TXT record lives at `_toride-challenge.<domain>`, so the domain's own TXT set is untouched. */
export const CHALLENGE_PREFIX = '_toride-challenge.';
export const TXT_PREFIX = 'toride-verification=';

const LABEL = /^[a-z0-9-]{1,63}$/;

/** A DNS name of at least two labels whose last one (the TLD) is not numeric. */
const isHostname = (domain: string) => {
  const labels = domain.split('.');
  return domain.length <= 253 && labels.length >= 2 && labels.every((label) => LABEL.test(label) && !label.startsWith('-') && !label.endsWith('-')) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
};

export const domainNotFound = () => notFound('domain.not_found', 'Domain not found.');
const taken = () => conflict('domain.taken', 'Another organization has already verified this domain.');

export function normalizeDomain(input: string): string {
  const domain = input.trim().toLowerCase().replace(/\.$/, '');
  assertThat(isHostname(domain), () => badRequest('domain.invalid', 'Enter a domain name like example.com.'));
  return domain;
}

export const txtRecordOf = (row: Pick<VerifiedDomainRow, 'domain' | 'token'>) => ({
  name: `${CHALLENGE_PREFIX}${row.domain}`,
  type: 'TXT' as const,
  value: `${TXT_PREFIX}${row.token}`,
});

export const listDomains = (deps: PassAdminDeps, orgId: string) => domainRepo(deps).listOfOrg(orgId);

export async function addDomain(deps: PassAdminDeps, request: FastifyRequest, access: OrgAccess, input: string): Promise<VerifiedDomainRow> {
  const repo = domainRepo(deps);
  const domain = normalizeDomain(input);
  assertThat(!(await repo.findOfOrgByName(access.org.id, domain)), () => conflict('domain.exists', 'This domain is already on the list.'));
  const holder = await repo.findVerified(domain);
  assertThat(!holder, taken);
  const row: VerifiedDomainRow = {
    id: newId(),
    org_id: access.org.id,
    domain,
    token: randomToken(24),
    created_by: access.account.id,
    created_at: deps.kernel.clock.now().toISOString(),
    verified_at: null,
    last_checked_at: null,
    last_error: null,
  };
  await repo.insert(row);
  await auditByAdmin(deps, request, access, { action: 'domain.added', target: { type: 'domain', id: row.id }, details: { domain } });
  return row;
}

const verificationFailed = (code: string, message: string) => new AppError(422, code, message);

/**
 * W8.3: looks up the TXT record and marks the domain verified when it carries this org's value.
 * A domain is verified by one org at a time (also enforced by a partial unique index).
 */
export async function verifyDomain(deps: PassAdminDeps, request: FastifyRequest, access: OrgAccess, domainId: string): Promise<VerifiedDomainRow> {
  const repo = domainRepo(deps);
  const row = await repo.find(access.org.id, domainId);
  assertThat(row, domainNotFound);
  if (row.verified_at) return row;
  const now = deps.kernel.clock.now().toISOString();
  const holder = await repo.findVerified(row.domain);
  const fail = async (error: AppError) => {
    await repo.update(row.id, { last_checked_at: now, last_error: error.code });
    await auditByAdmin(deps, request, access, { action: 'domain.verified', outcome: 'failure', target: { type: 'domain', id: row.id }, details: { domain: row.domain, reason: error.code } });
    throw error;
  };
  if (holder) return fail(taken());
  const expected = txtRecordOf(row);
  const lookup = await lookupTxt(deps.resolver ?? createDomainResolver(deps.kernel.config), expected.name);
  if (lookup.status === 'unavailable') {
    return fail(new AppError(503, 'domain.dns_unavailable', `The DNS lookup failed (${lookup.code}). Try again in a moment.`));
  }
  if (lookup.status === 'missing') {
    return fail(verificationFailed('domain.txt_record_missing', `No TXT record was found at ${expected.name}. DNS changes can take a while to appear.`));
  }
  if (!lookup.values.some((value) => value.trim() === expected.value)) {
    return fail(verificationFailed('domain.txt_record_mismatch', `The TXT record at ${expected.name} does not carry the expected value.`));
  }
  try {
    await repo.update(row.id, { verified_at: now, last_checked_at: now, last_error: null });
  } catch (error) {
    // Two orgs verifying at once: the partial unique index lets one win.
    if (await repo.findVerified(row.domain)) return fail(taken());
    throw error;
  }
  await auditByAdmin(deps, request, access, { action: 'domain.verified', target: { type: 'domain', id: row.id }, details: { domain: row.domain } });
  return { ...row, verified_at: now, last_checked_at: now, last_error: null };
}

export async function removeDomain(deps: PassAdminDeps, request: FastifyRequest, access: OrgAccess, domainId: string): Promise<void> {
  const repo = domainRepo(deps);
  const row = await repo.find(access.org.id, domainId);
  assertThat(row, domainNotFound);
  await repo.delete(access.org.id, row.id);
  await auditByAdmin(deps, request, access, {
    action: 'domain.removed',
    target: { type: 'domain', id: row.id },
    details: { domain: row.domain, wasVerified: row.verified_at !== null },
  });
}

/** Whether `email`'s domain is verified by `orgId` (conversion, SSO enforcement). */
export async function isEmailOnVerifiedDomain(deps: Pick<PassAdminDeps, 'passDb'>, orgId: string, email: string): Promise<boolean> {
  const domain = email.trim().toLowerCase().split('@').pop() ?? '';
  const holder = await domainRepo(deps).findVerified(domain);
  return holder?.org_id === orgId;
}

/** Deletes every domain of an org (org closed or purged, W4.1); returns the number of rows. */
export async function purgeOrgDomains(deps: Pick<PassAdminDeps, 'passDb'>, orgId: string): Promise<number> {
  const result = await domainRepo(deps).deleteOfOrg(orgId);
  return Number(result.numDeletedRows);
}
