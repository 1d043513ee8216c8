import type { Config } from '../../config';
import type { StoreSpec } from '../../kernel/store';
import * as createSunsets from './sunset-migrations/20261125T2250-create-sunsets';

export type SunsetStatus = 'scheduled' | 'running' | 'completed' | 'cancelled';

export interface SunsetRow {
  id: string;
  /** A module name (`projects`, `pass`) or `all` for the whole deployment. */
  service: string;
  at: string;
  status: SunsetStatus;
  created_at: string;
  created_by: string;
  cancelled_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  orgs_purged: number;
  rows_deleted: number;
  backups_expire_at: string | null;
}

export interface SunsetDb {
  service_sunsets: SunsetRow;
  /** One row per org whose data the sunset has purged: a crashed run resumes after the last one. */
  service_sunset_orgs: { sunset_id: string; org_id: string; rows_deleted: number; completed_at: string };
}

/** Service sunsets are deployment-wide, so they live beside the platform store (W4.8). */
export const sunsetStoreSpec = (config: Config): StoreSpec => ({
  module: 'sunset',
  region: config.regionPlatform,
  migrations: { '20261125T2250-create-sunsets': createSunsets },
});
