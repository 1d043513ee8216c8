import { useEffect } from 'react';
import { Route, Switch } from 'wouter';
import { useOrg } from '../../features/identity/org-api';
import { OrgHomePage } from '../../features/identity/pages/OrgHomePage';
import { MembersPage } from '../../features/identity/pages/MembersPage';
import { TeamsPage } from '../../features/identity/pages/TeamsPage';
import { TeamDetailPage } from '../../features/identity/pages/TeamDetailPage';
import { OrgSettingsPage } from '../../features/identity/pages/OrgSettingsPage';
import { AuditLogPage } from '../../features/pass/pages/AuditLogPage';
import { DomainsPage } from '../../features/pass/pages/DomainsPage';
import { ManagedAccountsPage } from '../../features/pass/pages/ManagedAccountsPage';
import { ScimPage } from '../../features/pass/pages/ScimPage';
import { SsoPage } from '../../features/pass/pages/SsoPage';
import { usePurgedOrgs } from '../../features/lifecycle/api';
import { LifecycleBanner } from '../../features/lifecycle/components/LifecycleBanner';
import { DataContractPage, DataContractView } from '../../features/lifecycle/pages/DataContractPage';
import { ComingSoonPage } from '../../features/workspace/pages/ComingSoonPage';
import { ProjectArea } from '../../features/projects/pages/ProjectArea';
import { ProjectsPage } from '../../features/projects/pages/ProjectsPage';
import { ProjectSpaceSettingsPage } from '../../features/projects/space-settings/ProjectSpaceSettingsPage';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Spinner } from '../../components/Feedback';
import { isApiError } from '../../lib/api';
import { rememberOrg, useSignedInMe } from '../session';
import { NotFound } from './NotFound';
import { OrgContext } from './org-context';
import { TwoFactorRequired } from './TwoFactorRequired';

export function OrgArea({ orgId }: { orgId: string }) {
  const { data: org, error, isPending } = useOrg(orgId);
  const deletedForAdmin = useSignedInMe().orgs.find((o) => o.id === orgId && o.role === 'admin' && o.lifecycle?.state === 'deleted');
  // After the purge the memberships are gone; its contract admin still reads the final timeline and receipts (W4.10).
  const purged = usePurgedOrgs(Boolean(error) && !deletedForAdmin).data?.find((o) => o.orgId === orgId);

  useEffect(() => {
    if (org) rememberOrg(org.id);
  }, [org]);

  if (isPending) return <Spinner />;
  if (error) {
    if (isApiError(error, 'auth.two_factor_required')) return <TwoFactorRequired orgId={orgId} />;
    // A deleted org answers 404 to everyone; its admins still reach its data & contract page to restore it (W4.1).
    if (isApiError(error) && error.status === 404 && deletedForAdmin) {
      return (
        <>
          <LifecycleBanner orgId={orgId} />
          <DataContractView org={deletedForAdmin} />
        </>
      );
    }
    if (isApiError(error) && error.status === 404 && purged) return <DataContractView org={{ id: purged.orgId, name: '' }} />;
    if (isApiError(error) && (error.status === 404 || error.status === 403)) return <NotFound kind="org" />;
    return <ErrorAlert error={error} />;
  }

  const base = `/orgs/${orgId}`;
  return (
    <OrgContext.Provider value={org}>
      <LifecycleBanner orgId={orgId} />
      <Switch>
        <Route path={base} component={OrgHomePage} />
        <Route path={`${base}/projects`} component={ProjectsPage} />
        <Route path={`${base}/projects/:projectKey/*?`}>{(params) => <ProjectArea key={params.projectKey} projectKey={params.projectKey} />}</Route>
        <Route path={`${base}/diagrams`}>
          <ComingSoonPage module="diagrams" />
        </Route>
        <Route path={`${base}/chat`}>
          <ComingSoonPage module="chat" />
        </Route>
        <Route path={`${base}/members`} component={MembersPage} />
        <Route path={`${base}/teams`} component={TeamsPage} />
        <Route path={`${base}/teams/:teamId`}>{(params) => <TeamDetailPage teamId={params.teamId} />}</Route>
        <Route path={`${base}/settings`} component={OrgSettingsPage} />
        <Route path={`${base}/settings/data`} component={DataContractPage} />
        <Route path={`${base}/audit`} component={AuditLogPage} />
        <Route path={`${base}/settings/domains`} component={DomainsPage} />
        <Route path={`${base}/settings/managed-accounts`} component={ManagedAccountsPage} />
        <Route path={`${base}/settings/scim`} component={ScimPage} />
        <Route path={`${base}/settings/sso`} component={SsoPage} />
        <Route path={`${base}/settings/projects`} component={ProjectSpaceSettingsPage} />
        <Route>
          <NotFound />
        </Route>
      </Switch>
    </OrgContext.Provider>
  );
}
