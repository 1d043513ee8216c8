import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { AuthLayout } from '../../../app/AuthLayout';
import { useT } from '../../../app/i18n';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, FullPageSpinner, Spinner } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { utcDay } from '../../lifecycle/api';
import { ReceiptsTable, stateLabel } from '../../lifecycle/components/LifecycleTables';
import { Timeline } from '../../lifecycle/components/Timeline';
import { CONTRACT_SERVICES, CONTRACT_STATES, useCancelSunset, useOperatorLifecycle, useOperatorSetState, useOperatorSunsets, useScheduleSunset } from '../../lifecycle/operator-api';
import { useOperatorMe, useOperatorOrgs, type OperatorMe } from '../api';
import { OperatorSignIn } from '../components/OperatorSignIn';

/** Sunsets end a contract service everywhere (the same names as contract states; `workspace` is the whole suite). */
const SUNSET_SERVICES = CONTRACT_SERVICES;
const DAY = 86_400_000;

function OrgTimelines() {
  const t = useT();
  const lifecycle = useOperatorLifecycle();
  if (lifecycle.isPending) return <Spinner />;
  if (lifecycle.isError) return <ErrorAlert error={lifecycle.error} />;
  if (lifecycle.data.items.length === 0) return <EmptyState title={t('operator.lifecycleEmpty')} />;
  return (
    <ul className="stack" data-testid="operator-lifecycle-orgs">
      {lifecycle.data.items.map((org) => (
        <li key={org.orgId} className="card" data-org-id={org.orgId}>
          <div className="card-body">
            <h3 className="card-title">
              {org.orgName ?? org.orgId} {org.deletedAt ? <span className="cell-muted">({stateLabel(t, 'deleted')})</span> : null}
            </h3>
            <p className="cell-muted mono">{org.orgId}</p>
            <Timeline events={org.timeline ?? []} testId={`operator-timeline-${org.orgId}`} />
          </div>
        </li>
      ))}
    </ul>
  );
}

