import type { Generated, Selectable } from 'kysely';

/** Webhook tables of the projects store (migration 20261127T0313-webhooks). */
export interface WebhookTable {
  id: Generated<number>;
  org_id: string;
  project_id: number;
  name: string;
  description: string;
  /** The target URL sealed with the deployment's secret key (`kernel.secrets`). */
  hook_url_sealed: string;
  all_event: number;
  /** JSON array of Backlog ActivityType ids, used when `all_event` is 0. */
  activity_type_ids: string;
  created_user_id: number;
  created_at: string;
  updated_user_id: number;
  updated_at: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One activity to deliver to one webhook: the queue and, once settled, the delivery log. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  org_id: string;
  webhook_id: number;
  activity_id: number;
  activity_type_id: number;
  /** The JSON body, fixed when the activity happened (later edits do not change what is sent). */
  payload: string;
  status: DeliveryStatus;
  /** Attempts started so far. */
  attempt: number;
  response_status: number | null;
  error: string | null;
  created_at: string;
  last_attempt_at: string | null;
  /** When a pending delivery is due; while an attempt runs, the end of its lease. */
  next_attempt_at: string | null;
}

export interface WebhookTables {
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
}

export type WebhookRow = Selectable<WebhookTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
