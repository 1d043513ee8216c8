import { DAY } from '../../kernel/clock';
import { defineJob } from '../../kernel/jobs';
import type { IdentityDeps } from './identity.deps';
import { identityRepositories } from './identity.repositories';

/** Expired credentials are useless and should not linger: sessions, sign-in challenges, email links, old invitations. */
export const identityJobs = (deps: IdentityDeps) => [
  defineJob({
    name: 'identity.expire-credentials',
    schedule: '17 * * * *',
    async run({ now, logger }) {
      const repos = identityRepositories(deps.db);
      const iso = now.toISOString();
      await repos.sessions.deleteExpired(iso);
      await repos.challenges.deleteExpired(iso);
      await repos.emailTokens.deleteExpired(iso);
      await repos.invitations.deleteExpiredBefore(new Date(now.getTime() - 30 * DAY).toISOString());
      logger.info('expired identity credentials removed');
    },
  }),
];
