import '../projects.css';
import type { ComponentType } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { NotFound } from '../../../app/shell/NotFound';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, Spinner } from '../../../components/Feedback';
import { isApiError } from '../../../lib/api';
import { useProject } from '../api';
import { ProjectContext } from '../project-context';
import { PersonalNav } from '../components/PersonalNav';
import { DocumentsArea } from './DocumentsArea';
import { FilesArea } from './FilesArea';
import { IssueDetailPage } from './IssueDetailPage';
import { IssueListPage } from './IssueListPage';
import { NewIssuePage } from './NewIssuePage';
import { NotificationsPage } from './NotificationsPage';
import { ProjectSettingsPage } from './ProjectSettingsPage';
import { StarsPage } from './StarsPage';
import { WatchingPage } from './WatchingPage';
import { WikiArea } from './WikiArea';

function ProjectTabs({ base, files }: { base: string; files: boolean }) {
  const t = useT();
  const [location] = useLocation();
  const tabs = [
    { href: base, label: t('projects.tab.issues'), testId: 'project-tab-issues', active: location === base || location.startsWith(`${base}/issues`) },
    { href: `${base}/issues/new`, label: t('projects.tab.addIssue'), testId: 'project-tab-add-issue', active: location === `${base}/issues/new` },
    { href: `${base}/wiki`, label: t('projects.tab.wiki'), testId: 'project-tab-wiki', active: location.startsWith(`${base}/wiki`) },
    { href: `${base}/documents`, label: t('projects.tab.documents'), testId: 'project-tab-documents', active: location.startsWith(`${base}/documents`) },
    ...(files ? [{ href: `${base}/files`, label: t('projects.tab.files'), testId: 'project-tab-files', active: location.startsWith(`${base}/files`) }] : []),
    { href: `${base}/settings`, label: t('projects.tab.settings'), testId: 'project-tab-settings', active: location.startsWith(`${base}/settings`) },
  ];
  return (
    <nav className="tabs" aria-label={t('projects.tabsLabel')}>
      {tabs.map((tab) => (
        <Link key={tab.href} href={tab.href} className="tab" aria-current={tab.active ? 'page' : undefined} data-testid={tab.testId}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}

/**
 * The user's own pages live beside the projects, at lowercase addresses no project key can take
 * (keys are capitals, digits and _): `/projects/notifications`, `/projects/stars`, `/projects/watching`.
 */
const PERSONAL_PAGES: Partial<Record<string, ComponentType>> = { notifications: NotificationsPage, stars: StarsPage, watching: WatchingPage };

export function ProjectArea({ projectKey }: { projectKey: string }) {
  const Personal = PERSONAL_PAGES[projectKey];
  return Personal ? <Personal /> : <OneProject projectKey={projectKey} />;
}

function OneProject({ projectKey }: { projectKey: string }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useProject(org.id, projectKey);
  if (project.isPending) return <Spinner />;
  if (project.error) {
    if (isApiError(project.error) && project.error.status === 404) return <NotFound />;
    return <ErrorAlert error={project.error} />;
  }
  const base = `/orgs/${org.id}/projects/${project.data.projectKey}`;
  return (
    <ProjectContext.Provider value={project.data}>
      <div className="page project-page">
        <p className="breadcrumb">
          <Link href={`/orgs/${org.id}/projects`}>{t('nav.projects')}</Link>
        </p>
        <div className="page-header">
          <h1 className="page-title title-with-badge" data-testid="project-title">
            {project.data.name} <span className="mono-id">({project.data.projectKey})</span>
            {project.data.archived ? <Badge>{t('projects.archived')}</Badge> : null}
          </h1>
          <PersonalNav />
        </div>
        <ProjectTabs base={base} files={project.data.useFileSharing} />
        <Switch>
          <Route path={base} component={IssueListPage} />
          <Route path={`${base}/issues/new`} component={NewIssuePage} />
          <Route path={`${base}/issues/:issueKey`}>{(params) => <IssueDetailPage issueKey={params.issueKey} />}</Route>
          <Route path={`${base}/settings/:tab?`}>{(params) => <ProjectSettingsPage tab={params.tab ?? 'members'} />}</Route>
          <Route path={`${base}/wiki/*?`}>
            <WikiArea base={`${base}/wiki`} />
          </Route>
          <Route path={`${base}/documents/*?`}>
            <DocumentsArea base={`${base}/documents`} />
          </Route>
          <Route path={`${base}/files/*?`}>
            <FilesArea base={`${base}/files`} />
          </Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </div>
    </ProjectContext.Provider>
  );
}
