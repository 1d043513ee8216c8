import { useState } from 'react';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { isApiError } from '../../../lib/api';
import type { Webhook } from '../collab-types';
import { useCurrentProject } from '../project-context';
import { useWebhooks, useWebhookWrite } from '../webhooks-api';
import { WebhookDeliveries } from './WebhookDeliveries';
import { activityTypeLabel, WebhookForm } from './WebhookForm';

type Mode = { kind: 'list' } | { kind: 'new' } | { kind: 'edit'; webhook: Webhook } | { kind: 'log'; webhook: Webhook };

/** Project settings → Webhooks: list, create, edit, delete, and each one's delivery log. */
export function WebhooksSettings() {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const hooks = useWebhooks(org.id, project.projectKey);
  const write = useWebhookWrite(org.id, project.projectKey);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [doomed, setDoomed] = useState<Webhook | null>(null);
  if (hooks.error && isApiError(hooks.error) && hooks.error.status === 404) return <Notice>{t('webhooks.unavailable')}</Notice>;
  const back = () => {
    write.reset();
    setMode({ kind: 'list' });
  };
  const events = (hook: Webhook) => (hook.allEvent ? t('webhooks.allEvent') : hook.activityTypeIds.map((id) => t(activityTypeLabel(id))).join(', '));
  return (
    <div className="stack" data-testid="settings-webhooks">
      {hooks.isPending ? <Spinner /> : null}
      <ErrorAlert error={hooks.error} />
      {hooks.data && hooks.data.length === 0 ? <EmptyState title={t('webhooks.empty')}>{t('webhooks.emptyHint')}</EmptyState> : null}
      {hooks.data && hooks.data.length > 0 ? (
        <ul className="row-list" data-testid="webhooks-list">
          {hooks.data.map((hook) => (
            <li key={hook.id} className="row-item" data-testid="webhook">
              <div className="row-main">
                <span className="row-title">{hook.name}</span>
                <span className="row-meta mono-id">{hook.hookUrl}</span>
                {hook.description ? <span className="row-meta">{hook.description}</span> : null}
                <span className="row-meta">{t('webhooks.eventsList', { events: events(hook) })}</span>
              </div>
              <div className="button-row">
                <button type="button" className="btn btn-sm" onClick={() => setMode({ kind: 'edit', webhook: hook })} aria-label={t('webhooks.editNamed', { name: hook.name })} data-testid="webhook-edit">
                  {t('webhooks.edit')}
                </button>
                <button type="button" className="btn btn-sm" aria-pressed={mode.kind === 'log' && mode.webhook.id === hook.id} onClick={() => setMode(mode.kind === 'log' && mode.webhook.id === hook.id ? { kind: 'list' } : { kind: 'log', webhook: hook })} aria-label={t('webhooks.deliveriesOf', { name: hook.name })} data-testid="webhook-log">
                  {t('webhooks.deliveries')}
                </button>
                <button type="button" className="btn btn-sm btn-ghost-danger" onClick={() => setDoomed(hook)} aria-label={t('webhooks.deleteNamed', { name: hook.name })} data-testid="webhook-delete">
                  {t('webhooks.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {mode.kind === 'list' || mode.kind === 'log' ? (
        <div className="button-row">
          <button type="button" className="btn btn-primary" onClick={() => setMode({ kind: 'new' })} data-testid="webhook-new">
            {t('webhooks.new')}
          </button>
        </div>
      ) : null}
      {mode.kind === 'new' ? <WebhookForm pending={write.isPending} error={write.error} onCancel={back} onSubmit={(input) => write.mutate({ create: input }, { onSuccess: back })} /> : null}
      {mode.kind === 'edit' ? (
        <WebhookForm key={mode.webhook.id} webhook={mode.webhook} pending={write.isPending} error={write.error} onCancel={back} onSubmit={(input) => write.mutate({ update: input, id: mode.webhook.id }, { onSuccess: back })} />
      ) : null}
      {mode.kind === 'log' ? <WebhookDeliveries webhook={mode.webhook} /> : null}
      <ConfirmDialog
        open={doomed !== null}
        title={t('webhooks.deleteTitle', { name: doomed?.name ?? '' })}
        confirmLabel={t('webhooks.delete')}
        danger
        pending={write.isPending}
        error={write.error}
        onConfirm={() =>
          doomed &&
          write.mutate(
            { remove: doomed.id },
            {
              onSuccess: () => {
                setDoomed(null);
                setMode({ kind: 'list' });
              },
            },
          )
        }
        onCancel={() => {
          write.reset();
          setDoomed(null);
        }}
      >
        <p>{t('webhooks.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
