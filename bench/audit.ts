import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3-multiple-ciphers';
import { loadConfig } from '../server/src/config';
import { systemClock } from '../server/src/kernel/clock';
import { StoreRegistry } from '../server/src/kernel/store';
import { openAuditStore } from '../server/src/modules/pass';
import { searchAudit } from '../server/src/modules/pass/audit.service';

/**
 * `npm run bench -- audit` (issue 4 §8): audit ingest events/s through the pass module's writer (hash
 * chain, salted personal digests, chain-head lock) next to raw prepared inserts of the same rows;
 * then a filtered page query over ENTRIES entries (default 1,000,000) — p95 through the module's
 * search next to the same SQL as a raw prepared statement. Same SQLite file, same process run.
 */
const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const INGEST = Number(process.env.BENCH_AUDIT_INGEST ?? 5_000);
const QUERIES = 200;
const ORG = '01a00000-0000-7000-8000-000000000001';
const ACTIONS = ['auth.sign_in', 'member.updated', 'team.created', 'api_key.created', 'invitation.created', 'project.issue.created', 'audit.exported'];
const DAY_MS = 86_400_000;
const START = Date.parse('2025-10-21T00:00:00.000Z');

const dataDir = mkdtempSync(path.join(tmpdir(), 'toride-bench-audit-'));
const config = loadConfig({}, { dataDir, logLevel: 'silent', webDir: path.join(dataDir, 'none') });
const stores = new StoreRegistry(config);
const audit = await openAuditStore(config, stores, systemClock);
const file = path.join(dataDir, config.regionAudit, 'audit.db');

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

// 1. Ingest: one org's chain, one event after another (a chain is serialized by design).
const entry = (i: number) => ({
  orgId: ORG,
  action: ACTIONS[i % ACTIONS.length]!,
  outcome: 'success' as const,
  actor: { type: 'account' as const, id: `acc-${i % 50}`, name: `User ${i % 50}`, email: `user${i % 50}@example.test` },
  target: { type: 'team', id: `team-${i}` },
  ip: '127.0.0.1',
  userAgent: 'bench',
  details: { n: i },
});
for (let i = 0; i < 200; i += 1) await audit.sink.record(entry(i)); // warm-up
let started = performance.now();
for (let i = 0; i < INGEST; i += 1) await audit.sink.record(entry(i));
const torideIngest = INGEST / ((performance.now() - started) / 1000);

const raw = new Database(file);
raw.pragma('journal_mode = WAL');
raw.pragma('busy_timeout = 5000');
// Same table, same indexes, another chain key: only the chain logic and the framework differ.
const insertBare = raw.prepare(
  `insert into audit_events (id, chain_key, seq, org_id, at, product, category, action, outcome, actor_type, actor_id, actor_name, actor_email, target_type, target_id, ip, user_agent, details, prev_hash, hash)
   values (?, ?, ?, ?, ?, 'platform', ?, ?, 'success', 'account', ?, ?, ?, 'team', ?, '127.0.0.1', 'bench', ?, ?, ?)`,
);
const insertOne = raw.transaction((i: number) => {
  const e = entry(i);
  insertBare.run(randomUUID(), 'bare-chain', i, ORG, new Date().toISOString(), e.action.split('.')[0], e.action, e.actor.id, e.actor.name, e.actor.email, e.target.id, JSON.stringify(e.details), '0', '0');
});
started = performance.now();
for (let i = 0; i < INGEST; i += 1) insertOne(i);
const bareIngest = INGEST / ((performance.now() - started) / 1000);

// 2. Query: ENTRIES entries over 400 days in the org's chain, seeded with batched raw inserts (the
// query does not look at hashes, so they are placeholders), then filtered newest-first pages.
const seed = raw.prepare(
  `insert into audit_events (id, chain_key, seq, org_id, at, product, category, action, outcome, actor_type, actor_id, actor_name, actor_email, target_type, target_id, ip, user_agent, details, prev_hash, hash)
   values (?, ?, ?, ?, ?, 'platform', ?, ?, ?, 'account', ?, ?, ?, 'team', ?, '127.0.0.1', 'bench', null, ?, ?)`,
);
const seedBatch = raw.transaction((from: number, to: number) => {
  for (let i = from; i < to; i += 1) {
    const action = ACTIONS[i % ACTIONS.length]!;
    const at = new Date(START + Math.floor((i / ENTRIES) * 400 * DAY_MS)).toISOString();
    const hash = createHash('sha256').update(String(i)).digest('hex');
    seed.run(randomUUID(), 'seed-org', i + 1, 'seed-org', at, action.split('.')[0], action, i % 97 === 0 ? 'failure' : 'success', `acc-${i % 500}`, `User ${i % 500}`, `user${i % 500}@example.test`, `team-${i % 5000}`, hash, hash);
  }
});
started = performance.now();
for (let i = 0; i < ENTRIES; i += 50_000) seedBatch(i, Math.min(ENTRIES, i + 50_000));
const seedSeconds = (performance.now() - started) / 1000;
raw.exec('analyze');

// What admins ask: one action over a month ("sign-ins in March"), or one person over a month.
const windows = Array.from({ length: QUERIES }, (_, i) => {
  const from = START + ((i * 7919) % 370) * DAY_MS;
  const range = { from: new Date(from).toISOString(), to: new Date(from + 30 * DAY_MS).toISOString() };
  return i % 2 === 0 ? { ...range, action: ACTIONS[i % ACTIONS.length]! } : { ...range, actor: `acc-${i % 500}` };
});
const bareByAction = raw.prepare(`select * from audit_events where chain_key = ? and at >= ? and at < ? and action = ? order by at desc, id desc limit 51`);
const bareByActor = raw.prepare(
  `select * from audit_events where chain_key = ? and at >= ? and at < ? and (actor_id = ? or actor_email = ?) order by at desc, id desc limit 51`,
);
const deps = audit.deps;
const timeToride = async () => {
  const times: number[] = [];
  for (const w of windows) {
    const t0 = performance.now();
    await searchAudit(deps, 'seed-org', { ...w, limit: 50 });
    times.push(performance.now() - t0);
  }
  return times;
};
const timeBare = () =>
  windows.map((w) => {
    const t0 = performance.now();
    if ('action' in w) bareByAction.all('seed-org', w.from, w.to, w.action);
    else bareByActor.all('seed-org', w.from, w.to, w.actor, w.actor);
    return performance.now() - t0;
  });
await timeToride(); // warm-up
timeBare();
const torideP95 = percentile(await timeToride(), 95);
const bareP95 = percentile(timeBare(), 95);

const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 0);
console.log(`audit benchmark — SQLite, ${new Date().toISOString()}`);
console.log(`ingest (${INGEST} events, one org chain)   toride ${fmt(torideIngest)} events/s   raw insert ${fmt(bareIngest)} events/s   ratio ${(torideIngest / bareIngest).toFixed(2)}`);
console.log(`filtered page over ${ENTRIES.toLocaleString('en')} entries (seeded in ${seedSeconds.toFixed(1)} s), ${QUERIES} queries`);
console.log(`  p95 toride ${fmt(torideP95)} ms   raw SQL ${fmt(bareP95)} ms   ratio ${(bareP95 / torideP95).toFixed(2)} (raw/toride; 1.00 = no overhead)`);

raw.close();
await stores.closeAll();
rmSync(dataDir, { recursive: true, force: true });
