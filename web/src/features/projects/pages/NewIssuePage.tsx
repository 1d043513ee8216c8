import { useLocation } from 'wouter';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateIssue } from '../api';
import { IssueForm, issueParams } from '../components/IssueForm';
import { useCurrentProject } from '../project-context';

export function NewIssuePage() {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const [, navigate] = useLocation();
  const create = useCreateIssue(org.id);
  useDocumentTitle(`${t('projects.tab.addIssue')} · ${project.name}`);
  return (
    <section className="page-section" aria-labelledby="new-issue-heading">
      <h2 id="new-issue-heading" className="section-title">
        {t('projects.tab.addIssue')}
      </h2>
      <IssueForm
        pending={create.isPending}
        error={create.error}
        submitLabel={t('issues.create')}
        onSubmit={(values) =>
          create.mutate({ projectId: project.id, ...issueParams(values, false) }, { onSuccess: (issue) => navigate(`/orgs/${org.id}/projects/${project.projectKey}/issues/${issue.issueKey}`) })
        }
      />
    </section>
  );
}
