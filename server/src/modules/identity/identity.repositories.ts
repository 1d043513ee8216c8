import type { Kysely } from 'kysely';
import { createAccountRepository } from './accounts.repository';
import { createApiKeyRepository } from './api-keys.repository';
import type { IdentityDb } from './identity.db';
import { createInvitationRepository } from './invitations.repository';
import { createOrgRepository } from './orgs.repository';
import {
  createChallengeRepository,
  createEmailTokenRepository,
  createSessionRepository,
  createThrottleRepository,
} from './sessions.repository';
import { createTeamRepository } from './teams.repository';

const cache = new WeakMap<Kysely<IdentityDb>, ReturnType<typeof build>>();

/** Every identity repository over one connection or transaction (built once per connection object). */
export function identityRepositories(db: Kysely<IdentityDb>) {
  let repos = cache.get(db);
  if (!repos) {
    repos = build(db);
    cache.set(db, repos);
  }
  return repos;
}

function build(db: Kysely<IdentityDb>) {
  return {
    accounts: createAccountRepository(db),
    orgs: createOrgRepository(db),
    teams: createTeamRepository(db),
    invitations: createInvitationRepository(db),
    sessions: createSessionRepository(db),
    challenges: createChallengeRepository(db),
    emailTokens: createEmailTokenRepository(db),
    throttle: createThrottleRepository(db),
    apiKeys: createApiKeyRepository(db),
  };
}

export type IdentityRepositories = ReturnType<typeof identityRepositories>;
