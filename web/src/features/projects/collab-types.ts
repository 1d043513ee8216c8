/** Backlog API v2 entities for files, stars, watchings and webhooks (backlog-js `Entity` shapes). */
import type { BacklogUser, Issue } from './types';

export interface SharedFile {
  id: number;
  projectId: number;
  type: 'file' | 'directory';
  /** The folder that holds it, with slashes on both ends: "/" or "/specs/2026/". */
  dir: string;
  name: string;
  size: number | null;
  createdUser: BacklogUser;
  created: string;
  updatedUser: BacklogUser | null;
  updated: string | null;
}

export interface Star {
  id: number;
  comment: string | null;
  url: string;
  title: string;
  presenter: BacklogUser;
  created: string;
}

export interface Watching {
  id: number;
  resourceAlreadyRead: boolean;
  note: string | null;
  type: 'issue';
  issue: Issue | null;
  lastContentUpdated: string;
  created: string;
  updated: string;
}

export interface Webhook {
  id: number;
  name: string;
  description: string;
  hookUrl: string;
  allEvent: boolean;
  activityTypeIds: number[];
  createdUser: BacklogUser;
  created: string;
  updatedUser: BacklogUser | null;
  updated: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** Toride's addition: one delivery attempt series of a webhook. */
export interface WebhookDelivery {
  id: number;
  activityId: number;
  activityTypeId: number;
  attempt: number;
  status: DeliveryStatus;
  responseStatus: number | null;
  error: string | null;
  created: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
}
