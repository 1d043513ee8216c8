import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useMyself } from '../api';
import { starredBy, useMyStars, useMyWatchings, useStarWrite, useWatchingWrite } from '../social-api';

/**
 * Star an issue or a wiki page: a toggle button (`aria-pressed`, the same name either way). Whether I starred it comes from my
 * star list, matched by the star's URL ending (`/issues/KEY-1`, `/wiki/7`).
 */
export function StarToggle({ target, urlEnding }: { target: { issueId: number } | { wikiId: number }; urlEnding: string }) {
  const t = useT();
  const org = useCurrentOrg();
  const myself = useMyself(org.id);
  const stars = useMyStars(org.id, myself.data?.id);
  const write = useStarWrite(org.id);
  const star = starredBy(stars.data, urlEnding);
  const toggle = () => write.mutate(star ? { removeId: star.id } : { add: target });
  return (
    <>
      <button type="button" className="btn btn-sm" aria-pressed={star !== undefined} disabled={!stars.data || write.isPending} onClick={toggle} data-testid="star-toggle">
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
