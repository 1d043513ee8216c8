import { Link } from 'wouter';
import { Icon } from '../../components/Icon';
import { useSignOut } from '../../features/identity/api';
import { initials } from '../../lib/format';
import { useT } from '../i18n';
import { useSignedInMe } from '../session';

export function TopBar({ orgId }: { orgId: string | null }) {
  const t = useT();
  const me = useSignedInMe();
  const signOut = useSignOut('/signin');
  const org = me.orgs.find((item) => item.id === orgId);

  return (
    <header className="topbar">
      <div className="topbar-context">
        {org ? (
          <>
            <span className="topbar-org">{org.name}</span>
            <span className="badge badge-neutral">{t(`role.${org.role}`)}</span>
          </>
        ) : null}
      </div>
      <div className="topbar-user">
        <Link href="/account" className="user-chip" title={t('shell.openAccount', { name: me.account.name })}>
          <span className="avatar" aria-hidden="true">
            {initials(me.account.name)}
          </span>
          <span className="user-chip-text">
            <span className="user-chip-name">{me.account.name}</span>
            <span className="user-chip-email">{me.account.email}</span>
          </span>
        </Link>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          data-testid="sign-out"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          <Icon name="signOut" />
          <span>{t('shell.signOut')}</span>
        </button>
      </div>
    </header>
  );
}
