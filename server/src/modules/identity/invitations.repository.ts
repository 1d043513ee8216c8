import type { Kysely } from 'kysely';
import type { IdentityDb, InvitationRow } from './identity.db';

export function createInvitationRepository(db: Kysely<IdentityDb>) {
  return {
    insert: (row: InvitationRow) => db.insertInto('invitations').values(row).execute(),

    findByTokenHash: (tokenHash: string) =>
      db
        .selectFrom('invitations')
        .innerJoin('organizations', 'organizations.id', 'invitations.org_id')
        .selectAll('invitations')
        .select('organizations.name as org_name')
        .where('invitations.token_hash', '=', tokenHash)
        .where('organizations.deleted_at', 'is', null)
        .executeTakeFirst(),

    findInOrg: (orgId: string, id: string) =>
      db.selectFrom('invitations').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),

    listInOrg: (orgId: string) =>
      db.selectFrom('invitations').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').limit(500).execute(),

    /** Claims the invitation only if still open, so two accepts of one link cannot both succeed. */
    markAccepted: async (id: string, accountId: string, at: string) => {
      const result = await db
        .updateTable('invitations')
        .set({ accepted_at: at, accepted_by: accountId })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    revoke: (orgId: string, id: string, at: string) =>
      db.updateTable('invitations').set({ revoked_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute(),

    revokeOpenForEmail: (orgId: string, email: string, at: string) =>
      db
        .updateTable('invitations')
        .set({ revoked_at: at })
        .where('org_id', '=', orgId)
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute(),

    deleteExpiredBefore: (before: string) =>
      db.deleteFrom('invitations').where('expires_at', '<', before).where('accepted_at', 'is', null).execute(),
  };
}

export type InvitationRepository = ReturnType<typeof createInvitationRepository>;
