import { Link, useLocation } from 'wouter';
import { Icon, type IconName } from '../../components/Icon';
import { Logo } from '../../components/Logo';
import { useOrg } from '../../features/identity/org-api';
import { useT, type MessageKey } from '../i18n';
import { useSignedInMe } from '../session';
import { OrgSwitcher } from './OrgSwitcher';

interface NavItem {
  href: string;
  label: MessageKey;
  icon: IconName;
  exact?: boolean;
}

function NavLink({ item }: { item: NavItem }) {
  const t = useT();
  const [location] = useLocation();
  const active = item.exact ? location === item.href : location === item.href || location.startsWith(`${item.href}/`);
  return (
    <li>
      <Link href={item.href} className="nav-link" aria-current={active ? 'page' : undefined}>
        <Icon name={item.icon} />
        <span>{t(item.label)}</span>
      </Link>
    </li>
  );
}

export function Sidebar({ orgId }: { orgId: string | null }) {
  const t = useT();
  const me = useSignedInMe();
  const summary = me.orgs.find((org) => org.id === orgId);
  const base = orgId ? `/orgs/${orgId}` : null;
  // Abilities come from the org itself (the same query OrgArea uses), not from the `me` summary.
  const { data: org } = useOrg(orgId ?? '', orgId !== null);
  const abilities = org?.id === orgId ? org.abilities : undefined;

  const workspace: NavItem[] = base
    ? [
        { href: base, label: 'nav.home', icon: 'home', exact: true },
        { href: `${base}/projects`, label: 'nav.projects', icon: 'projects' },
        { href: `${base}/diagrams`, label: 'nav.diagrams', icon: 'diagrams' },
        { href: `${base}/chat`, label: 'nav.chat', icon: 'chat' },
      ]
    : [];
  const organization: NavItem[] = base
    ? [
        { href: `${base}/members`, label: 'nav.members', icon: 'members' },
        { href: `${base}/teams`, label: 'nav.teams', icon: 'teams' },
        ...(summary?.role === 'admin'
          ? [
              { href: `${base}/settings`, label: 'nav.settings', icon: 'settings', exact: true } satisfies NavItem,
              { href: `${base}/settings/data`, label: 'nav.dataContract', icon: 'shield' } satisfies NavItem,
            ]
          : []),
        ...(abilities?.readAudit
          ? [{ href: `${base}/audit`, label: 'nav.audit', icon: 'audit' } satisfies NavItem]
          : []),
        ...(summary?.role === 'admin'
          ? [
              { href: `${base}/settings/domains`, label: 'nav.domains', icon: 'shield' } satisfies NavItem,
              { href: `${base}/settings/managed-accounts`, label: 'nav.managedAccounts', icon: 'members' } satisfies NavItem,
              { href: `${base}/settings/scim`, label: 'nav.scim', icon: 'teams' } satisfies NavItem,
              { href: `${base}/settings/sso`, label: 'nav.sso', icon: 'shield' } satisfies NavItem,
              { href: `${base}/settings/projects`, label: 'nav.projectSpace', icon: 'projects' } satisfies NavItem,
            ]
          : []),
      ]
    : [];

  return (
    <aside className="sidebar">
      <div className="sidebar-brand">
        <Link href="/" className="brand-link" aria-label={t('shell.homeLink')}>
          <Logo />
        </Link>
      </div>
      <OrgSwitcher orgId={orgId} />
      <nav className="sidebar-nav" aria-label={t('shell.mainNav')}>
        {workspace.length > 0 ? (
          <ul className="nav-list">
            {workspace.map((item) => (
              <NavLink key={item.href} item={item} />
            ))}
          </ul>
        ) : null}
        {organization.length > 0 ? (
          <>
            <p className="nav-heading">{t('nav.organization')}</p>
            <ul className="nav-list">
              {organization.map((item) => (
                <NavLink key={item.href} item={item} />
              ))}
            </ul>
          </>
        ) : null}
        <p className="nav-heading">{t('nav.you')}</p>
        <ul className="nav-list">
          <NavLink item={{ href: '/account', label: 'nav.account', icon: 'account' }} />
        </ul>
      </nav>
    </aside>
  );
}
