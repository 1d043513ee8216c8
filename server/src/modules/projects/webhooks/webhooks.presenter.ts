import { presentUser } from '../backlog-api/backlog.presenter';
import type { SpaceUser } from '../spaces.service';
import type { WebhookDeliveryRow } from './webhooks.db';
import type { WebhookView } from './webhooks.service';

const iso = (timestamp: string | null) => (timestamp ? timestamp.replace(/\.\d{3}Z$/, 'Z') : null);
const userOf = (users: Map<number, SpaceUser>, id: number) => {
  const user = users.get(id);
  return user ? presentUser(user) : { id, userId: `user${id}`, name: 'deleted user', roleType: 2, lang: null, mailAddress: null, lastLoginTime: null };
};

/** backlog-js's `Webhook` entity; org ids and the sealed URL never go out. */
export const presentWebhook = (view: WebhookView, users: Map<number, SpaceUser>) => ({
  id: view.row.id,
  name: view.row.name,
  description: view.row.description,
  hookUrl: view.hookUrl,
  allEvent: view.row.all_event === 1,
  activityTypeIds: view.activityTypeIds,
  createdUser: userOf(users, view.row.created_user_id),
  created: iso(view.row.created_at),
  updatedUser: userOf(users, view.row.updated_user_id),
  updated: iso(view.row.updated_at),
});

/** One entry of the delivery log (Toride addition): no payload, which the activity list already shows. */
export const presentDelivery = (row: WebhookDeliveryRow) => ({
  id: row.id,
  activityId: row.activity_id,
  activityTypeId: row.activity_type_id,
  attempt: row.attempt,
  status: row.status,
  responseStatus: row.response_status,
  error: row.error,
  created: iso(row.created_at),
  lastAttemptAt: iso(row.last_attempt_at),
  nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
});
