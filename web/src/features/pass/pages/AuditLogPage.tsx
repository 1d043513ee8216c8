import { useState } from 'react';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, PageHeader, Section, Spinner } from '../../../components/Feedback';
import { isApiError } from '../../../lib/api';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { Org } from '../../identity/types';
import { auditExportUrl, useAuditEvents, type AuditFilters } from '../api';
import { AuditFilterForm } from '../components/AuditFilterForm';
import { AuditPushSection } from '../components/AuditPushSection';
import { AuditTable } from '../components/AuditTable';

function NoAccess({ org }: { org: Org }) {
  const t = useT();
  return (
    <Notice tone="warning" testId="audit-no-access">
      <p className="strong">{t('audit.noAccessTitle')}</p>
      <p>{t(org.myRole === 'guest' ? 'audit.noAccessGuest' : 'audit.noAccessBody', { org: org.name })}</p>
    </Notice>
  );
}

function VerifyHint() {
  const t = useT();
  const [before, after] = t('audit.verifyHint').split('{command}');
  return (
    <p className="muted small">
      {before}
      <code>toride audit verify</code>
      {after}
    </p>
  );
}

function ExportSection({ org, filters }: { org: Org; filters: AuditFilters }) {
  const t = useT();
  const range = { from: filters.from, to: filters.to };
  return (
    <Section title={t('audit.exportTitle')} description={t('audit.exportBody')}>
      <div className="button-row">
        <a className="btn" href={auditExportUrl(org.id, 'jsonl', range)} download data-testid="audit-export-jsonl">
          {t('audit.exportJsonl')}
        </a>
        <a className="btn" href={auditExportUrl(org.id, 'csv', range)} download data-testid="audit-export-csv">
          {t('audit.exportCsv')}
        </a>
      </div>
      <VerifyHint />
    </Section>
  );
}

function Results({ org, filters }: { org: Org; filters: AuditFilters }) {
  const t = useT();
  const events = useAuditEvents(org.id, filters);

  if (events.isPending) return <Spinner />;
  if (events.isError && !events.data) {
    if (isApiError(events.error, 'auth.forbidden')) return <NoAccess org={org} />;
    return <ErrorAlert error={events.error} />;
  }
  const items = events.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <EmptyState title={t('audit.empty')}>
        <p>{t('audit.emptyBody')}</p>
      </EmptyState>
    );
  }
  return (
    <>
      <AuditTable events={items} caption={t('audit.tableCaption', { org: org.name })} />
      <ErrorAlert error={events.error} />
      <div className="audit-footer">
        <p className="muted small" aria-live="polite">
          {items.length === 1 ? t('audit.shownOne') : t('audit.shown', { count: items.length })}
          {events.hasNextPage ? null : ` · ${t('audit.end')}`}
        </p>
        {events.hasNextPage ? (
          <button
            type="button"
            className="btn"
            onClick={() => void events.fetchNextPage()}
            disabled={events.isFetchingNextPage}
            data-testid="audit-load-more"
          >
            {events.isFetchingNextPage ? t('common.loading') : t('audit.loadMore')}
          </button>
        ) : null}
      </div>
    </>
  );
}

export function AuditLogPage() {
  const t = useT();
  const org = useCurrentOrg();
  const [filters, setFilters] = useState<AuditFilters>({});
  useDocumentTitle(t('nav.audit'));

  return (
    <div className="page">
      <PageHeader title={t('nav.audit')} description={t('audit.description', { org: org.name })} />
      {org.abilities.readAudit ? (
        <>
          <Section title={t('audit.filtersTitle')}>
            <AuditFilterForm onApply={setFilters} />
          </Section>
          <section className="page-section" aria-labelledby="audit-results-heading">
            <h2 id="audit-results-heading" className="section-title">
              {t('audit.entriesTitle')}
            </h2>
            <Results org={org} filters={filters} />
          </section>
          <ExportSection org={org} filters={filters} />
          {org.myRole === 'admin' ? <AuditPushSection org={org} /> : null}
        </>
      ) : (
        <NoAccess org={org} />
      )}
    </div>
  );
}
