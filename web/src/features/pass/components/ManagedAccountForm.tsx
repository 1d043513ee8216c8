import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { SelectField, TextField } from '../../../components/Field';
import { useCreateManaged, useUpdateManaged, type ManagedAccount, type ManagedRole } from '../managed-api';

const ROLES: ManagedRole[] = ['member', 'guest', 'admin'];

/** Create a managed account, or edit one (`editing`). */
export function ManagedAccountForm({ orgId, editing, onDone }: { orgId: string; editing: ManagedAccount | null; onDone: () => void }) {
  const t = useT();
  const create = useCreateManaged(orgId);
  const update = useUpdateManaged(orgId);
  const [email, setEmail] = useState(editing?.email ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [role, setRole] = useState<ManagedRole>(editing?.role ?? 'member');
  const mutation = editing ? update : create;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const done = () => {
      setEmail('');
      setName('');
      setRole('member');
      onDone();
    };
    if (editing) update.mutate({ id: editing.id, email, name, role }, { onSuccess: done });
    else create.mutate({ email, name, role }, { onSuccess: done });
  };

  return (
    <form className="form" onSubmit={onSubmit} data-testid="managed-form">
      <TextField label={t('managed.email')} type="email" value={email} onValue={setEmail} required maxLength={254} data-testid="managed-email" />
      <TextField label={t('managed.name')} value={name} onValue={setName} required maxLength={200} data-testid="managed-name" />
      <SelectField
        label={t('managed.role')}
        value={role}
        onValue={(value) => setRole(value as ManagedRole)}
        options={ROLES.map((r) => ({ value: r, label: t(`managed.role.${r}`) }))}
        data-testid="managed-role"
      />
      <ErrorAlert error={mutation.error} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending} data-testid="managed-submit">
          {editing ? t('managed.save') : t('managed.create')}
        </button>
        {editing ? (
          <button type="button" className="btn" onClick={onDone}>
            {t('managed.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
