import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { buildApp } from '../server/src/app';
import { loadConfig, type Config } from '../server/src/config';
import { createTestClock, DAY, SECOND } from '../server/src/kernel/clock';
import { StoreRegistry, type Store } from '../server/src/kernel/store';
import { PURGE_BATCH_SIZE } from '../server/src/modules/lifecycle';
import { auditStoreSpec } from '../server/src/modules/pass/audit.db';
import { projectsStoreSpec } from '../server/src/modules/projects/projects.db';
import { bareDelete } from './purge-bare';
import { loadFor, merge, startLoad, type LoadSummary, type NeighbourRequest } from './purge-load';
import { countLeft, seedVictim } from './purge-seed';

/**
 * `npm run bench -- purge` (issue 5 §6, W4.13): one org ("victim") with ROWS rows (default
 * 1,000,000) across the projects and audit stores is purged by the real lifecycle engine — the
 * clock moved 180 days past its deletion, then `runDue()`, what the `lifecycle.schedule` job runs —
 * while another org ("neighbour") sends real requests at concurrency 4. Next to it, in this same
 * process run: the same rows deleted by bare batched DELETEs on identically seeded stores (under
 * the same neighbour load), and the neighbour's latency on the idle server (half before, half after).
 * SQLite by default; `TORIDE_BENCH_DB=postgres` uses TORIDE_BENCH_DATABASE_URL (default below).
 */
