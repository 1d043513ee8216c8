import type { Kysely } from 'kysely';
import { publicUrlOf } from '../../config';
import type { AuditEntry } from '../../kernel/audit';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { Kernel } from '../../kernel/module';
import type { AccountRow, IdentityDb, Locale } from './identity.db';
import { identityRepositories } from './identity.repositories';

/** An org's contract state as `GET /me` shows it (W4.1–W4.3): the web app's banner and restore action. */
export interface OrgLifecycleSummary {
  /** The workspace contract state (`trial`, `paid`, `suspended`, `cancelled`, `deleted`), or `active` when none is recorded. */
  state: string;
  /** When the org is deleted automatically (trial ended, unpaid, cancelled), if it will be. */
  deletesAt: string | null;
  /** When a deleted org's purge starts: until then an admin can restore it. */
  purgeStartsAt: string | null;
}

export interface IdentityDeps {
  readonly kernel: Kernel;
  readonly db: Kysely<IdentityDb>;
  /**
   * Set in app.ts once the lifecycle module exists: lifecycle depends on identity, so identity
   * cannot import it. Without it, every org reads `active`.
   */
  orgLifecycle?: (orgIds: readonly string[]) => Promise<ReadonlyMap<string, OrgLifecycleSummary>>;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const asLocale = (value: string): Locale => (value === 'ja' ? 'ja' : 'en');

export const appLink = (deps: IdentityDeps, path: string) => `${publicUrlOf(deps.kernel.config)}${path}`;

/**
 * Audits an identity event with the caller's network facts. Account-level events (sign-in, 2FA,
 * password) go to the platform chain and also to the log of every org the account belongs to, so
 * those orgs' audit readers see them (issue 4 §6).
 */
export async function audit(
  deps: IdentityDeps,
  meta: RequestMeta | null,
  entry: Omit<AuditEntry, 'ip' | 'userAgent' | 'requestId' | 'actor'> & { actor?: AccountRow | null; actorEmail?: string },
): Promise<void> {
  const { actor, actorEmail, ...rest } = entry;
  const record: AuditEntry = {
    ...rest,
    actor: actor
      ? { type: 'account', id: actor.id, name: actor.name, email: actor.email }
      : { type: 'anonymous', email: actorEmail ?? null },
    ip: meta?.ip ?? null,
    userAgent: meta?.userAgent ?? null,
    requestId: meta?.requestId ?? null,
  };
  await deps.kernel.audit.record(record);
  if (rest.orgId !== undefined || !actor) return;
  for (const org of await identityRepositories(deps.db).orgs.listOrgsOfAccount(actor.id)) {
    await deps.kernel.audit.record({ ...record, orgId: org.id });
  }
}

export function emitEvent(deps: IdentityDeps, name: string, orgId: string | null, payload: Record<string, unknown>): void {
  deps.kernel.events.emit({ name, orgId, at: deps.kernel.clock.now().toISOString(), payload });
}
