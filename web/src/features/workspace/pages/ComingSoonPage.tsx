import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { Badge, PageHeader } from '../../../components/Feedback';
import { Icon } from '../../../components/Icon';
import { useDocumentTitle } from '../../../lib/use-document-title';

export type WorkspaceModule = 'projects' | 'diagrams' | 'chat';

export function ComingSoonPage({ module }: { module: WorkspaceModule }) {
  const t = useT();
  const org = useCurrentOrg();
  const title = t(`nav.${module}`);
  useDocumentTitle(title);

  return (
    <div className="page">
      <PageHeader title={title} description={org.name} />
      <div className="coming-soon">
        <span className="coming-soon-icon">
          <Icon name={module} size={28} />
        </span>
        <Badge tone="accent">{t('common.comingSoon')}</Badge>
        <h2 className="coming-soon-title">{t(`soon.${module}.title`)}</h2>
        <p className="coming-soon-body">{t(`soon.${module}.body`)}</p>
      </div>
    </div>
  );
}
