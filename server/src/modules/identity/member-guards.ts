import type { Kernel } from '../../kernel/module';

/**
 * A change that takes an admin's powers away: demotion, suspension, removal from the org, or deletion
 * of the account. Other modules may veto it (pass: the admin who issued a live SCIM token) by throwing
 * an AppError from their guard.
 */
export interface MemberChange {
  /** Null for an account deletion: every org the account belongs to. */
  orgId: string | null;
  accountId: string;
  kind: 'demote' | 'suspend' | 'remove' | 'delete';
}

export type MemberChangeGuard = (change: MemberChange) => Promise<void>;

/** One list per kernel (one app instance), so test apps never see each other's guards. */
const guards = new WeakMap<Kernel, MemberChangeGuard[]>();

export function addMemberChangeGuard(kernel: Kernel, guard: MemberChangeGuard): void {
  const list = guards.get(kernel) ?? [];
  list.push(guard);
  guards.set(kernel, list);
}

/** Runs every guard; the first one that objects throws. */
export async function checkMemberChange(deps: { kernel: Kernel }, change: MemberChange): Promise<void> {
  for (const guard of guards.get(deps.kernel) ?? []) await guard(change);
}