const ROWS = Number(process.env.BENCH_PURGE_ROWS ?? 1_000_000);
/** Rows of the neighbour seeded the same way (default none: a small project); tables without an org_id index then cost a scan. */
const NEIGHBOUR_ROWS = Number(process.env.BENCH_PURGE_NEIGHBOUR_ROWS ?? 0);
const IDLE_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = 4;
const PASSWORD = 'correct horse battery staple';
const postgres = process.env.TORIDE_BENCH_DB === 'postgres';
const databaseUrl = postgres ? (process.env.TORIDE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/toride_bench') : undefined;
type AnyDb = Kysely<any>; // raw SQL into any store

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await admin.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

const schemaPrefix = `pb${randomBytes(4).toString('hex')}_`;
const configFor = (dataDir: string, prefix: string): Config =>
  loadConfig(
    {},
    {
      dataDir,
      secretKey: randomBytes(32).toString('base64'),
      rateLimits: 'off',
      backlogRateLimit: 'off',
      logLevel: 'silent',
      port: 0,
      webDir: path.join(dataDir, 'none'),
      ...(databaseUrl ? { databaseUrl, pgSchemaPrefix: prefix } : {}),
    },
  );

if (databaseUrl) await ensureDatabase(databaseUrl);
const dataDir = mkdtempSync(path.join(tmpdir(), 'toride-bench-purge-'));
const clock = createTestClock(new Date());
const config = configFor(path.join(dataDir, 'toride'), schemaPrefix);
const toride = await buildApp(config, { clock, logger: pino({ level: 'silent' }) });
await toride.app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(toride.app.server.address() as AddressInfo).port}`;

/** An org through the real sign-up, its admin's session, CSRF token and personal API key. */
async function signUpOrg(name: string) {
  const email = `${name.toLowerCase()}@example.test`;
  const response = await fetch(`${base}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, name, orgName: name, locale: 'en' }),
  });
  const orgId = ((await response.json()) as { orgs: { id: string }[] }).orgs[0]!.id;
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const csrf = (cookies.find((c) => c.startsWith('toride_csrf=')) ?? '').split('=')[1] ?? '';
  const session = { cookie: cookies.join('; '), 'x-csrf-token': csrf };
  const key = await fetch(`${base}/api/v1/me/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', ...session }, body: JSON.stringify({ name: 'bench', orgId }) });
  const form = { 'content-type': 'application/x-www-form-urlencoded', 'backlog-api-key': ((await key.json()) as { secret: string }).secret };
  const post = async (pathname: string, body: string) => {
    const created = await fetch(`${base}/api/v2${pathname}`, { method: 'POST', headers: form, body });
    if (created.status !== 201) throw new Error(`${pathname}: ${created.status} ${await created.text()}`);
    return (await created.json()) as { id: number };
  };
  const projectKey = name.toUpperCase();
  const project = await post('/projects', `name=${name}&key=${projectKey}&chartEnabled=false&subtaskingEnabled=false&textFormattingRule=markdown`);
  const types = (await (await fetch(`${base}/api/v2/projects/${projectKey}/issueTypes`, { headers: form })).json()) as { id: number }[];
  return { email, orgId, session, form, post, projectId: project.id, issueTypeId: types[0]!.id };
}

// The victim: org and project through the real services, then ROWS rows in bulk.
const victim = await signUpOrg('Victim');
const projectsStore = toride.kernel.stores.list().find((s) => s.module === 'projects')!;
const auditStore = toride.kernel.stores.list().find((s) => s.module === 'audit')!;
const storesOf = (projects: Store<unknown>, audit: Store<unknown>) => ({ projects: projects.db as AnyDb, audit: audit.db as AnyDb });
let started = performance.now();
const seeded = await seedVictim(storesOf(projectsStore, auditStore), { orgId: victim.orgId, projectId: victim.projectId, issueTypeId: victim.issueTypeId, userId: 1 }, ROWS);
const seedSeconds = (performance.now() - started) / 1000;

// The neighbour: a normal small project.
const neighbour = await signUpOrg('Neighbour');
for (let i = 0; i < 30; i += 1) await neighbour.post('/issues', `projectId=${neighbour.projectId}&summary=Issue+${i}&issueTypeId=${neighbour.issueTypeId}&priorityId=3`);
const neighbourRefs = { orgId: neighbour.orgId, projectId: neighbour.projectId, issueTypeId: neighbour.issueTypeId, userId: 1 };
if (NEIGHBOUR_ROWS > 0) await seedVictim(storesOf(projectsStore, auditStore), neighbourRefs, NEIGHBOUR_ROWS);

// The bare baseline's stores: the same schema (migrations), the same rows, nothing else.
const bareConfig = configFor(path.join(dataDir, 'bare'), `${schemaPrefix}bare_`);
const bareStores = new StoreRegistry(bareConfig);
const bareProjects = await bareStores.open(projectsStoreSpec(projectsStore.region));
const bareAudit = await bareStores.open(auditStoreSpec(bareConfig));
const now = new Date().toISOString();
await sql`insert into projects (org_id, project_key, name, text_formatting_rule, created_at, updated_at) values (${victim.orgId}, 'VICTIM', 'Victim', 'markdown', ${now}, ${now})`.execute(bareProjects.db);
const { rows: bareProject } = await sql<{ id: number }>`select id from projects where org_id = ${victim.orgId}`.execute(bareProjects.db);
await seedVictim(storesOf(bareProjects, bareAudit), { orgId: victim.orgId, projectId: Number(bareProject[0]!.id), issueTypeId: victim.issueTypeId, userId: 1 }, ROWS);
if (NEIGHBOUR_ROWS > 0) {
  await sql`insert into projects (org_id, project_key, name, text_formatting_rule, created_at, updated_at) values (${neighbour.orgId}, 'NEIGHBOUR', 'Neighbour', 'markdown', ${now}, ${now})`.execute(bareProjects.db);
  const { rows } = await sql<{ id: number }>`select id from projects where org_id = ${neighbour.orgId}`.execute(bareProjects.db);
  await seedVictim(storesOf(bareProjects, bareAudit), { ...neighbourRefs, projectId: Number(rows[0]!.id) }, NEIGHBOUR_ROWS);
}

// The victim's contract admin deletes the org; the purge is due 180 days later (W4.1).
const deletion = await fetch(`${base}/api/v1/orgs/${victim.orgId}/lifecycle/delete`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...victim.session },
  body: JSON.stringify({ password: PASSWORD }),
});
if (deletion.status !== 200) throw new Error(`lifecycle/delete: ${deletion.status} ${await deletion.text()}`);
clock.advance(180 * DAY + SECOND);

// The neighbour signs in again (sessions expired with the clock) and lists its issues.
const signIn = await fetch(`${base}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: neighbour.email, password: PASSWORD }) });
const sessionCookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').join('; ');
const mix: NeighbourRequest[] = [
  { path: `/api/v2/issues?projectId[]=${neighbour.projectId}&count=20`, headers: { 'backlog-api-key': neighbour.form['backlog-api-key'] } },
  { path: '/api/v1/me', headers: { cookie: sessionCookie } },
];

await loadFor(base, mix, CONCURRENCY, 2); // warm-up: JIT, caches
const idleBefore = await loadFor(base, mix, CONCURRENCY, IDLE_SECONDS / 2);

let load = startLoad(base, mix, CONCURRENCY);
started = performance.now();
const bareRows = await bareDelete({ projects: bareProjects, audit: bareAudit }, { orgId: victim.orgId, batchSize: PURGE_BATCH_SIZE, databaseUrl });
const bareSeconds = (performance.now() - started) / 1000;
const duringBare = await load.stop();

