import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { meKey } from '../api';
import { useMembers, useRemoveMember, useUpdateMember } from '../org-api';
import type { Member, Org } from '../types';
import { MemberRow } from './MemberRow';

export function MembersTable({ org }: { org: Org }) {
  const t = useT();
  const me = useSignedInMe();
  const qc = useQueryClient();
  const [, navigate] = useLocation();
  const members = useMembers(org.id);
  const update = useUpdateMember(org.id);
  const remove = useRemoveMember(org.id);
  const [removing, setRemoving] = useState<Member | null>(null);
  const canManage = org.abilities.manageMembers;

  if (members.isPending) return <Spinner />;
  if (members.isError) return <ErrorAlert error={members.error} />;
  if (members.data.length === 0) return <EmptyState title={t('members.empty')} />;

  const removingSelf = removing?.accountId === me.account.id;

  const confirmRemove = () => {
    if (!removing) return;
    remove.mutate(removing.accountId, {
      onSuccess: async () => {
        setRemoving(null);
        if (removingSelf) {
          await qc.invalidateQueries({ queryKey: meKey });
          navigate('/', { replace: true });
        }
      },
    });
  };

  return (
    <>
      <ErrorAlert error={update.error} />
      <div className="table-wrap">
        <table className="table" data-testid="members-table">
          <caption className="sr-only">{t('members.tableCaption', { org: org.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.role')}</th>
              <th scope="col">{t('members.canInvite')}</th>
              {canManage ? <th scope="col">{t('members.canReadAudit')}</th> : null}
              <th scope="col">{t('members.twoFactor')}</th>
              <th scope="col" className="col-optional">
                {t('members.joined')}
              </th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <MemberRow
                key={member.accountId}
                member={member}
                isSelf={member.accountId === me.account.id}
                canManage={canManage}
                busy={update.isPending && update.variables?.accountId === member.accountId}
                onRole={(role, revert) => update.mutate({ accountId: member.accountId, role }, { onError: revert })}
                onCanInvite={(canInvite, revert) =>
                  update.mutate({ accountId: member.accountId, canInvite }, { onError: revert })
                }
                onCanReadAudit={(canReadAudit, revert) =>
                  update.mutate({ accountId: member.accountId, canReadAudit }, { onError: revert })
                }
                onRemove={() => {
                  remove.reset();
                  setRemoving(member);
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={removingSelf ? t('members.leaveTitle', { org: org.name }) : t('members.removeTitle', { name: removing?.name ?? '' })}
        confirmLabel={removingSelf ? t('members.leave') : t('members.remove')}
        danger
        pending={remove.isPending}
        error={remove.error}
        onConfirm={confirmRemove}
        onCancel={() => setRemoving(null)}
      >
        <p>
          {removingSelf
            ? t('members.leaveBody')
            : t('members.removeBody', { name: removing?.name ?? '', email: removing?.email ?? '', org: org.name })}
        </p>
      </ConfirmDialog>
    </>
  );
}
