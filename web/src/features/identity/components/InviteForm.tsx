import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { SelectField, TextField } from '../../../components/Field';
import { useCreateInvitation } from '../org-api';
import type { Org, Role } from '../types';

export function InviteForm({ org }: { org: Org }) {
  const t = useT();
  const me = useSignedInMe();
  const invite = useCreateInvitation(org.id);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const roles: Role[] = org.abilities.manageMembers ? ['admin', 'member', 'guest'] : ['member', 'guest'];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  };

  return (
    <form className="form" onSubmit={onSubmit} data-testid="invite-form">
      {me.account.emailVerified ? null : (
        <Notice tone="warning">
          <p>{t('error.invitation.inviter_unverified')}</p>
        </Notice>
      )}
      <div className="form-inline">
        <TextField
          label={t('field.email')}
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="off"
          placeholder={t('invite.emailPlaceholder')}
          required
        />
        <SelectField
          label={t('invite.roleLabel')}
          value={role}
          onValue={(value) => {
            const next = roles.find((item) => item === value);
            if (next) setRole(next);
          }}
          options={roles.map((item) => ({ value: item, label: t(`role.${item}`) }))}
        />
        <div className="form-inline-action">
          <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
            {invite.isPending ? t('common.sending') : t('invite.send')}
          </button>
        </div>
      </div>
      <p className="field-hint">{t(`invite.roleHint.${role}`)}</p>
      <ErrorAlert error={invite.error} />
      {invite.isSuccess ? (
        <Notice tone="success">
          <p>{t('invite.sent', { email: invite.data.email })}</p>
        </Notice>
      ) : null}
    </form>
  );
}
