import { Link, Redirect, Route, Router, Switch } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { NotFound } from '../../../app/shell/NotFound';
import { OrgContext } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FullPageSpinner } from '../../../components/Feedback';
import { initials } from '../../../lib/format';
import type { Org } from '../../identity/types';
import { ProjectArea } from '../../projects/pages/ProjectArea';
import { ProjectsPage } from '../../projects/pages/ProjectsPage';
import { classicOrgId, useClassicSession, useClassicSignOut, type ClassicMe } from '../api';
import { ClassicAccountPage } from './ClassicAccountPage';
import { ClassicUsersPage } from './ClassicUsersPage';

/**
 * A classic user inside their space (W6.6): the projects UI itself, not a copy, under
 * `/classic/:spaceKey/…`. Its links (`/orgs/:orgId/projects/…`) resolve below this base, and its
 * `/api/v2` calls carry the classic session (org id `classic:<spaceKey>`, projects/backlog.ts).
 */
export function ClassicArea({ spaceKey }: { spaceKey: string }) {
  const session = useClassicSession(spaceKey);
  const { locale } = useLocale();
  if (session.isPending) return <FullPageSpinner />;
  if (session.error) return <ErrorAlert error={session.error} />;
  const me = session.data;
  if (!me) return <Redirect to={`/classic/${spaceKey}/sign-in`} replace />;

  const orgId = classicOrgId(spaceKey);
  // The projects pages read only the org's id and name; a classic user has no platform abilities.
  const org: Org = {
    id: orgId,
    name: me.spaceName ?? spaceKey,
    locale,
    createdAt: '',
    requireTwoFactor: false,
    myRole: me.roleType === 1 ? 'admin' : me.roleType >= 5 ? 'guest' : 'member',
    abilities: { manageMembers: false, invite: false, manageTeams: false, manageOrg: false, viewMembers: false, readAudit: false },
  };
  return (
    <OrgContext.Provider value={org}>
      <Router base={`/classic/${spaceKey}`}>
        <div className="shell-main classic-shell">
          <ClassicTopBar me={me} orgId={orgId} />
          <main id="main" className="content" tabIndex={-1}>
            <Switch>
              <Route path="/account">
                <ClassicAccountPage me={me} />
              </Route>
              <Route path="/users">{me.roleType === 1 ? <ClassicUsersPage me={me} /> : <NotFound />}</Route>
              <Route path="/orgs/:orgId/projects">{(params) => (params.orgId === orgId ? <ProjectsPage /> : <NotFound />)}</Route>
              <Route path="/orgs/:orgId/projects/:projectKey/*?">
                {(params) => (params.orgId === orgId ? <ProjectArea key={params.projectKey} projectKey={params.projectKey} /> : <NotFound />)}
              </Route>
              <Route path="/">
                <Redirect to={`/orgs/${orgId}/projects`} replace />
              </Route>
              <Route>
                <NotFound />
              </Route>
            </Switch>
          </main>
        </div>
      </Router>
    </OrgContext.Provider>
  );
}

function ClassicTopBar({ me, orgId }: { me: ClassicMe; orgId: string }) {
  const t = useT();
  const signOut = useClassicSignOut(me);
  return (
    <header className="topbar">
      <nav className="topbar-context" aria-label={t('classic.navLabel')}>
        <span className="topbar-org">{me.spaceName ?? me.spaceKey}</span>
        <Link href={`/orgs/${orgId}/projects`}>{t('classic.projects')}</Link>
        {me.roleType === 1 ? (
          <Link href="/users" data-testid="classic-users-link">
            {t('classic.users')}
          </Link>
        ) : null}
      </nav>
      <div className="topbar-user">
        <Link href="/account" className="user-chip" data-testid="classic-account">
          <span className="avatar" aria-hidden="true">
            {initials(me.name)}
          </span>
          <span className="user-chip-text">
            <span className="user-chip-name">{me.name}</span>
            <span className="user-chip-email">{t(`classic.role.${me.roleType}`)}</span>
          </span>
        </Link>
        <button type="button" className="btn btn-ghost btn-sm" data-testid="classic-sign-out" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          {t('classic.signOut')}
        </button>
      </div>
    </header>
  );
}
