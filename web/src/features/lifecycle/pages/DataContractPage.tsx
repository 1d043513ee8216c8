import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader, Section, Spinner } from '../../../components/Feedback';
import { isApiError } from '../../../lib/api';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useOrgLifecycle, useSunsets, type OrgLifecycle } from '../api';
import { ReceiptsTable, ServicesTable, stateLabel } from '../components/LifecycleTables';
import { CancelContractSection, DeleteOrgSection, RestoreOrgSection } from '../components/OrgActions';
import { Timeline, sunsetEvents } from '../components/Timeline';

/** Deleted and still inside the grace period: the purge has not started (W4.1, W4.14). */
export function inGracePeriod(lifecycle: OrgLifecycle): { grace: boolean; purgeStartsAt: string | null } {
  const timeline = lifecycle.timeline ?? [];
  const purgeAt = timeline.find((e) => e.event === 'purge_starts' && (e.service ?? 'workspace') === 'workspace')?.at ?? null;
  if (typeof lifecycle.restorable === 'boolean') return { grace: lifecycle.restorable, purgeStartsAt: purgeAt };
  const deleted = lifecycle.state === 'deleted' || timeline.some((e) => e.event === 'org_deleted' && e.done);
  const purgeStart = timeline.find((e) => e.event === 'purge_starts');
  const purgeStarted = Boolean(purgeStart?.done) || Boolean(lifecycle.purge?.startedAt) || (lifecycle.purge?.status !== undefined && !['none', 'not_started', 'scheduled', 'pending'].includes(lifecycle.purge.status));
  return { grace: deleted && !purgeStarted, purgeStartsAt: purgeStart?.at ?? null };
}

export function DataContractPage() {
  return <DataContractView org={useCurrentOrg()} />;
}

/** The page's content for an org given by id and name: also for a deleted org, which has no org context (its admins restore it here). */
export function DataContractView({ org }: { org: { id: string; name: string } }) {
  const t = useT();
  const lifecycle = useOrgLifecycle(org.id);
  const sunsets = useSunsets();
  useDocumentTitle(t('lifecycle.pageTitle'));

  const data = lifecycle.data;
  // Without the contract schedule (an older server), sunsets still make a timeline.
  const scheduleMissing = isApiError(lifecycle.error) && lifecycle.error.status === 404;
  const { grace, purgeStartsAt } = data ? inGracePeriod(data) : { grace: false, purgeStartsAt: null };
  const deleted = Boolean(data && (data.deletedAt || data.state === 'deleted' || grace));

  return (
    <div className="page">
      <PageHeader title={t('lifecycle.pageTitle')} description={t('lifecycle.pageDescription')} />
      {lifecycle.isPending ? <Spinner /> : null}
      {scheduleMissing ? null : <ErrorAlert error={lifecycle.error} />}
      {scheduleMissing ? (
        <Section title={t('lifecycle.timelineTitle')} description={t('lifecycle.timelineDescription')}>
          <Timeline events={sunsetEvents(sunsets.data?.items)} />
        </Section>
      ) : null}
      {data ? (
        <>
          <Section title={t('lifecycle.timelineTitle')} description={t('lifecycle.timelineDescription')}>
            {data.state ? (
              <p data-testid="lifecycle-org-state">
                {t('lifecycle.orgState')} <span className="strong">{stateLabel(t, data.state)}</span>
              </p>
            ) : null}
            <Timeline events={[...(data.timeline ?? []), ...sunsetEvents(sunsets.data?.items)]} />
          </Section>
          <Section title={t('lifecycle.servicesTitle')}>
            <ServicesTable services={data.services ?? []} />
          </Section>
          <Section title={t('lifecycle.receiptsTitle')} description={t('lifecycle.receiptsDescription')}>
            <ReceiptsTable receipts={data.receipts ?? []} linkFor={(r) => `/api/v1/orgs/${org.id}/lifecycle/receipts/${r.id}`} />
          </Section>
          {grace ? <RestoreOrgSection orgId={org.id} purgeStartsAt={purgeStartsAt} /> : null}
          {!deleted ? (
            <>
              <CancelContractSection orgId={org.id} />
              <DeleteOrgSection orgId={org.id} orgName={org.name} backupRetentionDays={data.backupRetentionDays ?? sunsets.data?.backupRetentionDays ?? null} />
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
