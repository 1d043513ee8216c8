import type { ReactNode } from 'react';
import { useRoute } from 'wouter';
import { useT } from '../i18n';
import { preferredOrgId, useSignedInMe } from '../session';
import { Sidebar } from './Sidebar';
import { TopBar } from './TopBar';
import { VerifyBanner } from './VerifyBanner';

export function AppShell({ children }: { children: ReactNode }) {
  const t = useT();
  const me = useSignedInMe();
  const [inOrg, params] = useRoute('/orgs/:orgId/*?');
  const routeOrgId =
    inOrg && me.orgs.some((org) => org.id === params.orgId) ? params.orgId : null;
  const currentOrgId = routeOrgId ?? (inOrg ? null : preferredOrgId(me));

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </a>
      <Sidebar orgId={currentOrgId} />
      <div className="shell-main">
        <TopBar orgId={currentOrgId} />
        {me.account.emailVerified ? null : <VerifyBanner email={me.account.email} />}
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
