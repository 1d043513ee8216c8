import { useState, type FormEvent } from 'react';
import { hasMessage, useT, type MessageKey } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { CheckboxField, TextField } from '../../../components/Field';
import type { Webhook } from '../collab-types';
import { WEBHOOK_ACTIVITY_TYPES, type WebhookInput } from '../webhooks-api';

export const activityTypeLabel = (id: number): MessageKey => {
  const key = `webhooks.activity.${id}`;
  return hasMessage(key) ? key : 'webhooks.activity.other';
};

/** Create or edit a webhook: name, description, URL, and every event or a chosen set of activity types. */
export function WebhookForm({ webhook, pending, error, onSubmit, onCancel }: {
  webhook?: Webhook;
  pending: boolean;
  error: unknown;
  onSubmit: (input: WebhookInput) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [name, setName] = useState(webhook?.name ?? '');
  const [description, setDescription] = useState(webhook?.description ?? '');
  const [hookUrl, setHookUrl] = useState(webhook?.hookUrl ?? '');
  const [allEvent, setAllEvent] = useState(webhook?.allEvent ?? false);
  const [types, setTypes] = useState<Set<number>>(new Set(webhook?.activityTypeIds ?? [1, 2, 3]));
  const toggle = (id: number, on: boolean) => {
    const next = new Set(types);
    if (on) next.add(id);
    else next.delete(id);
    setTypes(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ name: name.trim(), description: description.trim(), hookUrl: hookUrl.trim(), allEvent, activityTypeIds: WEBHOOK_ACTIVITY_TYPES.filter((id) => types.has(id)) });
  };
  const noEvents = !allEvent && types.size === 0;
  return (
    <form className="form card card-body-padded" onSubmit={submit} aria-label={webhook ? t('webhooks.editNamed', { name: webhook.name }) : t('webhooks.new')} data-testid="webhook-form">
      <TextField label={t('webhooks.name')} value={name} onValue={setName} required maxLength={255} data-testid="webhook-name" />
      <TextField label={t('webhooks.description')} value={description} onValue={setDescription} maxLength={1000} data-testid="webhook-description" />
      <TextField label={t('webhooks.hookUrl')} hint={t('webhooks.hookUrlHint')} type="url" value={hookUrl} onValue={setHookUrl} required maxLength={2000} data-testid="webhook-url" />
      <CheckboxField label={t('webhooks.allEvent')} checked={allEvent} onChecked={setAllEvent} />
      {allEvent ? null : (
        <fieldset className="webhook-events" data-testid="webhook-events">
          <legend className="field-label">{t('webhooks.events')}</legend>
          {WEBHOOK_ACTIVITY_TYPES.map((id) => (
            <CheckboxField key={id} label={t(activityTypeLabel(id))} checked={types.has(id)} onChecked={(on) => toggle(id, on)} />
          ))}
        </fieldset>
      )}
      {noEvents ? <p className="field-hint">{t('webhooks.pickEvents')}</p> : null}
      <ErrorAlert error={error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={pending || noEvents} data-testid="webhook-save">
          {pending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
