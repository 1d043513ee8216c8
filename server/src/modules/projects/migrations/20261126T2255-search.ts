import { sql, type Kysely } from 'kysely';
import { dialectOfDb } from '../../../kernel/dialect';

// Frozen in time: never import application code here. Full-text search indexes (issue 3 §1):
// SQLite FTS5 trigram tables kept in sync by triggers; PostgreSQL pg_trgm GIN indexes for ILIKE.
const ISSUE_BODY = (issueId: string) => sql.raw(`
  delete from issue_fts where rowid = ${issueId};
  insert into issue_fts(rowid, body)
    select i.id, i.summary || ' ' || i.description || ' ' ||
      coalesce((select group_concat(c.content, ' ') from comments c where c.issue_id = i.id and c.content is not null), '')
    from issues i where i.id = ${issueId};`);

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOfDb(db) === 'postgres') {
    // pg_trgm is a trusted extension: whoever may create objects in the database may install it. It is
    // database-wide, so concurrent migrations of several stores serialise on an advisory lock.
    await sql`select pg_advisory_xact_lock(72640011)`.execute(db);
    const state = await sql<{ installed: string | null; available: boolean; may_create: boolean }>`
      select (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm') as installed,
             exists (select 1 from pg_available_extensions where name = 'pg_trgm') as available,
             has_database_privilege(current_database(), 'CREATE') as may_create`.execute(db);
    const row = state.rows[0];
    let schema = row?.installed ?? null;
    if (!schema && row?.available && row.may_create) {
      await sql`create extension if not exists pg_trgm schema public`.execute(db);
      schema = 'public';
    }
    if (!schema) return; // no trigram indexes: ILIKE still works, by scanning
    const ops = sql.raw(`"${schema.replace(/"/g, '""')}".gin_trgm_ops`);
    await sql`create index issues_summary_trgm on issues using gin (summary ${ops})`.execute(db);
    await sql`create index issues_description_trgm on issues using gin (description ${ops})`.execute(db);
    await sql`create index comments_content_trgm on comments using gin (content ${ops})`.execute(db);
    await sql`create index wikis_name_trgm on wikis using gin (name ${ops})`.execute(db);
    await sql`create index wikis_content_trgm on wikis using gin (content ${ops})`.execute(db);
    return;
  }
  await sql`create virtual table issue_fts using fts5(body, tokenize = 'trigram')`.execute(db);
  await sql`create virtual table wiki_fts using fts5(body, tokenize = 'trigram')`.execute(db);
  await sql`create trigger issues_fts_ai after insert on issues begin ${ISSUE_BODY('new.id')} end`.execute(db);
  await sql`create trigger issues_fts_au after update of summary, description on issues begin ${ISSUE_BODY('new.id')} end`.execute(db);
  await sql`create trigger issues_fts_ad after delete on issues begin delete from issue_fts where rowid = old.id; end`.execute(db);
  await sql`create trigger comments_fts_ai after insert on comments begin ${ISSUE_BODY('new.issue_id')} end`.execute(db);
  await sql`create trigger comments_fts_au after update of content on comments begin ${ISSUE_BODY('new.issue_id')} end`.execute(db);
  await sql`create trigger comments_fts_ad after delete on comments begin ${ISSUE_BODY('old.issue_id')} end`.execute(db);
  await sql`create trigger wikis_fts_ai after insert on wikis begin insert into wiki_fts(rowid, body) values (new.id, new.name || ' ' || new.content); end`.execute(db);
  await sql`create trigger wikis_fts_au after update of name, content on wikis begin
    delete from wiki_fts where rowid = old.id; insert into wiki_fts(rowid, body) values (new.id, new.name || ' ' || new.content); end`.execute(db);
  await sql`create trigger wikis_fts_ad after delete on wikis begin delete from wiki_fts where rowid = old.id; end`.execute(db);
  // Rows written before this migration.
  await sql`insert into issue_fts(rowid, body) select i.id, i.summary || ' ' || i.description || ' ' ||
      coalesce((select group_concat(c.content, ' ') from comments c where c.issue_id = i.id and c.content is not null), '') from issues i`.execute(db);
  await sql`insert into wiki_fts(rowid, body) select id, name || ' ' || content from wikis`.execute(db);
}
