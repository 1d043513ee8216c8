import { z } from 'zod';
import { ORG_ROLES } from '../../../../shared/src/permissions';

/** Request and response shapes of the identity API; OpenAPI is generated from these. */
export const localeSchema = z.enum(['ja', 'en']);
export const roleSchema = z.enum(ORG_ROLES);
const id = z.string().min(1).max(64);
const email = z.string().trim().toLowerCase().email().max(254);
const password = z.string().min(1).max(256);
const name = z.string().trim().min(1).max(100);
const timestamp = z.string();

export const accountSchema = z.object({
  id,
  email: z.string(),
  name: z.string(),
  locale: localeSchema,
  emailVerified: z.boolean(),
  twoFactorEnabled: z.boolean(),
  createdAt: timestamp,
});

export const orgSummarySchema = z.object({
  id,
  name: z.string(),
  locale: localeSchema,
  role: roleSchema,
  canInvite: z.boolean(),
  requireTwoFactor: z.boolean(),
});

/** The org's contract state (lifecycle module): `active` when none is recorded; dates for the banner and restore. */
export const orgLifecycleSummarySchema = z.object({ state: z.string(), deletesAt: timestamp.nullable(), purgeStartsAt: timestamp.nullable() });

export const meSchema = z.object({
  account: accountSchema,
  orgs: z.array(orgSummarySchema.extend({ lifecycle: orgLifecycleSummarySchema })),
  csrfToken: z.string(),
});

export const orgSchema = z.object({
  id,
  name: z.string(),
  locale: localeSchema,
  createdAt: timestamp,
  requireTwoFactor: z.boolean(),
  myRole: roleSchema,
  abilities: z.object({
    manageOrg: z.boolean(),
    viewMembers: z.boolean(),
    manageMembers: z.boolean(),
    invite: z.boolean(),
    manageTeams: z.boolean(),
    readAudit: z.boolean(),
  }),
});

export const memberSchema = z.object({
  accountId: id,
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  canInvite: z.boolean(),
  canReadAudit: z.boolean(),
  twoFactorEnabled: z.boolean(),
  joinedAt: timestamp,
});

export const invitationSchema = z.object({
  id,
  email: z.string(),
  role: roleSchema,
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  invitedBy: z.object({ id: z.string().nullable(), name: z.string() }),
  createdAt: timestamp,
  expiresAt: timestamp,
});

export const teamSchema = z.object({
  id,
  name: z.string(),
  description: z.string(),
  memberCount: z.number().int(),
  members: z.array(z.object({ accountId: id, name: z.string() })),
  createdAt: timestamp,
});

export const sessionSchema = z.object({
  id,
  createdAt: timestamp,
  lastSeenAt: timestamp,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const apiKeySchema = z.object({
  id,
  name: z.string(),
  orgId: id,
  prefix: z.string(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
});

export const signUpBody = z.object({ email, password, name, orgName: name, locale: localeSchema });
export const signInBody = z.object({ email: z.string().trim().min(1).max(254), password });
export const twoFactorSignInBody = z
  .object({ challengeId: id, code: z.string().regex(/^\d{6}$/).optional(), recoveryCode: z.string().min(8).max(32).optional() })
  .refine((b) => Boolean(b.code) !== Boolean(b.recoveryCode), { message: 'Send either code or recoveryCode.' });
export const signInResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed_in'), me: meSchema }),
  z.object({ status: z.literal('two_factor_required'), challengeId: id }),
]);
export const tokenBody = z.object({ token: z.string().min(10).max(200) });
export const emailBody = z.object({ email: z.string().trim().min(1).max(254) });
export const resetConfirmBody = z.object({ token: z.string().min(10).max(200), password });

export const updateMeBody = z.object({ name: name.optional(), locale: localeSchema.optional() });
export const changeEmailBody = z.object({ email, password, code: z.string().regex(/^\d{6}$/).optional(), recoveryCode: z.string().min(8).max(32).optional() });
export const changePasswordBody = z.object({ currentPassword: password, newPassword: password });
export const codeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.') });
/** Re-authentication for 2FA changes: the password and a TOTP code or, with the device lost, a recovery code. */
export const passwordAndSecondFactorBody = z
  .object({ password, code: z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.').optional(), recoveryCode: z.string().min(8).max(32).optional() })
  .refine((b) => Boolean(b.code) !== Boolean(b.recoveryCode), { message: 'Send either code or recoveryCode.' });
export const deleteAccountBody = z.object({
  password,
  code: z.string().regex(/^\d{6}$/).optional(),
  recoveryCode: z.string().min(8).max(32).optional(),
});
export const createApiKeyBody = z.object({ name, orgId: id });

export const createOrgBody = z.object({ name, locale: localeSchema });
export const updateOrgBody = z.object({ name: name.optional(), requireTwoFactor: z.boolean().optional() });
export const updateMemberBody = z.object({ role: roleSchema.optional(), canInvite: z.boolean().optional(), canReadAudit: z.boolean().optional() });
export const createInvitationBody = z.object({ email, role: roleSchema });
export const acceptInvitationBody = z.object({ name: name.optional(), password: password.optional(), locale: localeSchema.optional() });
export const invitationPreviewSchema = z.object({
  orgName: z.string(),
  email: z.string(),
  role: roleSchema,
  inviterName: z.string().nullable(),
  expiresAt: timestamp,
  accountExists: z.boolean(),
});
export const teamBody = z.object({ name, description: z.string().trim().max(500).optional(), memberIds: z.array(id).max(1000).optional() });
export const updateTeamBody = teamBody.partial();

export const orgParams = z.object({ orgId: id });
export const memberParams = z.object({ orgId: id, accountId: id });
export const invitationParams = z.object({ orgId: id, invitationId: id });
export const teamParams = z.object({ orgId: id, teamId: id });
export const tokenParams = z.object({ token: z.string().min(10).max(200) });
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
