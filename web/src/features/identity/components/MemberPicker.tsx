import { useId, useState } from 'react';
import { useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { useMembers } from '../org-api';

export function MemberPicker({
  orgId,
  selected,
  onChange,
}: {
  orgId: string;
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
}) {
  const t = useT();
  const baseId = useId();
  const members = useMembers(orgId);
  const [filter, setFilter] = useState('');

  const toggle = (accountId: string, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(accountId);
    else next.delete(accountId);
    onChange(next);
  };

  const needle = filter.trim().toLowerCase();
  const visible = (members.data ?? []).filter(
    (member) => !needle || member.name.toLowerCase().includes(needle) || member.email.toLowerCase().includes(needle),
  );

  return (
    <fieldset className="fieldset">
      <legend className="field-label">
        {t('teams.members')} <span className="muted">({selected.size})</span>
      </legend>
      {members.isPending ? <Spinner /> : null}
      <ErrorAlert error={members.error} />
      {members.data && members.data.length > 8 ? (
        <div className="picker-filter">
          <label htmlFor={`${baseId}-filter`} className="sr-only">
            {t('teams.filterMembers')}
          </label>
          <input
            id={`${baseId}-filter`}
            type="search"
            className="input"
            placeholder={t('teams.filterMembers')}
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
      ) : null}
      {members.data ? (
        <ul className="picker-list" data-testid="member-picker">
          {visible.map((member) => {
            const id = `${baseId}-${member.accountId}`;
            return (
              <li key={member.accountId} className="picker-item">
                <input
                  id={id}
                  type="checkbox"
                  className="checkbox"
                  checked={selected.has(member.accountId)}
                  onChange={(event) => toggle(member.accountId, event.target.checked)}
                />
                <label htmlFor={id}>
                  <span className="picker-name">{member.name}</span>
                  <span className="picker-email">{member.email}</span>
                </label>
              </li>
            );
          })}
          {visible.length === 0 ? <li className="muted picker-empty">{t('teams.noMatches')}</li> : null}
        </ul>
      ) : null}
    </fieldset>
  );
}
