import { useId } from 'react';
import { useLocation } from 'wouter';
import { useT } from '../i18n';
import { useSignedInMe } from '../session';

const CREATE = '__create__';
const PORTABLE_SECTIONS = new Set(['projects', 'diagrams', 'chat', 'members', 'teams', 'settings']);

export function OrgSwitcher({ orgId }: { orgId: string | null }) {
  const t = useT();
  const id = useId();
  const me = useSignedInMe();
  const [location, navigate] = useLocation();

  const onChange = (value: string) => {
    if (value === CREATE) {
      navigate('/orgs/new');
      return;
    }
    const target = me.orgs.find((org) => org.id === value);
    if (!target) return;
    const section = /^\/orgs\/[^/]+\/([^/]+)/.exec(location)?.[1];
    const keep = section && PORTABLE_SECTIONS.has(section) && (section !== 'settings' || target.role === 'admin');
    navigate(keep ? `/orgs/${target.id}/${section}` : `/orgs/${target.id}`);
  };

  const known = orgId !== null && me.orgs.some((org) => org.id === orgId);
  const value = known ? orgId : location === '/orgs/new' || me.orgs.length === 0 ? CREATE : '';

  return (
    <div className="org-switcher">
      <label htmlFor={id} className="sr-only">
        {t('shell.organization')}
      </label>
      <select
        id={id}
        className="select org-switcher-select"
        data-testid="org-switcher"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      >
        {value === '' ? <option value="">{t('shell.chooseOrg')}</option> : null}
        {me.orgs.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name}
          </option>
        ))}
        <option value={CREATE}>{t('shell.createOrg')}</option>
      </select>
    </div>
  );
}
