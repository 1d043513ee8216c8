import { forbidden } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { Kernel } from '../../kernel/module';

/**
 * W8.3: where a password may start a session or be set. Pass registers ONE guard (its SSO enforcement
 * rule); identity asks it on every path below, so no path can sidestep enforcement (issue 13 §1).
 */
export type PasswordPath =
  /** `POST /sessions`, after the password was found correct. */
  | 'sign_in'
  /** `POST /sessions/two-factor`, after the second factor was found correct. */
  | 'second_factor'
  /** `POST /signup`: a new account with a password. */
  | 'sign_up'
  /** Accepting an invitation by creating a new account with a password. */
  | 'invitation'
  /** Asking for, or using, a password-reset link. */
  | 'password_reset'
  /** `POST /me/password`. */
  | 'password_change'
  /** Moving an account with a password to a new address (asked for, or confirmed). */
  | 'email_change'
  /** A password session granting an OAuth app access (projects' consent page). */
  | 'oauth_consent';

export interface PasswordSignInAttempt {
  path: PasswordPath;
  /** The account the password belongs to; null while none exists yet (sign-up, invitation). */
  accountId: string | null;
  /** The address the password would sign in: the new one for an email change. */
  email: string;
  name: string | null;
}

export type PasswordVerdict = { allowed: true } | { allowed: false; orgId: string };

/**
 * Decides (and audits) one attempt. Pass's guard allows an address no org enforces SSO for, and a
 * break-glass admin of the enforcing org; it records the attempt at `sign_in` and alerts at
 * `second_factor`.
 */
export type PasswordSignInGuard = (attempt: PasswordSignInAttempt, meta: RequestMeta) => Promise<PasswordVerdict>;

const guards = new WeakMap<Kernel, PasswordSignInGuard>();

export function setPasswordGuard(kernel: Kernel, guard: PasswordSignInGuard | null): void {
  if (guard) guards.set(kernel, guard);
  else guards.delete(kernel);
}

/** The one answer every refused path gives: it is only ever given to someone who proved the address or password. */
export const ssoRequired = () => forbidden('Your organization requires single sign-on for this address. Use "Sign in with SSO".', 'auth.sso_required');

/** Asks pass's guard; without pass (or without an address) every path is open. */
export async function passwordVerdict(kernel: Kernel, attempt: PasswordSignInAttempt, meta: RequestMeta): Promise<PasswordVerdict> {
  const guard = guards.get(kernel);
  if (!guard || !attempt.email) return { allowed: true };
  return guard(attempt, meta);
}

/** Throws 403 `auth.sso_required` when the guard refuses. */
export async function requirePasswordAllowed(kernel: Kernel, attempt: PasswordSignInAttempt, meta: RequestMeta): Promise<void> {
  if (!(await passwordVerdict(kernel, attempt, meta)).allowed) throw ssoRequired();
}
