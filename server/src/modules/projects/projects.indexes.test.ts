import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testDialect, type TestApp } from '../../test/harness';
import { projectsStoreSpec } from './projects.db';

/**
 * The org purge deletes `WHERE org_id = …` per table, and deleting issues, pages and projects
 * cascades through foreign keys: without an index each is a scan of the whole table, for every
 * org on the store (W4.13, `npm run bench -- purge`). Both dialects run the same migrations; the
 * catalogue is read on SQLite.
 */
describe.skipIf(testDialect !== 'sqlite')('projects store indexes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('every table with org_id has an index led by it; every foreign key column leads an index', async () => {
    const { db } = await t.kernel.stores.open(projectsStoreSpec(t.config.regionProjectsEn));
    const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(db)).rows;
    const missing: string[] = [];
    for (const { name: table } of tables) {
      const columns = (await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${table})`.execute(db)).rows;
      const leading = new Set(columns.filter((c) => c.pk === 1).map((c) => c.name));
      for (const index of (await sql<{ name: string }>`select name from pragma_index_list(${table})`.execute(db)).rows) {
        const first = (await sql<{ name: string }>`select name from pragma_index_info(${index.name}) order by seqno limit 1`.execute(db)).rows[0];
        if (first) leading.add(first.name);
      }
      if (columns.some((c) => c.name === 'org_id') && !leading.has('org_id')) missing.push(`${table}(org_id)`);
      for (const fk of (await sql<{ from: string }>`select "from" from pragma_foreign_key_list(${table})`.execute(db)).rows) {
        if (!leading.has(fk.from)) missing.push(`${table}(${fk.from})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
