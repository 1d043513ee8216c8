import type { ReactNode } from 'react';
import '../projects.css';
import { Link } from 'wouter';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { PageHeader } from '../../../components/Feedback';
import { PersonalNav } from './PersonalNav';

/** The frame of the personal project pages: notifications, my stars, watching. */
export function PersonalPage({ title, description, testId, children }: { title: string; description: string; testId: string; children: ReactNode }) {
  const t = useT();
  const org = useCurrentOrg();
  return (
    <div className="page" data-testid={testId}>
      <p className="breadcrumb">
        <Link href={`/orgs/${org.id}/projects`}>{t('nav.projects')}</Link>
      </p>
      <PageHeader title={title} description={description} actions={<PersonalNav />} />
      {children}
    </div>
  );
}
