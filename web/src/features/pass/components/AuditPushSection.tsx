import { useState, type FormEvent } from 'react';
import { useLocale, useT } from '../../../app/i18n';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Badge, Section, Spinner } from '../../../components/Feedback';
import { CheckboxField, TextField } from '../../../components/Field';
import { formatDateTime } from '../../../lib/format';
import { useSyncedState } from '../../../lib/use-synced-state';
import type { Org } from '../../identity/types';
import {
  useAuditPush,
  useConfigureAuditPush,
  useRemoveAuditPush,
  useRotateAuditPushSecret,
  useTestAuditPush,
  type AuditPushTarget,
} from '../audit-push-api';

function SecretOnce({ secret }: { secret: string }) {
  const t = useT();
  return (
    <div className="secret-once" role="status" data-testid="audit-push-secret">
      <p className="secret-once-title">{t('auditPush.secretTitle')}</p>
      <p className="muted small">{t('auditPush.secretBody')}</p>
      <div className="secret-row">
        <code className="secret">{secret}</code>
        <CopyButton text={secret} />
      </div>
    </div>
  );
}

function DeliveryStatus({ target }: { target: AuditPushTarget }) {
  const t = useT();
  const { locale } = useLocale();
  const healthy = target.failures === 0;
  return (
    <dl className="audit-details" data-testid="audit-push-status">
      <div>
        <dt>{t('auditPush.state')}</dt>
        <dd>
          {!target.enabled ? (
            <Badge>{t('auditPush.paused')}</Badge>
          ) : healthy ? (
            <Badge tone="success">{t('auditPush.healthy')}</Badge>
          ) : (
            <Badge tone="danger">{t('auditPush.failing', { count: target.failures })}</Badge>
          )}
        </dd>
      </div>
      <div>
        <dt>{t('auditPush.lastSuccess')}</dt>
        <dd>{target.lastSuccessAt ? formatDateTime(target.lastSuccessAt, locale) : t('auditPush.never')}</dd>
      </div>
      <div>
        <dt>{t('auditPush.deliveredThrough')}</dt>
        <dd>{target.lastDeliveredSeq}</dd>
      </div>
      {target.lastError ? (
        <div>
          <dt>{t('auditPush.lastError')}</dt>
          <dd>{target.lastError}</dd>
        </div>
      ) : null}
      {target.nextAttemptAt ? (
        <div>
          <dt>{t('auditPush.nextAttempt')}</dt>
          <dd>{formatDateTime(target.nextAttemptAt, locale)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Admins who read the audit log may push it to their own HTTPS endpoint, signed with HMAC (issue 4 §6). */
export function AuditPushSection({ org }: { org: Org }) {
  const t = useT();
  const push = useAuditPush(org.id);
  const configure = useConfigureAuditPush(org.id);
  const rotate = useRotateAuditPushSecret(org.id);
  const test = useTestAuditPush(org.id);
  const remove = useRemoveAuditPush(org.id);
  const target = push.data?.target ?? null;
  const [url, setUrl] = useSyncedState(target?.url ?? '');
  const [enabled, setEnabled] = useSyncedState(target?.enabled ?? true);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const secret = rotate.data?.secret ?? configure.data?.secret ?? null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    rotate.reset();
    configure.mutate({ url: url.trim(), enabled });
  };

  return (
    <Section title={t('auditPush.title')} description={t('auditPush.description')}>
      {push.isPending ? <Spinner /> : null}
      <ErrorAlert error={push.error} />
      <form className="form" onSubmit={onSubmit} data-testid="audit-push-form">
        <TextField label={t('auditPush.url')} hint={t('auditPush.urlHint')} value={url} onValue={setUrl} type="url" required maxLength={2000} placeholder="https://siem.example.com/toride" />
        <CheckboxField label={t('auditPush.enabled')} checked={enabled} onChecked={setEnabled} />
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={configure.isPending}>
            {configure.isPending ? t('common.saving') : t('common.save')}
          </button>
          {target ? (
            <>
              <button type="button" className="btn" onClick={() => test.mutate()} disabled={test.isPending} data-testid="audit-push-test">
                {t('auditPush.sendTest')}
              </button>
              <button type="button" className="btn" onClick={() => { configure.reset(); rotate.mutate(); }} disabled={rotate.isPending}>
                {t('auditPush.rotate')}
              </button>
              <button type="button" className="btn btn-ghost-danger" onClick={() => setConfirmRemove(true)}>
                {t('auditPush.remove')}
              </button>
            </>
          ) : null}
        </div>
        <ErrorAlert error={configure.error ?? rotate.error ?? test.error} />
      </form>
      {secret ? <SecretOnce secret={secret} /> : null}
      {test.data ? (
        <Notice tone={test.data.ok ? 'success' : 'warning'} testId="audit-push-test-result">
          {test.data.ok ? t('auditPush.testOk', { status: test.data.status ?? 0 }) : t('auditPush.testFailed', { error: test.data.error ?? '' })}
        </Notice>
      ) : null}
      {target ? <DeliveryStatus target={target} /> : null}
      <ConfirmDialog
        open={confirmRemove}
        title={t('auditPush.removeTitle')}
        confirmLabel={t('auditPush.remove')}
        danger
        pending={remove.isPending}
        error={remove.error}
        onCancel={() => setConfirmRemove(false)}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => setConfirmRemove(false) })}
      >
        <p>{t('auditPush.removeBody')}</p>
      </ConfirmDialog>
    </Section>
  );
}
