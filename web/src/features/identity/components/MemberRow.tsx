import { useId } from 'react';
import { useLocale, useT } from '../../../app/i18n';
import { Badge } from '../../../components/Feedback';
import { formatDate, initials } from '../../../lib/format';
import { useSyncedState } from '../../../lib/use-synced-state';
import type { Member, Role } from '../types';

export const ROLES: Role[] = ['admin', 'member', 'guest'];

export function MemberRow({
  member,
  isSelf,
  canManage,
  busy,
  onRole,
  onCanInvite,
  onCanReadAudit,
  onRemove,
}: {
  member: Member;
  isSelf: boolean;
  canManage: boolean;
  busy: boolean;
  onRole: (role: Role, revert: () => void) => void;
  onCanInvite: (value: boolean, revert: () => void) => void;
  onCanReadAudit: (value: boolean, revert: () => void) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const roleId = useId();
  const inviteId = useId();
  const auditId = useId();
  const [role, setRole, revertRole] = useSyncedState(member.role);
  const [canInvite, setCanInvite, revertCanInvite] = useSyncedState(member.canInvite);
  const [canReadAudit, setCanReadAudit, revertCanReadAudit] = useSyncedState(member.canReadAudit);

  return (
    <tr data-testid={`member-row-${member.email}`}>
      <td>
        <div className="person">
          <span className="avatar avatar-sm" aria-hidden="true">
            {initials(member.name)}
          </span>
          <span className="person-text">
            <span className="person-name">
              {member.name}
              {isSelf ? <Badge tone="accent">{t('members.you')}</Badge> : null}
            </span>
            <span className="person-email">{member.email}</span>
          </span>
        </div>
      </td>
      <td>
        {canManage ? (
          <>
            <label htmlFor={roleId} className="sr-only">
              {t('members.roleFor', { name: member.name })}
            </label>
            <select
              id={roleId}
              className="select select-sm"
              data-testid={`role-select-${member.email}`}
              value={role}
              disabled={busy}
              onChange={(event) => {
                const next = ROLES.find((item) => item === event.target.value);
                if (!next) return;
                setRole(next);
                onRole(next, revertRole);
              }}
            >
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <Badge>{t(`role.${member.role}`)}</Badge>
        )}
      </td>
      <td>
        {role === 'admin' ? (
          <span className="cell-muted">{t('members.always')}</span>
        ) : role === 'member' && canManage ? (
          <span className="inline-check">
            <input
              id={inviteId}
              type="checkbox"
              className="checkbox"
              data-testid={`can-invite-${member.email}`}
              checked={canInvite}
              disabled={busy}
              onChange={(event) => {
                setCanInvite(event.target.checked);
                onCanInvite(event.target.checked, revertCanInvite);
              }}
            />
            <label htmlFor={inviteId} className="sr-only">
              {t('members.canInviteFor', { name: member.name })}
            </label>
          </span>
        ) : (
          <span className="cell-muted">{canInvite ? t('common.yes') : t('common.no')}</span>
        )}
      </td>
      {canManage ? (
        <td>
          {role === 'guest' ? (
            // Guests never hold the audit permission (W7.6).
            <span className="cell-muted">—</span>
          ) : (
            <span className="inline-check">
              <input
                id={auditId}
                type="checkbox"
                className="checkbox"
                data-testid={`can-read-audit-${member.email}`}
                checked={canReadAudit}
                disabled={busy}
                onChange={(event) => {
                  setCanReadAudit(event.target.checked);
                  onCanReadAudit(event.target.checked, revertCanReadAudit);
                }}
              />
              <label htmlFor={auditId} className="sr-only">
                {t('members.canReadAuditFor', { name: member.name })}
              </label>
            </span>
          )}
        </td>
      ) : null}
      <td>
        {member.twoFactorEnabled ? (
          <Badge tone="success">{t('members.twoFactorOn')}</Badge>
        ) : (
          <Badge tone="warning">{t('members.twoFactorOff')}</Badge>
        )}
      </td>
      <td className="cell-muted nowrap col-optional">{formatDate(member.joinedAt, locale)}</td>
      <td className="cell-actions">
        {canManage || isSelf ? (
          <button
            type="button"
            className="btn btn-sm btn-ghost-danger"
            data-testid={`remove-${member.email}`}
            onClick={onRemove}
            disabled={busy}
          >
            {isSelf ? t('members.leave') : t('members.remove')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
