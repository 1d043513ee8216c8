import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { SelectField, TextField } from '../../../components/Field';
import type { SsoConnection } from '../sso-api';

type Mapping = SsoConnection['mapping'];

const toPairs = (record: Record<string, string>) =>
  Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

const fromPairs = (text: string) =>
  Object.fromEntries(
    text
      .split(',')
      .map((pair) => pair.split('=').map((s) => s.trim()))
      .filter((pair): pair is [string, string] => Boolean(pair[0] && pair[1])),
  );

/**
 * Issue 13 §6: every mapping setting the API has, under "Mapping" — attribute (SAML) or claim (OIDC)
 * names, IdP role value → Toride role, the default role, IdP group → team. The server validates roles.
 */
export function SsoMappingForm({ mapping, pending, onSave }: { mapping: Mapping; pending: boolean; onSave: (mapping: Mapping) => void }) {
  const t = useT();
  const [email, setEmail] = useState(mapping.email);
  const [name, setName] = useState(mapping.name);
  const [groups, setGroups] = useState(mapping.groups);
  const [role, setRole] = useState(mapping.role);
  const [roleValues, setRoleValues] = useState(toPairs(mapping.roleValues));
  const [defaultRole, setDefaultRole] = useState<Mapping['defaultRole']>(mapping.defaultRole);
  const [groupTeams, setGroupTeams] = useState(toPairs(mapping.groupTeams));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onSave({ email, name, groups, role, roleValues: fromPairs(roleValues), defaultRole, groupTeams: fromPairs(groupTeams) });
  };
  return (
    <form className="form" onSubmit={onSubmit} data-testid="sso-mapping-form">
      <fieldset>
        <legend>{t('sso.mapping')}</legend>
        <p className="muted small">{t('sso.mappingHint')}</p>
        <TextField label={t('sso.attrEmail')} value={email} onValue={setEmail} required maxLength={200} data-testid="sso-attr-email" />
        <TextField label={t('sso.attrName')} value={name} onValue={setName} required maxLength={200} data-testid="sso-attr-name" />
        <TextField label={t('sso.attrGroups')} value={groups} onValue={setGroups} required maxLength={200} data-testid="sso-attr-groups" />
        <TextField label={t('sso.attrRole')} value={role} onValue={setRole} required maxLength={200} data-testid="sso-attr-role" />
        <TextField label={t('sso.roleValues')} hint={t('sso.roleValuesHint')} value={roleValues} onValue={setRoleValues} data-testid="sso-role-values" />
        <SelectField
          label={t('sso.defaultRole')}
          value={defaultRole}
          onValue={(v) => setDefaultRole(v === 'guest' ? 'guest' : 'member')}
          options={[
            { value: 'member', label: t('sso.roleMember') },
            { value: 'guest', label: t('sso.roleGuest') },
          ]}
          data-testid="sso-default-role"
        />
        <TextField label={t('sso.groupTeams')} hint={t('sso.groupTeamsHint')} value={groupTeams} onValue={setGroupTeams} data-testid="sso-group-teams" />
        <div className="button-row">
          <button type="submit" className="btn btn-sm" disabled={pending} data-testid="sso-save-mapping">
            {t('sso.saveMapping')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
