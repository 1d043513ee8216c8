import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3-multiple-ciphers';
import Fastify from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';

/**
 * `npm run bench -- projects` (issue 3 §6): a project with ISSUES issues (default 10,000), at
 * concurrency 16 — `GET /api/v2/issues?projectId[]=…&count=20` and `POST /api/v2/issues` through
 * Toride (API key auth, org/space resolution, policy, presenter), each next to a bare Fastify +
 * raw better-sqlite3 server on the same database file serving the same rows (the same SQL for the page,
 * joined with the issues' type and status, newest first; insert with the project's key counter), measured in this
 * same process run. Backlog rate limits are off (`TORIDE_BACKLOG_RATE_LIMIT=off`).
 */
const CONNECTIONS = 16;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ISSUES = Number(process.env.BENCH_PROJECT_ISSUES ?? 10_000);

interface Measured {
  rps: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}): Promise<Measured> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, method: options.method ?? 'GET', headers: options.headers, body: options.body });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'toride-bench-projects-'));
const config = loadConfig({}, { dataDir, rateLimits: 'off', backlogRateLimit: 'off', logLevel: 'silent', port: 0, webDir: path.join(dataDir, 'none') });
const toride = await buildApp(config, { logger: pino({ level: 'silent' }) });
await toride.app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(toride.app.server.address() as AddressInfo).port}`;

// An org, its admin's personal API key and a project, through the real APIs.
const signUp = await fetch(`${base}/api/v1/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'bench@example.test', password: 'correct horse battery staple', name: 'Bench', orgName: 'Bench Org', locale: 'en' }),
});
const signedUp = (await signUp.json()) as { orgs: { id: string }[] };
const cookies = signUp.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
const csrf = (cookies.find((c) => c.startsWith('toride_csrf=')) ?? '').split('=')[1] ?? '';
const keyResponse = await fetch(`${base}/api/v1/me/api-keys`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf },
  body: JSON.stringify({ name: 'bench', orgId: signedUp.orgs[0]!.id }),
});
const apiKey = ((await keyResponse.json()) as { secret: string }).secret;
const form = { 'content-type': 'application/x-www-form-urlencoded', 'backlog-api-key': apiKey };
const post = async (pathname: string, body: string) => {
  const response = await fetch(`${base}/api/v2${pathname}`, { method: 'POST', headers: form, body });
  if (response.status !== 201) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: number };
};
const project = await post('/projects', 'name=Bench&key=BENCH&chartEnabled=false&subtaskingEnabled=false&textFormattingRule=markdown');
const types = (await (await fetch(`${base}/api/v2/projects/BENCH/issueTypes`, { headers: form })).json()) as { id: number }[];
const issueBody = (i: number) => `projectId=${project.id}&summary=${encodeURIComponent(`Issue number ${i}`)}&issueTypeId=${types[i % types.length]!.id}&priorityId=3&description=seeded`;

const seedStart = Date.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (next < ISSUES) await post('/issues', issueBody(next++));
  }),
);
const seedSeconds = (Date.now() - seedStart) / 1000;

// The bare baseline on the same file: the same page of rows, and the same insert with the key counter.
const file = path.join(dataDir, config.regionProjectsEn, 'projects.db');
const raw = new Database(file);
raw.pragma('journal_mode = WAL');
raw.pragma('busy_timeout = 5000');
const page = raw.prepare(
  `select i.*, t.name as type_name, t.color as type_color, s.name as status_name, s.color as status_color
     from issues i join issue_types t on t.id = i.issue_type_id join statuses s on s.project_id = i.project_id and s.status_id = i.status_id
    where i.org_id = ? and i.project_id in (?) order by i.updated_at desc, i.id desc limit ? offset ?`,
);
const { org_id: orgId } = raw.prepare('select org_id from projects where id = ?').get(project.id) as { org_id: string };
const bump = raw.prepare('update projects set last_key_id = last_key_id + 1 where id = ? returning last_key_id, org_id, project_key');
const insert = raw.prepare(
  `insert into issues (org_id, project_id, key_id, issue_type_id, summary, description, priority_id, status_id, created_user_id, created_at, updated_user_id, updated_at)
   values (?, ?, ?, ?, ?, ?, ?, 1, 1, ?, 1, ?) returning *`,
);
const create = raw.transaction((input: { projectId: number; issueTypeId: number; priorityId: number; summary: string; description: string }) => {
  const counter = bump.get(input.projectId) as { last_key_id: number; org_id: string; project_key: string };
  const now = new Date().toISOString();
  const row = insert.get(counter.org_id, input.projectId, counter.last_key_id, input.issueTypeId, input.summary, input.description, input.priorityId, now, now) as Record<string, unknown>;
  return { ...row, issueKey: `${counter.project_key}-${counter.last_key_id}` };
});
const bare = Fastify();
bare.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
bare.get('/issues', async (request) => {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  return page.all(orgId, Number(query.get('projectId[]')), Number(query.get('count') ?? 20), Number(query.get('offset') ?? 0));
});
bare.post('/issues', async (request, reply) => {
  const body = request.body as Record<string, string>;
  const row = create({ projectId: Number(body.projectId), issueTypeId: Number(body.issueTypeId), priorityId: Number(body.priorityId), summary: body.summary ?? '', description: body.description ?? '' });
  return reply.status(201).send(row);
});
await bare.listen({ host: '127.0.0.1', port: 0 });
const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`;

const listPath = `/issues?projectId[]=${project.id}&count=20`;
const newIssue = { method: 'POST' as const, body: issueBody(7) };
await load(`${base}/api/v2${listPath}`, { headers: form }); // warm-up: JIT, caches
const listToride = await load(`${base}/api/v2${listPath}`, { headers: form });
const listBare = await load(`${bareBase}${listPath}`);
const createToride = await load(`${base}/api/v2/issues`, { ...newIssue, headers: form });
const createBare = await load(`${bareBase}/issues`, { ...newIssue, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

const row = (name: string, m: Measured) => `${name.padEnd(52)} ${m.rps.toFixed(0).padStart(7)} req/s   p99 ${String(m.p99).padStart(4)} ms${m.non2xx ? `   (${m.non2xx} non-2xx!)` : ''}`;
console.log(`projects benchmark — ${ISSUES} issues seeded through POST /api/v2/issues in ${seedSeconds.toFixed(1)} s; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, SQLite (${new Date().toISOString()})`);
console.log(row('GET /api/v2/issues?projectId[]=…&count=20 (Toride)', listToride));
console.log(row('GET /issues (bare Fastify + raw better-sqlite3)', listBare));
console.log(`  ratio list: Toride / bare = ${(listToride.rps / listBare.rps).toFixed(2)}`);
console.log(row('POST /api/v2/issues (Toride)', createToride));
console.log(row('POST /issues (bare Fastify + raw better-sqlite3)', createBare));
console.log(`  ratio create: Toride / bare = ${(createToride.rps / createBare.rps).toFixed(2)}`);

await bare.close();
raw.close();
await toride.close();
rmSync(dataDir, { recursive: true, force: true });
