import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Section } from '../../../components/Feedback';
import { emptySecondFactor } from '../../identity/components/SecondFactorField';
import { useLifecycleAction, utcDay } from '../api';
import { ReauthFields, useReauthBody, type Reauth } from './ReauthFields';

const DAY = 86_400_000;
const emptyReauth: Reauth = { password: '', factor: emptySecondFactor };

/** The W4.1 dates if the org were deleted now: purge starts +180 d, completes within 10 d. */
export function deletionPreview(now: number, backupRetentionDays: number | null) {
  const purgeStarts = new Date(now + 180 * DAY).toISOString();
  const purgedBy = new Date(now + 190 * DAY).toISOString();
  const backups = backupRetentionDays === null ? null : new Date(now + (190 + backupRetentionDays) * DAY).toISOString();
  return { deletedAt: new Date(now).toISOString(), purgeStarts, purgedBy, backups };
}

function ActionForm({
  orgId,
  action,
  title,
  description,
  submitLabel,
  confirmTitle,
  confirmLabel,
  danger,
  children,
  testId,
}: {
  orgId: string;
  action: 'cancel' | 'delete' | 'restore';
  title: string;
  description: string;
  submitLabel: string;
  confirmTitle: string;
  confirmLabel: string;
  danger?: boolean;
  children: React.ReactNode;
  testId: string;
}) {
  const t = useT();
  const mutation = useLifecycleAction(orgId, action);
  const toBody = useReauthBody();
  const [reauth, setReauth] = useState<Reauth>(emptyReauth);
  const [confirming, setConfirming] = useState(false);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    mutation.reset();
    setConfirming(true);
  };
  return (
    <Section title={title} description={description} {...(danger ? { tone: 'danger' as const } : {})} headingLevel={3}>
      <form className="form" onSubmit={onSubmit} data-testid={testId}>
        <ReauthFields value={reauth} onChange={setReauth} />
        <ErrorAlert error={confirming ? null : mutation.error} />
        {mutation.isSuccess ? (
          <Notice tone="success">
            <p>{t('lifecycle.actionDone')}</p>
          </Notice>
        ) : null}
        <div className="form-actions">
          <button type="submit" className={danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={mutation.isPending}>
            {submitLabel}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={confirmTitle}
        confirmLabel={confirmLabel}
        {...(danger ? { danger: true } : {})}
        pending={mutation.isPending}
        error={mutation.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          mutation.mutate(toBody(reauth), {
            onSuccess: () => {
              setConfirming(false);
              setReauth(emptyReauth);
            },
          })
        }
      >
        {children}
      </ConfirmDialog>
    </Section>
  );
}

export function DeleteOrgSection({ orgId, orgName, backupRetentionDays }: { orgId: string; orgName: string; backupRetentionDays: number | null }) {
  const t = useT();
  const preview = deletionPreview(Date.now(), backupRetentionDays);
  return (
    <ActionForm
      orgId={orgId}
      action="delete"
      title={t('lifecycle.deleteTitle')}
      description={t('lifecycle.deleteDescription')}
      submitLabel={t('lifecycle.deleteSubmit')}
      confirmTitle={t('lifecycle.deleteConfirmTitle', { name: orgName })}
      confirmLabel={t('lifecycle.deleteConfirm')}
      danger
      testId="lifecycle-delete-form"
    >
      <ul data-testid="lifecycle-delete-consequences">
        <li>{t('lifecycle.deleteNow', { date: utcDay(preview.deletedAt) })}</li>
        <li>{t('lifecycle.deleteGrace', { date: utcDay(preview.purgeStarts) })}</li>
        <li>{t('lifecycle.deletePurgedBy', { date: utcDay(preview.purgedBy) })}</li>
        {preview.backups ? <li>{t('lifecycle.deleteBackups', { date: utcDay(preview.backups) })}</li> : null}
        <li>{t('lifecycle.deleteKept')}</li>
      </ul>
    </ActionForm>
  );
}

export function CancelContractSection({ orgId }: { orgId: string }) {
  const t = useT();
  return (
    <ActionForm
      orgId={orgId}
      action="cancel"
      title={t('lifecycle.cancelTitle')}
      description={t('lifecycle.cancelDescription')}
      submitLabel={t('lifecycle.cancelSubmit')}
      confirmTitle={t('lifecycle.cancelConfirmTitle')}
      confirmLabel={t('lifecycle.cancelConfirm')}
      danger
      testId="lifecycle-cancel-form"
    >
      <p>{t('lifecycle.cancelConsequences')}</p>
    </ActionForm>
  );
}

export function RestoreOrgSection({ orgId, purgeStartsAt }: { orgId: string; purgeStartsAt: string | null }) {
  const t = useT();
  return (
    <ActionForm
      orgId={orgId}
      action="restore"
      title={t('lifecycle.restoreTitle')}
      description={purgeStartsAt ? t('lifecycle.restoreUntil', { date: utcDay(purgeStartsAt) }) : t('lifecycle.restoreDescription')}
      submitLabel={t('lifecycle.restoreSubmit')}
      confirmTitle={t('lifecycle.restoreConfirmTitle')}
      confirmLabel={t('lifecycle.restoreConfirm')}
      testId="lifecycle-restore-form"
    >
      <p>{t('lifecycle.restoreConsequences')}</p>
    </ActionForm>
  );
}
