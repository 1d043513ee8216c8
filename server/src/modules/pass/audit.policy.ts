import { roleAllows } from '../../../../shared/src/permissions';
import { forbidden } from '../../kernel/errors';
import type { OrgAccess } from '../identity';

/** W7.6: reading the audit log is its own permission (`audit:read`), not implied by any role. */
export function requireAuditReader(access: OrgAccess): void {
  const grant = { role: access.membership.role, canInvite: false, canReadAudit: access.membership.can_read_audit === 1 };
  if (!roleAllows(grant, 'audit:read')) throw forbidden();
}
