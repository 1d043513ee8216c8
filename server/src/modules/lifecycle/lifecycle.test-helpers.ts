import type { Kysely } from 'kysely';
import { tablesWithOrgId } from '../../kernel/purge';
import { apiKeyOf, backlog } from '../../test/backlog-client';
import { addMember, signUpUser, type TestUser } from '../../test/factories';
import type { TestApp } from '../../test/harness';

/** An org with members, an API key, a project with issues and comments, audit entries. */
export async function seedOrg(app: TestApp, name: string): Promise<TestUser> {
  const admin = await signUpUser(app, { orgName: name });
  const member = await addMember(app, admin, 'member', { name: `${name} member` });
  const key = await apiKeyOf(admin);
  const memberKey = await apiKeyOf(member);
  const memberId = (await backlog(app, memberKey, 'GET', '/users/myself')).body.id;
  const projectKey = name.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 8) || 'PRJ';
  const project = await backlog(app, key, 'POST', '/projects', { name, key: projectKey, chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' });
  await backlog(app, key, 'POST', `/projects/${projectKey}/users`, { userId: memberId });
  const types = (await backlog(app, key, 'GET', `/projects/${projectKey}/issueTypes`)).body;
  for (let i = 0; i < 3; i += 1) {
    const issue = await backlog(app, memberKey, 'POST', '/issues', { projectId: project.body.id, summary: `${name} issue ${i}`, issueTypeId: types[0].id, priorityId: 3 });
    await backlog(app, memberKey, 'POST', `/issues/${issue.body.issueKey}/comments`, { content: `comment on ${i}` });
  }
  return admin;
}

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- every store

/** Every row carrying `org_id = orgId`, in every open store, by store and table. */
export async function rowsOfOrg(app: TestApp, orgId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const store of app.kernel.stores.list()) {
    const db = store.db as AnyDb;
    for (const table of [...(await tablesWithOrgId(db))].sort()) {
      const rows = await db.selectFrom(table).selectAll().where('org_id', '=', orgId).execute();
      if (rows.length > 0) out[`${store.module}@${store.region}/${table}`] = rows.map((r) => JSON.parse(JSON.stringify(r)));
    }
  }
  return out;
}

export const total = (rows: Record<string, unknown[]>) => Object.values(rows).reduce((n, r) => n + r.length, 0);


/** What the rows themselves say was deleted, per `module/region/table` (the receipt's keys). */
export function actuallyDeleted(before: Record<string, unknown[]>, after: Record<string, unknown[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, rows] of Object.entries(before)) {
    const gone = rows.length - (after[key]?.length ?? 0);
    if (gone > 0) out[key.replace('@', '/')] = gone;
  }
  return out;
}
