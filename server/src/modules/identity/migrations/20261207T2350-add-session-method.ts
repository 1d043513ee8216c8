import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. W8.3 (issue 13 §1): how a session was started
// ('password', 'saml', 'oidc'), so a password session cannot grant new access (OAuth consent) once the
// account's org enforces SSO. Sessions from before this column read as password sessions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('method', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('method').execute();
}
