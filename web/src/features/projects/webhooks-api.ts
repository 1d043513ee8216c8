import { useQuery } from '@tanstack/react-query';
import { useBacklogWrite } from './api';
import { backlog, type Params } from './backlog';
import type { Webhook, WebhookDelivery } from './collab-types';

/** A project's webhooks and their delivery log (issue 3 §4, project administrators). */
const enc = encodeURIComponent;

export const webhookKeys = {
  all: (orgId: string, projectKey: string) => ['org', orgId, 'webhooks', projectKey] as const,
  deliveries: (orgId: string, projectKey: string, id: number) => ['org', orgId, 'webhooks', projectKey, id, 'deliveries'] as const,
};

/**
 * Backlog's activity types a webhook can subscribe to, in its settings screen's order (git, SVN and
 * pull requests are not served here, so they are not offered).
 */
export const WEBHOOK_ACTIVITY_TYPES = [1, 2, 3, 4, 14, 17, 5, 6, 7, 8, 9, 10, 22, 23, 24, 15, 16, 25, 26] as const;

export function useWebhooks(orgId: string, projectKey: string) {
  return useQuery({ queryKey: webhookKeys.all(orgId, projectKey), queryFn: () => backlog.get<Webhook[]>(orgId, `/projects/${enc(projectKey)}/webhooks`), retry: false });
}

export function useWebhookDeliveries(orgId: string, projectKey: string, id: number) {
  return useQuery({
    queryKey: webhookKeys.deliveries(orgId, projectKey, id),
    queryFn: () => backlog.get<WebhookDelivery[]>(orgId, `/projects/${enc(projectKey)}/webhooks/${id}/deliveries`),
    retry: false,
    // Deliveries go out in the background: while one is pending, look again now and then.
    refetchInterval: (query) => (query.state.data?.some((d) => d.status === 'pending') ? 5_000 : false),
  });
}

export interface WebhookInput {
  name: string;
  description: string;
  hookUrl: string;
  allEvent: boolean;
  activityTypeIds: number[];
}

export const webhookParams = (input: WebhookInput): Params => ({
  name: input.name,
  description: input.description,
  hookUrl: input.hookUrl,
  allEvent: input.allEvent,
  // An empty array would send nothing and keep the old types; `null` sends `activityTypeIds=`, which clears them.
  activityTypeIds: input.allEvent || input.activityTypeIds.length === 0 ? null : input.activityTypeIds,
});

export function useWebhookWrite(orgId: string, projectKey: string) {
  const base = `/projects/${enc(projectKey)}/webhooks`;
  return useBacklogWrite(
    orgId,
    (action: { create: WebhookInput } | { update: WebhookInput; id: number } | { remove: number }) => {
      if ('create' in action) return backlog.post<Webhook>(orgId, base, webhookParams(action.create));
      if ('update' in action) return backlog.patch<Webhook>(orgId, `${base}/${action.id}`, webhookParams(action.update));
      return backlog.delete<Webhook>(orgId, `${base}/${action.remove}`);
    },
    () => [[...webhookKeys.all(orgId, projectKey)]],
  );
}
