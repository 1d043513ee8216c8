import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import Database from 'better-sqlite3-multiple-ciphers';
import Fastify from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';

/**
 * `npm run bench`: the identity hot paths at concurrency 16, each next to a bare baseline run in
 * this same process — Fastify with raw better-sqlite3 on the same database file, doing the same
 * lookups — so the ratio stays meaningful on a noisy machine.
 */
// `npm run bench -- <suite>` runs another suite in this folder instead (`projects`, `audit`, `purge`).
const suite = process.argv[2];
const suites: Record<string, () => Promise<unknown>> = { projects: () => import('./projects'), audit: () => import('./audit'), purge: () => import('./purge') };
if (suite && suites[suite]) {
  await suites[suite]();
  process.exit(0);
}

const CONNECTIONS = 16;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PASSWORD = 'correct horse battery staple';

interface Measured {
  rps: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}): Promise<Measured> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, method: options.method ?? 'GET', headers: options.headers, body: options.body });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'toride-bench-'));
const config = loadConfig({}, { dataDir, rateLimits: 'off', logLevel: 'silent', port: 0, webDir: path.join(dataDir, 'none') });
const toride = await buildApp(config, { logger: pino({ level: 'silent' }) });
await toride.app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(toride.app.server.address() as AddressInfo).port}`;

const email = 'bench@example.test';
const signUp = await fetch(`${base}/api/v1/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password: PASSWORD, name: 'Bench', orgName: 'Bench Org', locale: 'en' }),
});
const cookie = (signUp.headers.getSetCookie().find((c) => c.startsWith('toride_session=')) ?? '').split(';')[0] ?? '';
const sessionToken = cookie.split('=')[1] ?? '';

// The bare baseline: the same file, the same three lookups /me needs, prepared statements, no framework extras.
const raw = new Database(path.join(dataDir, config.regionIdentity, 'identity.db'), { readonly: true });
const findSession = raw.prepare('select account_id from sessions where token_hash = ? and expires_at > ?');
const findAccount = raw.prepare('select id, email, name, locale, email_verified_at, totp_enabled_at, created_at from accounts where id = ? and deleted_at is null');
const findOrgs = raw.prepare(
  'select o.id, o.name, o.locale, o.require_two_factor, m.role, m.can_invite from memberships m join organizations o on o.id = m.org_id where m.account_id = ? and o.deleted_at is null order by o.name',
);
const passwordHash = (raw.prepare('select password_hash from accounts where email = ?').get(email) as { password_hash: string }).password_hash;
const bare = Fastify();
bare.get('/me', async (request, reply) => {
  const token = /toride_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
  const session = findSession.get(createHash('sha256').update(token).digest('base64url'), new Date().toISOString()) as { account_id: string } | undefined;
  if (!session) return reply.status(401).send({ error: 'unauthenticated' });
  return { account: findAccount.get(session.account_id), orgs: findOrgs.all(session.account_id) };
});
bare.post('/sessions', async (request, reply) => {
  const body = request.body as { password: string };
  return (await verify(passwordHash, body.password)) ? { status: 'signed_in' } : reply.status(401).send();
});
await bare.listen({ host: '127.0.0.1', port: 0 });
const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`;

const signInBody = JSON.stringify({ email, password: PASSWORD });
const json = { 'content-type': 'application/json' };
await load(`${base}/api/v1/me`, { headers: { cookie } }); // warm-up: JIT, caches
const meToride = await load(`${base}/api/v1/me`, { headers: { cookie } });
const meBare = await load(`${bareBase}/me`, { headers: { cookie: `toride_session=${sessionToken}` } });
const signInToride = await load(`${base}/api/v1/sessions`, { method: 'POST', headers: json, body: signInBody });
const signInBare = await load(`${bareBase}/sessions`, { method: 'POST', headers: json, body: signInBody });

const row = (name: string, m: Measured) => `${name.padEnd(44)} ${m.rps.toFixed(0).padStart(7)} req/s   p99 ${String(m.p99).padStart(4)} ms${m.non2xx ? `   (${m.non2xx} non-2xx!)` : ''}`;
console.log(`identity benchmark — ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, SQLite (${new Date().toISOString()})`);
console.log(row('GET /api/v1/me (Toride)', meToride));
console.log(row('GET /me (bare Fastify + raw better-sqlite3)', meBare));
console.log(`  ratio me: Toride / bare = ${(meToride.rps / meBare.rps).toFixed(2)}`);
console.log(row('POST /api/v1/sessions sign-in (Toride)', signInToride));
console.log(row('POST /sessions (bare Fastify + argon2 verify)', signInBare));
console.log(`  ratio sign-in: Toride / bare = ${(signInToride.rps / signInBare.rps).toFixed(2)}`);

await bare.close();
raw.close();
await toride.close();
rmSync(dataDir, { recursive: true, force: true });
