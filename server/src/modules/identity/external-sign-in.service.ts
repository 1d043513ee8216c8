import type { FastifyReply } from 'fastify';
import { forbidden } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import { audit, normalizeEmail, type IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';
import { setPasswordGuard, type PasswordSignInGuard } from './password-guard';
import { setSessionCookies } from './session-cookies';
import { endSession, issueSession } from './sessions.service';

/**
 * Sign-in through an org's identity provider (pass SSO, W6.7/W8.3) and the hook pass uses to refuse
 * passwords once an org enforces SSO.
 */
export interface SsoAccountFacts {
  id: string;
  email: string;
  name: string | null;
  /** The org that manages the account, or null. */
  managedOrgId: string | null;
  /** The account's role in the org asked about, or null when not a member. */
  role: 'admin' | 'member' | 'guest' | null;
  suspended: boolean;
}

export interface OrgAdminFacts {
  accountId: string;
  email: string | null;
  name: string | null;
  managed: boolean;
  twoFactor: boolean;
}

export interface ExternalSignInApi {
  /** The account with this email, with its standing in `orgId`, or null. */
  findAccount(orgId: string, email: string): Promise<SsoAccountFacts | null>;
  /** The org's admins with what break-glass needs to know (W8.3). */
  listAdmins(orgId: string): Promise<OrgAdminFacts[]>;
  /**
   * A normal Toride session for an account the org's IdP vouched for: cookies exactly like password
   * sign-in; audited as `auth.sign_in` with the method.
   */
  startExternalSession(
    reply: FastifyReply,
    input: { accountId: string; orgId: string; method: 'saml' | 'oidc'; connectionId: string },
    meta: RequestMeta,
  ): Promise<{ sessionId: string }>;
  /** Ends every session of the account at once (IdP deprovisioning, single logout). */
  endSessions(accountId: string): Promise<number>;
  /** Ends one session of the account (SAML single logout of one SSO sign-in); false when it was gone. */
  endSession(accountId: string, sessionId: string): Promise<boolean>;
  /**
   * Registered by pass: the one SSO-enforcement rule, asked on every path that can start a password
   * session or set a password (password-guard.ts).
   */
  setPasswordSignInGuard(guard: PasswordSignInGuard | null): void;
}

export function externalSignInApi(deps: IdentityDeps): ExternalSignInApi {
  const repos = () => identityRepositories(deps.db);
  return {
    async findAccount(orgId, email) {
      const account = await repos().accounts.findByEmail(normalizeEmail(email));
      if (!account?.email) return null;
      const membership = await repos().orgs.findMembership(orgId, account.id);
      return {
        id: account.id,
        email: account.email,
        name: account.name,
        managedOrgId: account.managed_org_id,
        role: membership?.role ?? null,
        suspended: account.suspended_at !== null,
      };
    },
    async listAdmins(orgId) {
      const admins = (await repos().orgs.listMembers(orgId)).filter((m) => m.role === 'admin');
      const result: OrgAdminFacts[] = [];
      for (const admin of admins) {
        const account = await repos().accounts.findById(admin.account_id);
        if (!account) continue;
        result.push({ accountId: account.id, email: account.email, name: account.name, managed: account.managed_org_id !== null, twoFactor: account.totp_enabled_at !== null });
      }
      return result;
    },
    async startExternalSession(reply, input, meta) {
      const account = await repos().accounts.findById(input.accountId);
      if (!account || account.suspended_at) {
        throw forbidden('This account cannot sign in.', 'sso.account_inactive');
      }
      const session = await issueSession(deps, account.id, meta, input.method);
      setSessionCookies(reply, deps.kernel.config, session);
      await audit(deps, meta, {
        action: 'auth.sign_in',
        outcome: 'success',
        actor: account,
        orgId: input.orgId,
        details: { sessionId: session.sessionId, method: input.method, connectionId: input.connectionId },
      });
      return { sessionId: session.sessionId };
    },
    async endSessions(accountId) {
      const rows = await repos().sessions.deleteAllOfAccount(accountId);
      return rows.reduce((n, r) => n + Number(r.numDeletedRows), 0);
    },
    endSession: (accountId, sessionId) => endSession(deps, accountId, sessionId),
    setPasswordSignInGuard: (guard) => setPasswordGuard(deps.kernel, guard),
  };
}
