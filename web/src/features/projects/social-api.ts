import { useQuery } from '@tanstack/react-query';
import { useBacklogWrite } from './api';
import { backlog } from './backlog';
import type { Star, Watching } from './collab-types';
import type { BacklogNotification } from './types';

/** Notifications, stars and watchings of the signed-in user (issue 3 §4), on `/api/v2`. */
export const socialKeys = {
  notifications: (orgId: string) => ['org', orgId, 'notifications'] as const,
  stars: (orgId: string) => ['org', orgId, 'stars'] as const,
  watchings: (orgId: string) => ['org', orgId, 'watchings'] as const,
};

const PAGE = 100;
/** Enough for any real person's stars; the toggles look through them to find "mine". */
const MAX_STAR_PAGES = 10;

export function useUnreadCount(orgId: string) {
  return useQuery({
    queryKey: [...socialKeys.notifications(orgId), 'count'],
    queryFn: () => backlog.get<{ count: number }>(orgId, '/notifications/count', { alreadyRead: false }),
    refetchInterval: 60_000,
    retry: false,
  });
}

export function useNotifications(orgId: string, maxId: number | undefined) {
  return useQuery({
    queryKey: [...socialKeys.notifications(orgId), 'list', maxId],
    queryFn: () => backlog.get<BacklogNotification[]>(orgId, '/notifications', { count: 20, order: 'desc', maxId }),
  });
}

export function useMarkNotificationRead(orgId: string) {
  return useBacklogWrite(
    orgId,
    (id: number | 'all') => (id === 'all' ? backlog.post(orgId, '/notifications/markAsRead') : backlog.post(orgId, `/notifications/${id}/markAsRead`)),
    () => [[...socialKeys.notifications(orgId)]],
  );
}

/** Every star of mine, newest first (the API pages by id). */
async function allStars(orgId: string, userId: number): Promise<Star[]> {
  const stars: Star[] = [];
  let maxId: number | undefined;
  for (let page = 0; page < MAX_STAR_PAGES; page++) {
    const batch = await backlog.get<Star[]>(orgId, `/users/${userId}/stars`, { count: PAGE, order: 'desc', maxId });
    stars.push(...batch);
    if (batch.length < PAGE) break;
    maxId = Math.min(...batch.map((s) => s.id)) - 1;
  }
  return stars;
}

export function useMyStars(orgId: string, userId: number | undefined) {
  return useQuery({ queryKey: [...socialKeys.stars(orgId), userId], queryFn: () => allStars(orgId, userId as number), enabled: userId !== undefined });
}

/** Star or unstar; refetches my star list and `refresh` (the starred issue's or page's query). */
export function useStarWrite(orgId: string, refresh?: readonly unknown[]) {
  return useBacklogWrite(
    orgId,
    (input: { add: { issueId?: number; wikiId?: number } } | { removeId: number }) =>
      'removeId' in input ? backlog.delete(orgId, `/stars/${input.removeId}`) : backlog.post(orgId, '/stars', input.add),
    () => [[...socialKeys.stars(orgId)], ...(refresh ? [[...refresh]] : [])],
  );
}

export function useMyWatchings(orgId: string, userId: number | undefined, issueId?: number) {
  return useQuery({
    queryKey: [...socialKeys.watchings(orgId), userId, issueId],
    queryFn: () => backlog.get<Watching[]>(orgId, `/users/${userId}/watchings`, { count: PAGE, sort: 'issueUpdated', order: 'desc', issueId: issueId === undefined ? undefined : [issueId] }),
    enabled: userId !== undefined,
  });
}

export type WatchingAction = { watch: string } | { remove: number } | { markRead: number };

export function useWatchingWrite(orgId: string) {
  return useBacklogWrite(
    orgId,
    (action: WatchingAction) => {
      if ('watch' in action) return backlog.post(orgId, '/watchings', { issueIdOrKey: action.watch });
      if ('remove' in action) return backlog.delete(orgId, `/watchings/${action.remove}`);
      return backlog.post(orgId, `/watchings/${action.markRead}/markAsRead`);
    },
    () => [[...socialKeys.watchings(orgId)]],
  );
}
