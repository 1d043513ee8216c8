import { z } from 'zod';

/** Request and response shapes of the audit API; OpenAPI is generated from these. */
const id = z.string().min(1).max(64);
const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const auditOrgParams = z.object({ orgId: id });

export const auditSearchQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  actor: z.string().trim().min(1).max(254).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  category: z.string().trim().min(1).max(50).optional(),
  target: z.string().trim().min(1).max(200).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditExportQuery = z.object({
  format: z.enum(['csv', 'jsonl']).default('jsonl'),
  from: isoTime.optional(),
  to: isoTime.optional(),
});

export const auditEventSchema = z.object({
  id,
  orgId: z.string().nullable(),
  seq: z.number().int(),
  at: z.string(),
  product: z.string(),
  category: z.string(),
  action: z.string(),
  outcome: z.string(),
  actor: z.object({
    type: z.string(),
    id: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    /** The account was deleted and its name and email were erased from the log (W4.4). */
    erased: z.boolean(),
  }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  /** The email address the event is about (an invitee, a new address); erased with its account. */
  subject: z.object({ email: z.string().nullable(), erased: z.boolean() }).nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string(),
});

export const auditPageSchema = z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() });
