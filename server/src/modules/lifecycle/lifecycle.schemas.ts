import { z } from 'zod';
import { SERVICES, STATES } from './lifecycle.db';
import { sunsetDate } from './sunset.routes';

export const orgParams = z.object({ orgId: z.string().min(1).max(64) });
export const receiptParams = orgParams.extend({ receiptId: z.string().min(1).max(64) });

/** Password + TOTP (or a recovery code) as for account deletion (W6.3). */
export const reauthBody = z.object({
  password: z.string().min(1).max(256),
  code: z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.').optional(),
  recoveryCode: z.string().min(8).max(32).optional(),
});

export const setStateBody = z.object({
  service: z.enum(SERVICES),
  state: z.enum(STATES),
  trialEndsAt: sunsetDate.optional(),
  periodEndsAt: sunsetDate.optional(),
  contractEndedAt: sunsetDate.optional(),
});

const nullableTime = z.string().nullable();

export const lifecycleViewSchema = z.object({
  orgId: z.string(),
  orgName: z.string(),
  planState: z.string(),
  deletedAt: nullableTime,
  restorable: z.boolean(),
  backupRetentionDays: z.number(),
  services: z.array(
    z.object({
      service: z.enum(SERVICES),
      state: z.enum(STATES),
      trialEndsAt: nullableTime,
      periodEndsAt: nullableTime,
      contractEndedAt: nullableTime,
      cancelledAt: nullableTime,
      deletedAt: nullableTime,
      autoDeleteAt: nullableTime,
      autoCancelAt: nullableTime,
      auditPurgeAt: nullableTime,
      purgeAt: nullableTime,
    }),
  ),
  timeline: z.array(z.object({ at: z.string(), service: z.enum(SERVICES), event: z.string(), done: z.boolean() })),
  purges: z.array(
    z.object({ scope: z.string(), status: z.string(), dueAt: z.string(), startedAt: z.string(), completedAt: nullableTime, completesBy: z.string(), batches: z.number() }),
  ),
  receipts: z.array(z.object({ id: z.string(), createdAt: z.string() })),
  history: z.array(z.object({ service: z.string(), from: nullableTime, to: z.string(), at: z.string(), reason: z.string() })),
});

export const receiptFileSchema = z.object({
  format: z.string(),
  jws: z.string(),
  receipt: z.object({
    receiptId: z.string(),
    orgId: z.string(),
    scope: z.string(),
    startedAt: z.string(),
    completedAt: z.string(),
    backupsExpireAt: z.string(),
    deleted: z.array(z.object({ module: z.string(), region: z.string(), kind: z.string(), rows: z.number() })),
    totalRows: z.number(),
    issuedAt: z.string(),
    keyId: z.string(),
  }),
});

export const publicKeySchema = z.object({ keyId: z.string(), algorithm: z.literal('Ed25519'), publicKeyPem: z.string() });

/** `GET /lifecycle/purged-orgs`: purged orgs the caller was contract admin of, with their receipts (issue 16 §6). */
export const purgedOrgsSchema = z.object({
  items: z.array(z.object({ orgId: z.string(), deletedAt: z.string().nullable(), receipts: z.array(z.object({ id: z.string(), createdAt: z.string() })) })),
});
