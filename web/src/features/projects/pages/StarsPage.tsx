import { Link } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useMyself } from '../api';
import { PersonalPage } from '../components/PersonalPage';
import { useMyStars, useStarWrite } from '../social-api';

/** A star's URL is the server's public one; the web app's page sits under the org: `/orgs/:org/projects/…`. */
function appPath(orgId: string, url: string): string | null {
  const at = url.indexOf('/projects/');
  return at < 0 ? null : `/orgs/${orgId}${url.slice(at)}`;
}

export function StarsPage() {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const myself = useMyself(org.id);
  const stars = useMyStars(org.id, myself.data?.id);
  const write = useStarWrite(org.id);
  useDocumentTitle(t('stars.mine'));
  return (
    <PersonalPage title={t('stars.mine')} description={t('stars.description')} testId="stars-page">
      <section className="page-section" aria-labelledby="stars-heading">
        <h2 id="stars-heading" className="section-title">
          {t('stars.listTitle')}
        </h2>
        {stars.isPending ? <Spinner /> : null}
        <ErrorAlert error={stars.error ?? myself.error} />
        <ErrorAlert error={write.error} />
        {stars.data && stars.data.length === 0 ? <EmptyState title={t('stars.empty')} /> : null}
        {stars.data && stars.data.length > 0 ? (
          <ul className="row-list" data-testid="stars-list">
            {stars.data.map((star) => {
              const path = appPath(org.id, star.url);
              return (
                <li key={star.id} className="row-item" data-testid="star">
                  <div className="row-main">
                    <span className="row-title">{path ? <Link href={path}>{star.title}</Link> : star.title}</span>
                    <span className="row-meta">{t('stars.starredAt', { at: formatDateTime(star.created, locale) })}</span>
                  </div>
                  <button
                    type="button"
                    className="btn btn-sm btn-ghost-danger"
                    onClick={() => write.mutate({ removeId: star.id })}
                    disabled={write.isPending}
                    aria-label={t('stars.removeNamed', { name: star.title })}
                  >
                    {t('stars.remove')}
                  </button>
                </li>
              );
            })}
          </ul>
        ) : null}
      </section>
    </PersonalPage>
  );
}
