import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useMyself } from '../api';
import type { Star } from '../collab-types';
import { useMyWatchings, useStarWrite, useWatchingWrite } from '../social-api';

/**
 * Star an issue or a wiki page: a toggle button (`aria-pressed`, the same name either way). The
 * issue or page lists its stars; mine is the one I presented. `refresh` is that entity's query.
 */
export function StarToggle({ target, stars, refresh }: { target: { issueId: number } | { wikiId: number }; stars: readonly Star[] | undefined; refresh: readonly unknown[] }) {
  const t = useT();
  const org = useCurrentOrg();
  const myself = useMyself(org.id);
  const write = useStarWrite(org.id, refresh);
  const star = myself.data ? stars?.find((s) => s.presenter.id === myself.data.id) : undefined;
  const toggle = () => write.mutate(star ? { removeId: star.id } : { add: target });
  return (
    <>
      <button type="button" className="btn btn-sm" aria-pressed={star !== undefined} disabled={!myself.data || write.isPending} onClick={toggle} data-testid="star-toggle">
        <span aria-hidden="true">{star ? '★' : '☆'}</span> {t('stars.star')}
      </button>
      <ErrorAlert error={write.error} />
    </>
  );
}

/** Watch an issue: my watching of it, if any, found through my list filtered by the issue's id. */
export function WatchToggle({ issueId, issueKey }: { issueId: number; issueKey: string }) {
  const t = useT();
  const org = useCurrentOrg();
  const myself = useMyself(org.id);
  const watchings = useMyWatchings(org.id, myself.data?.id, issueId);
  const write = useWatchingWrite(org.id);
  const mine = watchings.data?.find((w) => w.issue?.id === issueId);
  const toggle = () => write.mutate(mine ? { remove: mine.id } : { watch: issueKey });
  return (
    <>
      <button type="button" className="btn btn-sm" aria-pressed={mine !== undefined} disabled={!watchings.data || write.isPending} onClick={toggle} data-testid="watch-toggle">
        <span aria-hidden="true">{mine ? '◉' : '◎'}</span> {t('watching.watch')}
      </button>
      <ErrorAlert error={write.error} />
    </>
  );
}
