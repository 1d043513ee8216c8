import type { Kysely, Updateable } from 'kysely';
import type { OperatorDb, OperatorRow } from './operator.db';

export function createOperatorRepository(db: Kysely<OperatorDb>) {
  return {
    insert: (row: OperatorRow) => db.insertInto('operators').values(row).execute(),
    findByEmail: (email: string) =>
      db.selectFrom('operators').selectAll().where('email', '=', email).where('disabled_at', 'is', null).executeTakeFirst(),
    findById: (id: string) => db.selectFrom('operators').selectAll().where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst(),
    update: (id: string, changes: Updateable<OperatorRow>) => db.updateTable('operators').set(changes).where('id', '=', id).execute(),
    insertSession: (row: OperatorDb['operator_sessions']) => db.insertInto('operator_sessions').values(row).execute(),
    findSession: (tokenHash: string, now: string) =>
      db.selectFrom('operator_sessions').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst(),
    deleteSession: (id: string) => db.deleteFrom('operator_sessions').where('id', '=', id).execute(),
  };
}