// Seconds and batches per module, from the engine's after-batch hook.
const perModule = new Map<string, { seconds: number; batches: number }>();
let batchStarted = performance.now();
toride.lifecycle.deps.afterBatch = ({ module }) => {
  const entry = perModule.get(module) ?? { seconds: 0, batches: 0 };
  perModule.set(module, { seconds: entry.seconds + (performance.now() - batchStarted) / 1000, batches: entry.batches + 1 });
  batchStarted = performance.now();
};
load = startLoad(base, mix, CONCURRENCY);
started = batchStarted = performance.now();
const result = await toride.lifecycle.engine.runDue();
const torideSeconds = (performance.now() - started) / 1000;
const duringPurge = await load.stop();
if (result.purged !== 1) throw new Error(`expected one purge, got ${JSON.stringify(result)}`);

const idle = merge(idleBefore, await loadFor(base, mix, CONCURRENCY, IDLE_SECONDS / 2));

const run = await toride.lifecycle.deps.repo.run(victim.orgId, 'org');
const progress = JSON.parse(run!.progress) as Record<string, { deleted: Record<string, number> }>;
const torideRows = Object.values(progress).reduce((n, entry) => n + Object.values(entry.deleted).reduce((m, r) => m + r, 0), 0);
const leftToride = await countLeft(storesOf(projectsStore, auditStore), victim.orgId);
const leftBare = await countLeft(storesOf(bareProjects, bareAudit), victim.orgId);

const int = (n: number) => Math.round(n).toLocaleString('en');
const latency = (name: string, s: LoadSummary) =>
  `  ${name.padEnd(30)} p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(6)} ms   (${int(s.requests)} requests${s.non2xx ? `, ${s.non2xx} non-2xx!` : ''})`;
console.log(
  `purge benchmark — ${postgres ? 'PostgreSQL' : 'SQLite'}, ${int(ROWS)} rows of one org seeded in ${seedSeconds.toFixed(1)} s (${Object.entries(seeded).map(([t, n]) => `${t} ${int(n)}`).join(', ')}), neighbour ${NEIGHBOUR_ROWS ? `${int(NEIGHBOUR_ROWS)} rows seeded alike` : 'a small project'}; batch ${PURGE_BATCH_SIZE} (${new Date().toISOString()})`,
);
console.log(`Toride purge (lifecycle engine runDue, all modules)   ${int(torideRows).padStart(9)} rows in ${torideSeconds.toFixed(1).padStart(6)} s   ${int(torideRows / torideSeconds).padStart(7)} rows/s`);
console.log(`  by module: ${[...perModule].map(([m, e]) => `${m} ${e.seconds.toFixed(1)} s / ${e.batches} batches`).join(', ')}`);
console.log(`bare DELETE … WHERE id IN (SELECT … LIMIT ${PURGE_BATCH_SIZE})         ${int(bareRows).padStart(9)} rows in ${bareSeconds.toFixed(1).padStart(6)} s   ${int(bareRows / bareSeconds).padStart(7)} rows/s`);
console.log(`  ratio throughput: Toride / bare = ${(torideRows / torideSeconds / (bareRows / bareSeconds)).toFixed(2)} (by design below 1: the engine pauses after each batch as long as it took, up to 50 ms, W4.13)`);
console.log(`neighbour: GET /api/v2/issues?projectId[]=…&count=20 and GET /api/v1/me, ${CONCURRENCY} connections`);
console.log(latency(`idle (${IDLE_SECONDS / 2} s before + after)`, idle));
console.log(latency('during bare delete', duringBare));
console.log(latency('during Toride purge', duringPurge));
console.log(`  ratio p99: during Toride purge / idle = ${(duringPurge.p99 / idle.p99).toFixed(2)}   p50: ${(duringPurge.p50 / idle.p50).toFixed(2)}`);
console.log(`seeded rows of the victim left: Toride ${leftToride}, bare ${leftBare}`);

await bareStores.destroyAll();
await toride.close();
if (databaseUrl) {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const { rows } = await admin.query<{ nspname: string }>('select nspname from pg_namespace where starts_with(nspname, $1)', [schemaPrefix]);
  for (const row of rows) await admin.query(`drop schema "${row.nspname}" cascade`);
  await admin.end();
}
rmSync(dataDir, { recursive: true, force: true });
if (leftToride + leftBare > 0) process.exit(1);
