import type { Config } from '../../config';
import type { StoreSpec } from '../../kernel/store';
import * as createOperators from './migrations/20261125T1910-create-operators';

export interface OperatorRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  totp_secret: string;
  totp_last_counter: number | null;
  created_at: string;
  disabled_at: string | null;
}

export interface OperatorDb {
  operators: OperatorRow;
  operator_sessions: {
    id: string;
    token_hash: string;
    operator_id: string;
    created_at: string;
    expires_at: string;
    ip: string | null;
    user_agent: string | null;
  };
}

export const operatorStoreSpec = (config: Config): StoreSpec => ({
  module: 'operator',
  region: config.regionPlatform,
  migrations: { '20261125T1910-create-operators': createOperators },
});
