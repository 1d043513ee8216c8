import { z } from 'zod';
import type { VerifiedDomainRow } from './domains.db';
import { txtRecordOf } from './domains.service';

/** Request and response shapes of `/orgs/:orgId/pass/domains`; OpenAPI is generated from these. */
const id = z.string().min(1).max(64);

export const domainOrgParams = z.object({ orgId: id });
export const domainParams = z.object({ orgId: id, domainId: id });
export const addDomainBody = z.object({ domain: z.string().trim().min(1).max(253) }).strict();

export const domainSchema = z.object({
  id: z.string(),
  domain: z.string(),
  status: z.enum(['pending', 'verified']),
  txtRecord: z.object({ name: z.string(), type: z.literal('TXT'), value: z.string() }),
  createdAt: z.string(),
  verifiedAt: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

export const domainListSchema = z.object({ domains: z.array(domainSchema) });

/** Never the creator or internal columns beyond what the admin needs to publish the record. */
export const presentDomain = (row: VerifiedDomainRow): z.infer<typeof domainSchema> => ({
  id: row.id,
  domain: row.domain,
  status: row.verified_at ? 'verified' : 'pending',
  txtRecord: txtRecordOf(row),
  createdAt: row.created_at,
  verifiedAt: row.verified_at,
  lastCheckedAt: row.last_checked_at,
  lastError: row.last_error,
});
