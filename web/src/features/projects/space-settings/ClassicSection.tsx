import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Badge, Section, Spinner } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { useSyncedState } from '../../../lib/use-synced-state';
import type { ClassicRoleType } from '../../classic/api';
import { useAddClassicUser, useClassicStatus, useSetClassicLimit, type ClassicStatus } from './space-settings-api';

const ROLE_TYPES: ClassicRoleType[] = [1, 2, 3, 4, 5, 6];

function LimitForm({ orgId, status }: { orgId: string; status: ClassicStatus }) {
  const t = useT();
  const save = useSetClassicLimit(orgId);
  const [limit, setLimit] = useSyncedState(String(status.userLimit ?? 10));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(Number(limit));
  };
  return (
    <form className="form" onSubmit={onSubmit} data-testid="classic-limit-form">
      <TextField
        label={t('spaceSettings.userLimit')}
        hint={t('spaceSettings.userLimitHint')}
        type="number"
        inputMode="numeric"
        min={1}
        max={100000}
        step={1}
        value={limit}
        onValue={setLimit}
        required
        data-testid="classic-limit-input"
      />
      <ErrorAlert error={save.error} />
      {save.isSuccess ? (
        <Notice tone="success">
          <p>{t('common.saved')}</p>
        </Notice>
      ) : null}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="classic-limit-save">
          {status.classic ? t('spaceSettings.saveLimit') : t('spaceSettings.enableClassic')}
        </button>
      </div>
    </form>
  );
}

function AddUserForm({ orgId }: { orgId: string }) {
  const t = useT();
  const add = useAddClassicUser(orgId);
  const [userId, setUserId] = useState('');
  const [name, setName] = useState('');
  const [mailAddress, setMailAddress] = useState('');
  const [roleType, setRoleType] = useState('1');
  const [added, setAdded] = useState<string | null>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const input = { userId: userId.trim(), name: name.trim(), mailAddress: mailAddress.trim(), roleType: Number(roleType) as ClassicRoleType };
    add.mutate(input, {
      onSuccess: () => {
        setAdded(input.mailAddress);
        setUserId('');
        setName('');
        setMailAddress('');
      },
    });
  };
  return (
    <form className="form" onSubmit={onSubmit} data-testid="classic-add-user-form">
      <h3 className="section-title">{t('spaceSettings.addUserTitle')}</h3>
      <p className="muted small">{t('spaceSettings.addUserBody')}</p>
      <TextField
        label={t('spaceSettings.classicUserId')}
        hint={t('spaceSettings.classicUserIdHint')}
        value={userId}
        onValue={setUserId}
        required
        maxLength={64}
        pattern="[A-Za-z0-9._@\-]{1,64}"
        autoComplete="off"
        data-testid="classic-user-id"
      />
      <TextField label={t('spaceSettings.classicUserName')} value={name} onValue={setName} required maxLength={100} autoComplete="off" data-testid="classic-user-name" />
      <TextField
        label={t('spaceSettings.classicUserEmail')}
        type="email"
        value={mailAddress}
        onValue={setMailAddress}
        required
        maxLength={254}
        autoComplete="off"
        data-testid="classic-user-email"
      />
      <SelectField
        label={t('classic.roleType')}
        value={roleType}
        onValue={setRoleType}
        options={ROLE_TYPES.map((value) => ({ value: String(value), label: t(`classic.role.${value}`) }))}
        data-testid="classic-user-role"
      />
      <ErrorAlert error={add.error} />
      {added && add.isSuccess ? (
        <Notice tone="success">
          <p>{t('spaceSettings.userAdded', { email: added })}</p>
        </Notice>
      ) : null}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={add.isPending} data-testid="classic-add-user">
          {t('spaceSettings.addUser')}
        </button>
      </div>
    </form>
  );
}

/** W6.6: a classic space has its own users (Backlog roles 1–6) who sign in with a user id, not a platform account. */
export function ClassicSection({ orgId }: { orgId: string }) {
  const t = useT();
  const status = useClassicStatus(orgId);

  let body;
  if (status.isPending) body = <Spinner />;
  else if (status.isError) body = <ErrorAlert error={status.error} />;
  else {
    const s = status.data;
    const signInUrl = `${window.location.origin}${s.signInPath}`;
    body = (
      <>
        <p data-testid="classic-status">
          {s.classic ? (
            <Badge tone="success">{t('spaceSettings.classicOn', { users: s.users, limit: s.userLimit ?? 0 })}</Badge>
          ) : (
            <Badge>{t('spaceSettings.classicOff')}</Badge>
          )}
        </p>
        <LimitForm orgId={orgId} status={s} />
        {s.classic ? (
          <>
            <p className="small strong">{t('spaceSettings.signInLink')}</p>
            <div className="secret-row">
              <a href={s.signInPath} data-testid="classic-sign-in-link">
                {signInUrl}
              </a>
              <CopyButton text={signInUrl} label={t('spaceSettings.copyLink')} />
            </div>
            <AddUserForm orgId={orgId} />
          </>
        ) : null}
      </>
    );
  }

  return (
    <Section title={t('spaceSettings.classicTitle')} description={t('spaceSettings.classicBody')}>
      {body}
    </Section>
  );
}
