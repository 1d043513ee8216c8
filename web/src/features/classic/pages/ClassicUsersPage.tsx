import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { PageHeader, Section, Spinner } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import type { ClassicMe, ClassicRoleType } from '../api';
import { useAddClassicUser, useChangeClassicRole, useClassicUsers, useDeleteClassicUser } from '../users-api';

const ROLE_TYPES: readonly ClassicRoleType[] = [1, 2, 3, 4, 5, 6];

/** `/classic/:spaceKey/users`: a classic Administrator adds users (mailed an initial password), changes roles, deletes. */
export function ClassicUsersPage({ me }: { me: ClassicMe }) {
  const t = useT();
  const users = useClassicUsers(me);
  const change = useChangeClassicRole(me);
  const remove = useDeleteClassicUser(me);
  const roleOptions = ROLE_TYPES.map((r) => ({ value: String(r), label: t(`classic.role.${r}`) }));
  return (
    <div className="page" data-testid="classic-users-page">
      <PageHeader title={t('classic.usersTitle')} description={t('classic.usersIntro')} />
      <AddUserForm me={me} roleOptions={roleOptions} />
      <Section title={t('classic.usersListTitle')}>
        {users.isPending ? <Spinner /> : null}
        <ErrorAlert error={users.error ?? change.error ?? remove.error} />
        {users.data ? (
          <table className="table" data-testid="classic-users-table">
            <thead>
              <tr>
                <th scope="col">{t('classic.userId')}</th>
                <th scope="col">{t('classic.userName')}</th>
                <th scope="col">{t('classic.mailAddress')}</th>
                <th scope="col">{t('classic.roleType')}</th>
                <th scope="col">{t('classic.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((user) => (
                <tr key={user.id}>
                  <td>{user.userId}</td>
                  <td>{user.name}</td>
                  <td>{user.mailAddress}</td>
                  <td>
                    <select
                      className="select"
                      aria-label={t('classic.roleOf', { name: user.name })}
                      value={String(user.roleType)}
                      disabled={user.id === me.id || change.isPending}
                      onChange={(event) => change.mutate({ id: user.id, roleType: Number(event.target.value) as ClassicRoleType })}
                    >
                      {roleOptions.map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      aria-label={t('classic.deleteUserNamed', { name: user.name })}
                      disabled={user.id === me.id || remove.isPending}
                      onClick={() => {
                        if (window.confirm(t('classic.deleteUserConfirm', { name: user.name }))) remove.mutate(user.id);
                      }}
                    >
                      {t('classic.deleteUser')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>
    </div>
  );
}

function AddUserForm({ me, roleOptions }: { me: ClassicMe; roleOptions: { value: string; label: string }[] }) {
  const t = useT();
  const add = useAddClassicUser(me);
  const [userId, setUserId] = useState('');
  const [name, setName] = useState('');
  const [mailAddress, setMail] = useState('');
  const [roleType, setRoleType] = useState('2');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      { userId: userId.trim(), name: name.trim(), mailAddress: mailAddress.trim(), roleType: Number(roleType) as ClassicRoleType },
      { onSuccess: () => (setUserId(''), setName(''), setMail('')) },
    );
  };
  return (
    <Section title={t('classic.addUserTitle')}>
      <form className="form" onSubmit={onSubmit} data-testid="classic-add-user-form">
        <TextField label={t('classic.userId')} value={userId} onValue={setUserId} required maxLength={64} />
        <TextField label={t('classic.userName')} value={name} onValue={setName} required maxLength={100} />
        <TextField label={t('classic.mailAddress')} type="email" value={mailAddress} onValue={setMail} required maxLength={254} />
        <SelectField label={t('classic.roleType')} value={roleType} onValue={setRoleType} options={roleOptions} />
        {add.isSuccess ? <Notice tone="success">{t('classic.userAdded')}</Notice> : null}
        <ErrorAlert error={add.error} />
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {t('classic.addUser')}
        </button>
      </form>
    </Section>
  );
}
