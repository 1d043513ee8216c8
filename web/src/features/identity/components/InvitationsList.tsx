import { useLocale, useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, EmptyState, Spinner } from '../../../components/Feedback';
import { formatDate } from '../../../lib/format';
import { useInvitations, useRevokeInvitation } from '../org-api';
import type { Org } from '../types';

export function InvitationsList({ org }: { org: Org }) {
  const t = useT();
  const { locale } = useLocale();
  const invitations = useInvitations(org.id);
  const revoke = useRevokeInvitation(org.id);

  if (invitations.isPending) return <Spinner />;
  if (invitations.isError) return <ErrorAlert error={invitations.error} />;

  const pending = invitations.data.filter((item) => item.status === 'pending');
  if (pending.length === 0) return <EmptyState title={t('invitations.empty')} />;

  return (
    <>
      <ErrorAlert error={revoke.error} />
      <div className="table-wrap">
        <table className="table" data-testid="invitations-table">
          <caption className="sr-only">{t('invitations.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.email')}</th>
              <th scope="col">{t('field.role')}</th>
              <th scope="col" className="col-optional">
                {t('invitations.invitedBy')}
              </th>
              <th scope="col">{t('invitations.expires')}</th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.map((invitation) => (
              <tr key={invitation.id} data-testid={`invitation-row-${invitation.email}`}>
                <td>{invitation.email}</td>
                <td>
                  <Badge>{t(`role.${invitation.role}`)}</Badge>
                </td>
                <td className="cell-muted col-optional">{invitation.invitedBy.name}</td>
                <td className="cell-muted nowrap">{formatDate(invitation.expiresAt, locale)}</td>
                <td className="cell-actions">
                  {org.abilities.manageMembers || (org.abilities.invite && invitation.role !== 'admin') ? (
                    <button
                      type="button"
                      className="btn btn-sm btn-ghost-danger"
                      data-testid={`revoke-${invitation.email}`}
                      disabled={revoke.isPending && revoke.variables === invitation.id}
                      onClick={() => revoke.mutate(invitation.id)}
                      aria-label={t('invitations.revokeFor', { email: invitation.email })}
                    >
                      {t('invitations.revoke')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
