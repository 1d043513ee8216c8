import { sql, type Kysely } from 'kysely';

/**
 * The victim org's bulk rows for `npm run bench -- purge`: generated in the database by one
 * `WITH RECURSIVE … INSERT … SELECT` per chunk (the same SQL on SQLite and PostgreSQL), so a
 * million rows seed in seconds instead of a million round trips. Triggers (full-text index on
 * SQLite), foreign keys and indexes all run as for rows written by the app.
 */
type AnyDb = Kysely<any>; // the bench writes raw SQL into any store

/** What each seeded table gets, as a share of the total (sums to 1; the remainder goes to activities). */
const SHARES = { issues: 0.2, comments: 0.3, activities: 0.25, notifications: 0.05, watchings: 0.05, wikis: 0.02, wiki_history: 0.03, audit_events: 0.1 } as const;
export type SeededTable = keyof typeof SHARES;

/** Children before parents, as a purge must delete them. */
export const SEEDED_TABLES: readonly SeededTable[] = ['audit_events', 'comments', 'watchings', 'notifications', 'activities', 'wiki_history', 'wikis', 'issues'];

export function rowsPerTable(total: number): Record<SeededTable, number> {
  const counts = Object.fromEntries(Object.entries(SHARES).map(([table, share]) => [table, Math.floor(total * share)])) as Record<SeededTable, number>;
  counts.activities += total - Object.values(counts).reduce((n, c) => n + c, 0);
  return counts;
}

export interface VictimRefs {
  readonly orgId: string;
  readonly projectId: number;
  readonly issueTypeId: number;
  /** A space user of the org (authors and watchers; these columns carry no foreign key). */
  readonly userId: number;
}

const CHUNK = 50_000;
const AT = '2026-06-01T00:00:00.000Z';

/** Inserts `count` rows, `build(from, to)` giving the statement for the 1-based range [from, to]. */
async function inChunks(count: number, build: (from: number, to: number) => ReturnType<typeof sql>, db: AnyDb) {
  for (let from = 1; from <= count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK - 1);
    await db.transaction().execute(async (trx) => {
      await build(from, to).execute(trx);
    });
  }
}

/** `n(i)` for i in [from, to]; the casts let PostgreSQL type the parameters. */
const range = (from: number, to: number) => sql`with recursive n(i) as (select cast(${from} as integer) union all select i + 1 from n where i < ${to})`;

const maxId = async (db: AnyDb, table: string): Promise<number> =>
  Number((await sql<{ hi: number | null }>`select max(id) as hi from ${sql.table(table)}`.execute(db)).rows[0]?.hi ?? 0);

/** The first id of the `expected` rows just inserted after `before`; children point at them by arithmetic, so they must be contiguous. */
async function firstIdAfter(db: AnyDb, table: string, orgId: string, before: number, expected: number): Promise<number> {
  const { rows } = await sql<{ lo: number; hi: number }>`select min(id) as lo, max(id) as hi from ${sql.table(table)} where org_id = ${orgId} and id > ${before}`.execute(db);
  const lo = Number(rows[0]?.lo);
  if (Number(rows[0]?.hi) - lo + 1 !== expected) throw new Error(`${table} ids of the seeded org are not contiguous`);
  return lo;
}

