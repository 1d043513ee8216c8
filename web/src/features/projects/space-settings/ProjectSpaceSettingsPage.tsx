import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { Notice } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/Feedback';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { ClassicSection } from './ClassicSection';
import { OAuthAppsSection } from './OAuthAppsSection';
import { RestrictionsSection } from './RestrictionsSection';

/** Org admins set up the org's projects (Backlog-compatible) space: member restrictions, OAuth apps, classic mode. */
export function ProjectSpaceSettingsPage() {
  const t = useT();
  const org = useCurrentOrg();
  useDocumentTitle(t('spaceSettings.title'));

  return (
    <div className="page" data-testid="project-space-settings-page">
      <PageHeader title={t('spaceSettings.title')} description={t('spaceSettings.description', { org: org.name })} />
      {org.myRole !== 'admin' ? (
        <Notice tone="warning">
          <p>{t('error.auth.forbidden')}</p>
        </Notice>
      ) : (
        <>
          <RestrictionsSection orgId={org.id} orgName={org.name} />
          <OAuthAppsSection orgId={org.id} orgName={org.name} />
          <ClassicSection orgId={org.id} />
        </>
      )}
    </div>
  );
}
