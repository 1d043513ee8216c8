import { useState, type ChangeEvent } from 'react';
import { useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Badge, Section } from '../../../components/Feedback';
import { useConvertible, useImportManaged, useRequestConversion, type ImportReport } from '../managed-api';

const TONE = { created: 'success', updated: 'accent', unchanged: 'neutral', error: 'danger' } as const;

function ImportReportTable({ report }: { report: ImportReport }) {
  const t = useT();
  return (
    <div data-testid="import-report">
      <p className="strong">{report.dryRun ? t('managed.importDryRun') : t('managed.importDone')}</p>
      <p data-testid="import-summary">{t('managed.importSummary', report.summary)}</p>
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">{t('managed.importCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('managed.colLine')}</th>
              <th scope="col">{t('managed.colEmail')}</th>
              <th scope="col">{t('managed.colResult')}</th>
              <th scope="col">{t('managed.colReason')}</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((row) => (
              <tr key={row.line} data-testid={`import-row-${row.line}`}>
                <td>{row.line}</td>
                <td>{row.email}</td>
                <td>
                  <Badge tone={TONE[row.status]}>{t(`managed.status.${row.status}`)}</Badge>
                </td>
                <td className="cell-muted">{row.error ? row.error.message : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** CSV bulk import (email,name,role): check first, then import; the report covers every row. */
export function ManagedImportSection({ orgId }: { orgId: string }) {
  const t = useT();
  const run = useImportManaged(orgId);
  const [csv, setCsv] = useState<string | null>(null);
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    run.reset();
    const file = event.target.files?.[0];
    setCsv(file ? await file.text() : null);
  };
  return (
    <Section title={t('managed.importTitle')} description={t('managed.importBody')}>
      <div className="form">
        <div className="field">
          <label className="field-label" htmlFor="managed-import-file">
            {t('managed.importFile')}
          </label>
          <input id="managed-import-file" type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} data-testid="import-file" />
        </div>
        <div className="button-row">
          <button type="button" className="btn" disabled={csv === null || run.isPending} onClick={() => csv !== null && run.mutate({ csv, dryRun: true })} data-testid="import-check">
            {t('managed.importCheck')}
          </button>
          <button type="button" className="btn btn-primary" disabled={csv === null || run.isPending} onClick={() => csv !== null && run.mutate({ csv, dryRun: false })} data-testid="import-run">
            {t('managed.importRun')}
          </button>
        </div>
        <ErrorAlert error={run.error} />
        {run.data ? <ImportReportTable report={run.data} /> : null}
      </div>
    </Section>
  );
}

/** Members on a verified domain; the admin asks, the user agrees by email. */
export function ConvertSection({ orgId }: { orgId: string }) {
  const t = useT();
  const members = useConvertible(orgId);
  const request = useRequestConversion(orgId);
  const [sentTo, setSentTo] = useState<string | null>(null);
  return (
    <Section title={t('managed.convertTitle')} description={t('managed.convertBody')}>
      {sentTo ? (
        <Notice tone="success" testId="convert-sent">
          <p>{t('managed.convertSent', { email: sentTo })}</p>
        </Notice>
      ) : null}
      <ErrorAlert error={members.error ?? request.error} />
      {members.data && members.data.members.length === 0 ? <p className="muted">{t('managed.convertEmpty')}</p> : null}
      {members.data && members.data.members.length > 0 ? (
        <ul className="list" data-testid="convertible-list">
          {members.data.members.map((member) => (
            <li key={member.accountId} className="list-row">
              <span>
                {member.name ?? member.email} <span className="muted">{member.email}</span>
              </span>
              <button
                type="button"
                className="btn btn-sm"
                disabled={request.isPending}
                onClick={() => request.mutate(member.accountId, { onSuccess: () => setSentTo(member.email) })}
                data-testid={`convert-${member.email}`}
              >
                {t('managed.convert')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}
