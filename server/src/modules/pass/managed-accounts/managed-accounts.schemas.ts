import { z } from 'zod';

/** Request and response shapes of `/orgs/:orgId/pass/managed-accounts`; OpenAPI is generated from these. */
const id = z.string().min(1).max(64);
const role = z.enum(['admin', 'member', 'guest']);
const email = z.string().trim().min(3).max(254);
const name = z.string().trim().min(1).max(200);
const externalId = z.string().min(1).max(512).nullable();

export const MAX_IMPORT_BYTES = 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;

export const orgParams = z.object({ orgId: id });
export const accountParams = z.object({ orgId: id, accountId: id });

export const createBody = z.object({ email, name, role, externalId: externalId.optional(), active: z.boolean().optional() }).strict();
export const updateBody = z
  .object({ email: email.optional(), name: name.optional(), role: role.optional(), externalId: externalId.optional(), active: z.boolean().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Change at least one field.');

export const managedAccountSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  externalId: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const managedAccountListSchema = z.object({ accounts: z.array(managedAccountSchema) });

export const importQuery = z.object({ dryRun: z.enum(['true', 'false']).default('false') });
/** The CSV as a `text/csv` body, or as `{ "csv": "…" }` in JSON (the web app). */
export const importBody = z.union([z.string().max(MAX_IMPORT_BYTES), z.object({ csv: z.string().max(MAX_IMPORT_BYTES) }).strict()]);
export const importReportSchema = z.object({
  dryRun: z.boolean(),
  summary: z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), error: z.number() }),
  rows: z.array(
    z.object({
      line: z.number(),
      email: z.string(),
      status: z.enum(['created', 'updated', 'unchanged', 'error']),
      accountId: z.string().nullable(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
});

export const conversionBody = z.object({ accountId: id }).strict();
export const tokenBody = z.object({ token: z.string().min(10).max(200) }).strict();
export const previewSchema = z.object({ orgName: z.string(), email: z.string() });

export const convertibleSchema = z.object({
  members: z.array(z.object({ accountId: z.string(), name: z.string().nullable(), email: z.string(), role })),
});
