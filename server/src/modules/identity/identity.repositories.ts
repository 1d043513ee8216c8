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

/** Every identity repository over one connection or transaction. */
export function identityRepositories(db: Kysely<IdentityDb>) {
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
