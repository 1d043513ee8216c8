import { useT } from '../../../app/i18n';
import { hasMessage } from '../../../app/i18n';
import { utcDay, type Sunset, type TimelineEvent } from '../api';

export function eventLabel(t: ReturnType<typeof useT>, event: TimelineEvent): string {
  const key = `lifecycle.event.${event.event}`;
  if (hasMessage(key)) return t(key);
  return event.label ?? event.event.replace(/_/g, ' ');
}

/** Sunset dates as timeline events, so an org's timeline shows the end of a service (W4.8). */
export function sunsetEvents(sunsets: readonly Sunset[] | undefined): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const s of sunsets ?? []) {
    if (s.status === 'cancelled') continue;
    events.push({ event: 'sunset_starts', at: s.at, done: s.status !== 'scheduled', service: s.service, sunset: true });
    events.push({ event: 'sunset_purged_by', at: s.completedAt ?? s.purgeCompletesBy, done: s.status === 'completed', service: s.service, sunset: true });
    events.push({ event: 'sunset_backups_expire', at: s.backupsExpireAt, done: false, service: s.service, sunset: true });
  }
  return events;
}

/**
 * The timeline in plain words and UTC dates, e.g. "trial ends 2027-01-10 → organization deleted
 * 2027-02-09 → data purged by 2027-08-18 → last backup copy expires 2027-09-17" (issue 5 §5).
 */
export function Timeline({ events, testId = 'lifecycle-timeline' }: { events: readonly TimelineEvent[]; testId?: string }) {
  const t = useT();
  const sorted = [...events].sort((a, b) => a.at.localeCompare(b.at));
  if (sorted.length === 0) return <p className="cell-muted" data-testid={`${testId}-empty`}>{t('lifecycle.timelineEmpty')}</p>;
  // The workspace (the org itself) needs no qualifier; other services name theirs, and a sunset of
  // the workspace is the end of the whole service.
  const label = (e: TimelineEvent) =>
    e.service && (e.service !== 'workspace' || e.sunset) ? `${eventLabel(t, e)} (${e.service === 'workspace' ? t('lifecycle.service.all') : e.service})` : eventLabel(t, e);
  return (
    <div>
      <p className="lifecycle-sentence" data-testid={`${testId}-sentence`}>
        {sorted.map((e) => `${label(e)} ${utcDay(e.at)}`).join(' → ')}
      </p>
      <ol className="lifecycle-timeline" data-testid={testId}>
        {sorted.map((e, index) => (
          <li key={`${e.event}-${e.at}-${index}`} data-event={e.event} data-done={e.done ? 'true' : 'false'}>
            <span className="strong">{label(e)}</span>{' '}
            <time dateTime={e.at} title={e.at}>
              {utcDay(e.at)}
            </time>{' '}
            <span className="cell-muted">{e.done ? t('lifecycle.done') : t('lifecycle.upcoming')}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
