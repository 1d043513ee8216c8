import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here. Backlog's `/users/:userId/stars` and
// `/stars/count` are the stars a user *received* (on the issues, comments and wiki pages they
// wrote); `stars.user_id` is the giver. `receiver_id` records the author of the starred item when
// the star is given; existing stars get it from their item (null when the item is gone).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stars').addColumn('receiver_id', 'integer').execute();
  await sql`update stars set receiver_id = (select created_user_id from issues where issues.id = stars.target_id and issues.org_id = stars.org_id) where target_kind = 'issue'`.execute(db);
  await sql`update stars set receiver_id = (select created_user_id from comments where comments.id = stars.target_id and comments.org_id = stars.org_id) where target_kind = 'comment'`.execute(db);
  await sql`update stars set receiver_id = (select created_user_id from wikis where wikis.id = stars.target_id and wikis.org_id = stars.org_id) where target_kind = 'wiki'`.execute(db);
  await db.schema.createIndex('stars_receiver_idx').on('stars').columns(['org_id', 'receiver_id', 'id']).execute();
}