function SetStateForm({ csrfToken }: { csrfToken: string }) {
  const t = useT();
  const orgs = useOperatorOrgs();
  const setState = useOperatorSetState(csrfToken);
  const [orgId, setOrgId] = useState('');
  const [service, setService] = useState<string>(CONTRACT_SERVICES[0]);
  const [state, setStateValue] = useState<string>(CONTRACT_STATES[0]);
  const [until, setUntil] = useState('');
  const chosenOrg = orgId || orgs.data?.[0]?.id || '';
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setState.mutate({ orgId: chosenOrg, service, state, until });
  };
  return (
    <form className="form" onSubmit={onSubmit} data-testid="operator-set-state-form">
      <SelectField label={t('operator.setStateOrg')} value={chosenOrg} onValue={setOrgId} options={(orgs.data ?? []).map((o) => ({ value: o.id, label: `${o.name} (${o.id})` }))} required />
      <SelectField label={t('operator.setStateService')} value={service} onValue={setService} options={CONTRACT_SERVICES.map((s) => ({ value: s, label: s }))} />
      <SelectField label={t('operator.setStateState')} value={state} onValue={setStateValue} options={CONTRACT_STATES.map((s) => ({ value: s, label: stateLabel(t, s) }))} />
      <TextField label={t('operator.setStateUntil')} type="date" value={until} onValue={setUntil} />
      <ErrorAlert error={setState.error} />
      {setState.isSuccess ? (
        <Notice tone="success">
          <p>{t('common.saved')}</p>
        </Notice>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={setState.isPending || !chosenOrg}>
          {t('operator.setStateSubmit')}
        </button>
      </div>
    </form>
  );
}

function Sunsets({ csrfToken }: { csrfToken: string }) {
  const t = useT();
  const sunsets = useOperatorSunsets();
  const schedule = useScheduleSunset(csrfToken);
  const cancel = useCancelSunset(csrfToken);
  const [service, setService] = useState<string>('projects-classic');
  const [at, setAt] = useState('');
  const [confirming, setConfirming] = useState(false);
  const purgedBy = at ? utcDay(new Date(Date.parse(`${at}T00:00:00Z`) + 10 * DAY).toISOString()) : '';
  const serviceName = service === 'workspace' ? t('lifecycle.service.all') : service;
  return (
    <>
      {sunsets.isPending ? <Spinner /> : null}
      <ErrorAlert error={sunsets.error ?? cancel.error} />
      {sunsets.data && sunsets.data.length === 0 ? <EmptyState title={t('operator.sunsetsEmpty')} /> : null}
      {sunsets.data && sunsets.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="operator-sunsets-table">
            <caption className="sr-only">{t('operator.sunsetsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('operator.sunsetService')}</th>
                <th scope="col">{t('operator.sunsetAt')}</th>
                <th scope="col">{t('operator.sunsetStatus')}</th>
                <th scope="col">{t('operator.sunsetPurgedBy')}</th>
                <th scope="col">{t('operator.sunsetBackups')}</th>
                <th scope="col">
                  <span className="sr-only">{t('operator.sunsetCancel')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sunsets.data.map((s) => (
                <tr key={s.id} data-sunset-id={s.id}>
                  <td className="strong">{s.service}</td>
                  <td>{utcDay(s.at)}</td>
                  <td>{s.status}</td>
                  <td>{utcDay(s.completedAt ?? s.purgeCompletesBy)}</td>
                  <td>{utcDay(s.backupsExpireAt)}</td>
                  <td>
                    {s.status === 'scheduled' ? (
                      <button type="button" className="btn btn-sm" onClick={() => cancel.mutate(s.id)} disabled={cancel.isPending} aria-label={t('operator.sunsetCancelLabel', { service: s.service })}>
                        {t('operator.sunsetCancel')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form
        className="form"
        data-testid="operator-sunset-form"
        onSubmit={(event) => {
          event.preventDefault();
          schedule.reset();
          setConfirming(true);
        }}
      >
        <SelectField label={t('operator.sunsetService')} value={service} onValue={setService} options={SUNSET_SERVICES.map((s) => ({ value: s, label: s === 'workspace' ? t('lifecycle.service.all') : s }))} />
        <TextField label={t('operator.sunsetAt')} type="date" value={at} onValue={setAt} required />
        <ErrorAlert error={confirming ? null : schedule.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-danger" disabled={schedule.isPending || !at}>
            {t('operator.sunsetSchedule')}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('operator.sunsetConfirmTitle', { service: serviceName, date: at })}
        confirmLabel={t('operator.sunsetConfirm')}
        danger
        pending={schedule.isPending}
        error={schedule.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() => schedule.mutate({ service, at }, { onSuccess: () => setConfirming(false) })}
      >
        <p>{t('operator.sunsetConfirmBody', { service: serviceName, date: at, purgedBy })}</p>
      </ConfirmDialog>
    </>
  );
}

function Receipts() {
  const lifecycle = useOperatorLifecycle();
  return <ReceiptsTable receipts={lifecycle.data?.receipts ?? []} testId="operator-receipts" />;
}

function Console({ session }: { session: OperatorMe }) {
  const t = useT();
  useDocumentTitle(t('operator.lifecycleTitle'));
  return (
    <div className="operator">
      <main className="operator-content">
        <p>
          <Link href="/operator">{t('operator.backToConsole')}</Link>
        </p>
        <h1 className="page-title">{t('operator.lifecycleTitle')}</h1>
        <p className="page-description">{t('operator.lifecycleDescription')}</p>
        <section className="page-section" aria-labelledby="operator-lifecycle-orgs">
          <h2 id="operator-lifecycle-orgs" className="section-title">
            {t('operator.lifecycleOrgs')}
          </h2>
          <OrgTimelines />
        </section>
        <section className="page-section" aria-labelledby="operator-set-state">
          <h2 id="operator-set-state" className="section-title">
            {t('operator.setStateTitle')}
          </h2>
          <SetStateForm csrfToken={session.csrfToken} />
        </section>
        <section className="page-section" aria-labelledby="operator-sunsets">
          <h2 id="operator-sunsets" className="section-title">
            {t('operator.sunsetsTitle')}
          </h2>
          <p className="page-description">{t('operator.sunsetsDescription')}</p>
          <Sunsets csrfToken={session.csrfToken} />
        </section>
        <section className="page-section" aria-labelledby="operator-receipts">
          <h2 id="operator-receipts" className="section-title">
            {t('operator.receiptsTitle')}
          </h2>
          <Receipts />
        </section>
      </main>
    </div>
  );
}

export function OperatorLifecyclePage() {
  const t = useT();
  const me = useOperatorMe();
  if (me.isPending) return <FullPageSpinner />;
  if (me.isError || !me.data) {
    return (
      <AuthLayout title={t('operator.signInTitle')} subtitle={t('operator.signInSubtitle')} languageSwitch>
        <ErrorAlert error={me.error} />
        {me.data === null ? <OperatorSignIn /> : null}
      </AuthLayout>
    );
  }
  return <Console session={me.data} />;
}
