import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Badge, EmptyState, PageHeader, Section, Spinner } from '../../../components/Feedback';
import { CheckboxField, TextField } from '../../../components/Field';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateProject, useMyself, useProjects } from '../api';
import { PersonalNav } from '../components/PersonalNav';

const KEY_PATTERN = '[A-Z][A-Z0-9_]{1,24}';

function CreateProjectForm({ orgId }: { orgId: string }) {
  const t = useT();
  const [, navigate] = useLocation();
  const create = useCreateProject(orgId);
  const [name, setName] = useState('');
  const [key, setKey] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), key: key.trim() }, { onSuccess: (project) => navigate(`/orgs/${orgId}/projects/${project.projectKey}`) });
  };

  return (
    <form className="form" onSubmit={onSubmit} data-testid="create-project-form">
      <div className="form-inline">
        <TextField label={t('projects.name')} value={name} onValue={setName} required maxLength={255} data-testid="project-name" />
        <TextField
          label={t('projects.key')}
          hint={t('projects.keyHint')}
          value={key}
          onValue={(value) => setKey(value.toUpperCase())}
          required
          pattern={KEY_PATTERN}
          maxLength={25}
          data-testid="project-key"
        />
        <div className="form-inline-action">
          <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid="create-project">
            {create.isPending ? t('common.creating') : t('projects.create')}
          </button>
        </div>
      </div>
      <ErrorAlert error={create.error} />
    </form>
  );
}

export function ProjectsPage() {
  const t = useT();
  const org = useCurrentOrg();
  const myself = useMyself(org.id);
  const isAdmin = myself.data?.roleType === 1;
  const [showArchived, setShowArchived] = useState(false);
  const projects = useProjects(org.id, showArchived);
  useDocumentTitle(t('nav.projects'));
  const list = (projects.data ?? []).filter((p) => showArchived || !p.archived);

  return (
    <div className="page" data-testid="projects-page">
      <PageHeader title={t('nav.projects')} description={t('projects.description', { org: org.name })} actions={<PersonalNav />} />
      {isAdmin ? (
        <Section title={t('projects.createTitle')}>
          <CreateProjectForm orgId={org.id} />
        </Section>
      ) : null}
      <section className="page-section" aria-labelledby="projects-heading">
        <div className="section-toolbar">
          <h2 id="projects-heading" className="section-title">
            {t('projects.listTitle')}
          </h2>
          <CheckboxField label={t('projects.showArchived')} checked={showArchived} onChecked={setShowArchived} />
        </div>
        {projects.isPending ? <Spinner /> : null}
        <ErrorAlert error={projects.error} />
        {projects.data && list.length === 0 ? (
          <EmptyState title={t('projects.empty')}>
            <p>{isAdmin ? t('projects.emptyAdmin') : t('projects.emptyMember')}</p>
          </EmptyState>
        ) : null}
        {list.length > 0 ? (
          <ul className="team-list" data-testid="projects-list">
            {list.map((project) => (
              <li key={project.id}>
                <Link href={`/orgs/${org.id}/projects/${project.projectKey}`} className="team-card" data-testid={`project-${project.projectKey}`}>
                  <span className="team-card-name">{project.name}</span>
                  <span className="team-card-desc mono-id">{project.projectKey}</span>
                  {project.archived ? (
                    <span className="team-card-meta">
                      <Badge>{t('projects.archived')}</Badge>
                    </span>
                  ) : null}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
