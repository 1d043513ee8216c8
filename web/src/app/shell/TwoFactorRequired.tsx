import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { meKey } from '../../features/identity/api';
import { useRemoveMember } from '../../features/identity/org-api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useT } from '../i18n';
import { useSignedInMe } from '../session';

export function TwoFactorRequired({ orgId }: { orgId: string }) {
  const t = useT();
  const me = useSignedInMe();
  const qc = useQueryClient();
  const [, navigate] = useLocation();
  const leave = useRemoveMember(orgId);
  const [confirming, setConfirming] = useState(false);
  const orgName = me.orgs.find((org) => org.id === orgId)?.name ?? '';
  useDocumentTitle(t('org.twoFactorRequiredTitle'));

  return (
    <div className="not-found">
      <h1 className="page-title">{t('org.twoFactorRequiredTitle')}</h1>
      <p className="muted">{t('org.twoFactorRequiredBody')}</p>
      <div className="button-row">
        <Link href="/account/security" className="btn btn-primary">
          {t('org.twoFactorRequiredAction')}
        </Link>
        <button type="button" className="btn btn-ghost" onClick={() => setConfirming(true)}>
          {t('org.leaveInstead')}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('members.leaveTitle', { org: orgName })}
        confirmLabel={t('members.leave')}
        danger
        pending={leave.isPending}
        error={leave.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          leave.mutate(me.account.id, {
            onSuccess: async () => {
              await qc.invalidateQueries({ queryKey: meKey });
              navigate('/', { replace: true });
            },
          })
        }
      >
        <p>{t('members.leaveBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
