import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { dialectOfDb } from '../../../kernel/dialect';
import type { ProjectsDb } from '../projects.db';

/**
 * Full-text search over issues (summary, description, comments) and wiki pages (name, content),
 * as substring matches so that Japanese and other unsegmented text is found too (issue 3 §1):
 * - SQLite: FTS5 tables with the `trigram` tokenizer (`issue_fts`, `wiki_fts`), kept in sync by
 *   triggers; keywords of 3+ characters use the index, shorter ones scan the FTS text.
 * - PostgreSQL: `ILIKE` served by `pg_trgm` GIN indexes (when the extension is available).
 * Both are case-insensitive. The per-dialect SQL lives only here, behind one interface.
 */
export interface SearchDialect {
  issueMatches(keyword: string): RawBuilder<SqlBool>;
  wikiMatches(keyword: string): RawBuilder<SqlBool>;
}

const ftsPhrase = (keyword: string) => `"${keyword.replace(/"/g, '""')}"`;
const likePattern = (keyword: string) => `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const sqliteFts = (table: 'issue_fts' | 'wiki_fts', keyword: string) =>
  [...keyword].length >= 3
    ? sql<number>`select rowid from ${sql.table(table)} where ${sql.table(table)} match ${ftsPhrase(keyword)}`
    : sql<number>`select rowid from ${sql.table(table)} where instr(lower(body), lower(${keyword})) > 0`;

const sqliteSearch: SearchDialect = {
  issueMatches: (keyword) => sql<SqlBool>`issues.id in (${sqliteFts('issue_fts', keyword)})`,
  wikiMatches: (keyword) => sql<SqlBool>`wikis.id in (${sqliteFts('wiki_fts', keyword)})`,
};

const postgresSearch: SearchDialect = {
  issueMatches: (keyword) => {
    const p = likePattern(keyword);
    return sql<SqlBool>`(issues.summary ilike ${p} or issues.description ilike ${p} or issues.id in (select comments.issue_id from comments where comments.content ilike ${p}))`;
  },
  wikiMatches: (keyword) => {
    const p = likePattern(keyword);
    return sql<SqlBool>`(wikis.name ilike ${p} or wikis.content ilike ${p})`;
  },
};

export const searchDialect = (db: Kysely<ProjectsDb>): SearchDialect => (dialectOfDb(db) === 'postgres' ? postgresSearch : sqliteSearch);
