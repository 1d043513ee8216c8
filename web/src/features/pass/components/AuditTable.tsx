import { Fragment, useId, useState } from 'react';
import { useLocale, useT } from '../../../app/i18n';
import { Badge } from '../../../components/Feedback';
import { formatDate, formatTime } from '../../../lib/format';
import type { AuditEvent } from '../api';
import { actorLabel, categoryLabel, outcomeLabel, outcomeTone, shorten, shortenTail } from '../labels';

const COLUMNS = 8;

/** Lets long dotted names and emails wrap at sensible places instead of mid-word. */
function withBreaks(text: string, at: RegExp) {
  return text.split(at).map((part, index) => (
    <Fragment key={index}>
      {index > 0 ? <wbr /> : null}
      {part}
    </Fragment>
  ));
}

function DetailsRow({ event, id }: { event: AuditEvent; id: string }) {
  const t = useT();
  // Details are shown as text only, never as HTML.
  const details = event.details && Object.keys(event.details).length > 0 ? JSON.stringify(event.details, null, 2) : null;
  return (
    <tr id={id} className="audit-details-row" data-testid={`audit-details-${event.seq}`}>
      <td colSpan={COLUMNS}>
        <dl className="audit-details">
          <div>
            <dt>{t('audit.userAgent')}</dt>
            <dd>{event.userAgent ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('audit.requestId')}</dt>
            <dd>
              <code className="mono-id">{event.requestId ?? '—'}</code>
            </dd>
          </div>
          <div>
            <dt>{t('audit.target')}</dt>
            <dd>
              {event.target ? (
                <code className="mono-id">
                  {event.target.type}: {event.target.id}
                </code>
              ) : (
                '—'
              )}
            </dd>
          </div>
          {event.subject ? (
            <div>
              <dt>{t('audit.subject')}</dt>
              <dd>{event.subject.email ?? t('audit.subjectErased')}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('audit.seq')}</dt>
            <dd>{event.seq}</dd>
          </div>
          <div>
            <dt>{t('audit.hash')}</dt>
            <dd>
              <code className="mono-id" title={event.hash}>
                {shorten(event.hash, 16)}
              </code>
            </dd>
          </div>
          <div className="audit-details-wide">
            <dt>{t('audit.details')}</dt>
            <dd>{details ? <pre className="audit-json">{details}</pre> : t('audit.noDetails')}</dd>
          </div>
        </dl>
      </td>
    </tr>
  );
}

function AuditRow({ event }: { event: AuditEvent }) {
  const t = useT();
  const { locale } = useLocale();
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const actorName = actorLabel(event.actor, t);
  return (
    <>
      <tr data-testid={`audit-row-${event.seq}`} className={open ? 'audit-row-open' : undefined}>
        <td>
          <time className="audit-time" dateTime={event.at} title={event.at}>
            <span>{formatDate(event.at, locale)}</span>
            <span className="cell-muted">{formatTime(event.at, locale)}</span>
          </time>
        </td>
        <td>
          <span className="person-text">
            <span className="audit-actor">{actorName}</span>
            {event.actor.email && event.actor.email !== actorName ? (
              <span className="person-email">{withBreaks(event.actor.email, /(?=@)/)}</span>
            ) : null}
          </span>
        </td>
        <td>
          <code className="audit-action">{withBreaks(event.action, /(?<=[._])/)}</code>
        </td>
        <td className="nowrap">{categoryLabel(event.category, t)}</td>
        <td>
          {event.target ? (
            <span className="audit-target" title={`${event.target.type}: ${event.target.id}`}>
              <span>{event.target.type}</span>
              <code className="mono-id">{shortenTail(event.target.id, 8)}</code>
            </span>
          ) : (
            <span className="cell-muted">—</span>
          )}
        </td>
        <td>
          <Badge tone={outcomeTone(event.outcome)}>{outcomeLabel(event.outcome, t)}</Badge>
        </td>
        <td className="cell-muted nowrap col-optional">{event.ip ?? '—'}</td>
        <td className="cell-actions">
          <button
            type="button"
            className="btn btn-sm btn-ghost disclosure"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={t('audit.detailsFor', { seq: event.seq })}
            onClick={() => setOpen((value) => !value)}
          >
            <span aria-hidden="true" className="disclosure-mark">
              {open ? '▾' : '▸'}
            </span>
            {t('audit.showDetails')}
          </button>
        </td>
      </tr>
      {open ? <DetailsRow event={event} id={detailsId} /> : null}
    </>
  );
}

export function AuditTable({ events, caption }: { events: AuditEvent[]; caption: string }) {
  const t = useT();
  return (
    <div className="table-wrap">
      <table className="table audit-table" data-testid="audit-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.time')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.category')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.outcome')}</th>
            <th scope="col" className="col-optional">
              {t('audit.ip')}
            </th>
            <th scope="col">
              <span className="sr-only">{t('audit.details')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <AuditRow key={event.id} event={event} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