/** Seeds the projects store (`projects`) and the audit store (`audit`) with `total` rows of the org (issue keys from 1,000,001). */
export async function seedVictim(stores: { projects: AnyDb; audit: AnyDb }, refs: VictimRefs, total: number): Promise<Record<SeededTable, number>> {
  const n = rowsPerTable(total);
  const { projects: db, audit } = stores;
  const org = sql`cast(${refs.orgId} as text)`;
  const project = sql`cast(${refs.projectId} as integer)`;
  const user = sql`cast(${refs.userId} as integer)`;
  const at = sql`cast(${AT} as text)`;

  const issuesBefore = await maxId(db, 'issues');
  await inChunks(
    n.issues,
    (from, to) => sql`${range(from, to)}
      insert into issues (org_id, project_id, key_id, issue_type_id, summary, description, priority_id, status_id, created_user_id, created_at, updated_user_id, updated_at)
      select ${org}, ${project}, 1000000 + i, cast(${refs.issueTypeId} as integer), 'Seeded issue ' || i, 'Steps to reproduce the problem number ' || i, 3, 1 + i % 4, ${user}, ${at}, ${user}, ${at} from n`,
    db,
  );
  const issue = await firstIdAfter(db, 'issues', refs.orgId, issuesBefore, n.issues);
  const issueOf = sql`cast(${issue} as integer) + i % cast(${n.issues} as integer)`;
  await inChunks(
    n.comments,
    (from, to) => sql`${range(from, to)}
      insert into comments (org_id, issue_id, content, created_user_id, created_at, updated_at)
      select ${org}, ${issueOf}, 'A comment with some words, number ' || i, ${user}, ${at}, ${at} from n`,
    db,
  );
  await inChunks(
    n.watchings,
    (from, to) => sql`${range(from, to)}
      insert into watchings (org_id, user_id, issue_id, note, last_content_updated, created_at, updated_at)
      select ${org}, ${user}, ${issueOf}, '', ${at}, ${at}, ${at} from n`,
    db,
  );
  await inChunks(
    n.notifications,
    (from, to) => sql`${range(from, to)}
      insert into notifications (org_id, user_id, reason, project_id, issue_id, sender_id, created_at)
      select ${org}, ${user}, 1, ${project}, ${issueOf}, ${user}, ${at} from n`,
    db,
  );
  await inChunks(
    n.activities,
    (from, to) => sql`${range(from, to)}
      insert into activities (org_id, project_id, type, content, created_user_id, created_at)
      select ${org}, ${project}, 1 + i % 3, '{"id":' || i || ',"summary":"Seeded issue"}', ${user}, ${at} from n`,
    db,
  );
  const wikisBefore = await maxId(db, 'wikis');
  await inChunks(
    n.wikis,
    (from, to) => sql`${range(from, to)}
      insert into wikis (org_id, project_id, name, content, created_user_id, created_at, updated_user_id, updated_at)
      select ${org}, ${project}, 'Page ' || i, 'Wiki page body number ' || i, ${user}, ${at}, ${user}, ${at} from n`,
    db,
  );
  const wiki = await firstIdAfter(db, 'wikis', refs.orgId, wikisBefore, n.wikis);
  await inChunks(
    n.wiki_history,
    (from, to) => sql`${range(from, to)}
      insert into wiki_history (org_id, wiki_id, version, name, content, created_user_id, created_at)
      select ${org}, cast(${wiki} as integer) + i % cast(${n.wikis} as integer), 1 + i / cast(${n.wikis} as integer), 'Page', 'An older body ' || i, ${user}, ${at} from n`,
    db,
  );
  // The org's own audit chain; sequence numbers far above what the app wrote (the purge ignores hashes).
  await inChunks(
    n.audit_events,
    (from, to) => sql`${range(from, to)}
      insert into audit_events (id, chain_key, seq, org_id, at, product, category, action, outcome, actor_type, actor_id, actor_name, actor_email, target_type, target_id, ip, user_agent, details, prev_hash, hash)
      select 'seed-' || ${org} || '-' || i, ${org}, 10000000 + i, ${org}, ${at}, 'platform', 'team', 'team.updated', 'success', 'account', 'acc-' || i % 50, 'User', 'user@example.test', 'team', 'team-' || i, '127.0.0.1', 'bench', '{}', 'x', 'x' from n`,
    audit,
  );
  return n;
}

/** Rows of the org left in each seeded table. */
export async function countLeft(stores: { projects: AnyDb; audit: AnyDb }, orgId: string): Promise<number> {
  let left = 0;
  for (const table of SEEDED_TABLES) {
    const db = table === 'audit_events' ? stores.audit : stores.projects;
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} where org_id = ${orgId}`.execute(db);
    left += Number(rows[0]?.n ?? 0);
  }
  return left;
}
