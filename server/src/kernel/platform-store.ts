import type { Config } from '../config';
import * as createPlatform from './migrations/20261125T1900-create-platform';
import * as mailOutboxOrg from './migrations/20261207T2300-mail-outbox-org';
import type { StoreSpec } from './store';

/** Tables of the kernel's own store: durable jobs, the mail outbox, rate-limit counters. */
export interface PlatformDb {
  jobs: {
    name: string;
    schedule: string;
    next_run_at: string;
    lease_owner: string | null;
    lease_until: string | null;
    last_started_at: string | null;
    last_finished_at: string | null;
    last_status: string | null;
    last_error: string | null;
    run_count: number;
  };
  mail_outbox: {
    id: string;
    to_address: string;
    subject: string;
    text_body: string | null;
    html_body: string | null;
    status: string;
    error: string | null;
    created_at: string;
    /** The org the mail is about (its content is org data, purged with the org); null for account mail. */
    org_id: string | null;
    /** What kind of mail (`account`, `invitation`, `projects.notification`, …): what operators see. */
    kind: string;
  };
  rate_limits: { key: string; window_start: string; hits: number };
}

export const platformStoreSpec = (config: Config): StoreSpec => ({
  module: 'platform',
  region: config.regionPlatform,
  migrations: { '20261125T1900-create-platform': createPlatform, '20261207T2300-mail-outbox-org': mailOutboxOrg },
});
