import { createServer, type IncomingHttpHeaders, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../../kernel/clock';
import { signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { purgeProjectsOrganization } from '../projects.purge';
import { deliveriesSettled } from './index';
import { deliverDue, pruneDeliveries } from './webhooks.delivery';

/**
 * Delivery of project activities to a real `node:http` receiver on 127.0.0.1 (issue 3 §2). Loopback
 * targets need the operator's closed-network setting, which this app has; the default refusal is in
 * webhooks.test.ts. Retries run on the injectable clock through the `projects.webhook-deliveries` job.
 */
interface Received {
  headers: IncomingHttpHeaders;
  body: any;
}

let t: TestApp;
let receiver: Server;
let hookUrl: string;
const received: Received[] = [];
let answerWith = 200;
/** When set, the receiver holds its answer until `release()` is called. */
let hold: Promise<void> | null = null;
let db: Kysely<ProjectsDb>;

beforeAll(async () => {
  t = await buildTestApp({ config: { outboundPrivateTargets: 'on' } });
  receiver = createServer((request, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      void (hold ?? Promise.resolve()).then(() => response.writeHead(answerWith).end(answerWith === 200 ? 'ok' : 'receiver broke'));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  db = (await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(t.config.regionProjectsEn))).db as Kysely<ProjectsDb>;
});
afterAll(async () => {
  await deliveriesSettled(t.kernel);
  await new Promise((resolve) => receiver.close(resolve));
  await t.close();
});
beforeEach(() => {
  received.length = 0;
  answerWith = 200;
  hold = null;
});

interface Setup {
  user: TestUser;
  key: string;
  projectKey: string;
  projectId: number;
  issueTypeId: number;
}

let projects = 0;
async function setup(): Promise<Setup> {
  const user = await signUpUser(t, { name: 'Wendy Webhook' });
  const key = await apiKeyOf(user);
  projects += 1;
  const projectKey = `WH${projects}`;
  const projectId = (await backlog(t, key, 'POST', '/projects', { name: `Hooks ${projects}`, key: projectKey })).body.id as number;
  const issueTypeId = (await backlog(t, key, 'GET', `/projects/${projectKey}/issueTypes`)).body[0].id as number;
  return { user, key, projectKey, projectId, issueTypeId };
}

const addHook = async (s: Setup, form: Record<string, string | boolean | number[]>) => {
  const response = await backlog(t, s.key, 'POST', `/projects/${s.projectKey}/webhooks`, { name: 'receiver', hookUrl, ...form });
  expect(response.status).toBe(201);
  return response.body.id as number;
};
const addIssue = async (s: Setup, summary: string) => {
  const response = await backlog(t, s.key, 'POST', '/issues', { projectId: s.projectId, summary, issueTypeId: s.issueTypeId, priorityId: 3 });
  expect(response.status).toBe(201);
  return response.body as { id: number; issueKey: string };
};
const deliveries = async (s: Setup, hookId: number, count?: number) =>
  (await backlog(t, s.key, 'GET', `/projects/${s.projectKey}/webhooks/${hookId}/deliveries`, count ? { count } : undefined)).body;

/** The delivery job runs every minute on the injectable clock. */
async function after(ms: number): Promise<void> {
  t.clock.advance(ms);
  await t.jobs.tick();
}

describe('webhook delivery (issue 3 §2)', () => {
  it('POSTs the activity JSON, exactly as /projects/:p/activities shows it, and logs the delivery', async () => {
    const s = await setup();
    const hookId = await addHook(s, { allEvent: true });
    const issue = await addIssue(s, 'Deploy the thing');
    await deliveriesSettled(t.kernel);

    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery!.headers['content-type']).toBe('application/json');
    const [activity] = (await backlog(t, s.key, 'GET', `/projects/${s.projectKey}/activities`)).body;
    expect(delivery!.body).toEqual(activity);
    expect(delivery!.body).toMatchObject({ type: 1, project: { id: s.projectId, projectKey: s.projectKey }, content: { id: issue.id, summary: 'Deploy the thing' }, notifications: [] });
    expect(delivery!.body.createdUser).toMatchObject({ name: 'Wendy Webhook' });

    const log = await deliveries(s, hookId);
    expect(log).toEqual([
      { id: expect.any(Number), activityId: activity.id, activityTypeId: 1, attempt: 1, status: 'delivered', responseStatus: 200, error: null, created: expect.any(String), lastAttemptAt: expect.any(String), nextAttemptAt: null },
    ]);
    expect(delivery!.headers['toride-delivery']).toBe(String(log[0].id));
  });

  it('does not hold up the request that caused the activity', async () => {
    const s = await setup();
    await addHook(s, { allEvent: true });
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    // The receiver has not answered (it cannot until released), yet the issue is created.
    await addIssue(s, 'Fast');
    await expect.poll(() => received.length).toBe(1);
    release();
    await deliveriesSettled(t.kernel);
  });

  it('sends only the activity types a webhook asks for', async () => {
    const s = await setup();
    const commentsOnly = await addHook(s, { allEvent: false, activityTypeIds: [3] });
    const nothing = await addHook(s, { allEvent: false });
    const issue = await addIssue(s, 'Quiet');
    await deliveriesSettled(t.kernel);
    expect(received).toHaveLength(0);
    expect((await backlog(t, s.key, 'POST', `/issues/${issue.id}/comments`, { content: 'hello' })).status).toBe(201);
    await deliveriesSettled(t.kernel);
    expect(received.map((r) => r.body.type)).toEqual([3]);
    expect(received[0]!.body.content.comment).toMatchObject({ content: 'hello' });
    expect((await deliveries(s, commentsOnly)).map((d: { activityTypeId: number }) => d.activityTypeId)).toEqual([3]);
    expect(await deliveries(s, nothing)).toEqual([]);
  });

  it('retries a failing receiver after 1 min, 5 min, 30 min and 2 h, then marks the delivery failed', async () => {
    const s = await setup();
    const hookId = await addHook(s, { allEvent: true });
    answerWith = 500;
    await addIssue(s, 'Doomed');
    await deliveriesSettled(t.kernel);
    const started = t.clock.now().getTime();
    let [entry] = await deliveries(s, hookId);
    expect(entry).toMatchObject({ status: 'pending', attempt: 1, responseStatus: 500, error: 'HTTP 500: receiver broke' });
    expect(Date.parse(entry.nextAttemptAt) - started).toBe(MINUTE);

    let elapsed = 0;
    for (const [attempt, delay, next] of [
      [2, MINUTE, 5 * MINUTE],
      [3, 5 * MINUTE, 30 * MINUTE],
      [4, 30 * MINUTE, 2 * HOUR],
    ] as const) {
      await after(delay - MINUTE); // not due yet (for the first step, no time passes)
      expect((await deliveries(s, hookId))[0].attempt).toBe(attempt - 1);
      await after(MINUTE);
      elapsed += delay;
      [entry] = await deliveries(s, hookId);
      expect(entry).toMatchObject({ status: 'pending', attempt, responseStatus: 500 });
      expect(Date.parse(entry.nextAttemptAt) - (started + elapsed)).toBe(next);
    }
    await after(2 * HOUR);
    [entry] = await deliveries(s, hookId);
    expect(entry).toMatchObject({ status: 'failed', attempt: 5, responseStatus: 500, error: 'HTTP 500: receiver broke', nextAttemptAt: null });
    expect(received).toHaveLength(5);
    await after(DAY);
    expect(received).toHaveLength(5);
  });

  it('delivers on a later attempt once the receiver recovers, and records network errors', async () => {
    const s = await setup();
    const hookId = await addHook(s, { allEvent: true });
    answerWith = 503;
    await addIssue(s, 'Flaky');
    await deliveriesSettled(t.kernel);
    answerWith = 200;
    await after(MINUTE);
    expect((await deliveries(s, hookId))[0]).toMatchObject({ status: 'delivered', attempt: 2, responseStatus: 200, error: null, nextAttemptAt: null });
    expect(received).toHaveLength(2);

    // Nothing listens on the new target: the connection is refused and retried later.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => closed.close(resolve));
    expect((await backlog(t, s.key, 'PATCH', `/projects/${s.projectKey}/webhooks/${hookId}`, { hookUrl: deadUrl })).body.hookUrl).toBe(deadUrl);
    await addIssue(s, 'Nobody home');
    await deliveriesSettled(t.kernel);
    expect((await deliveries(s, hookId))[0]).toMatchObject({ status: 'pending', attempt: 1, responseStatus: null, error: 'Connection refused.' });
  });

  it('sends a delivery once when two workers pick it up together, and retries an attempt whose worker died after its lease', async () => {
    const s = await setup();
    const hookId = await addHook(s, { allEvent: false });
    const now = t.clock.now();
    const queued = (attempt: number, nextAttemptAt: Date) => ({
      org_id: s.user.orgId,
      webhook_id: hookId,
      activity_id: 1,
      activity_type_id: 1,
      payload: JSON.stringify({ queued: attempt }),
      status: 'pending' as const,
      attempt,
      response_status: null,
      error: null,
      created_at: now.toISOString(),
      last_attempt_at: attempt ? now.toISOString() : null,
      next_attempt_at: nextAttemptAt.toISOString(),
    });
    const [due] = (await db.insertInto('webhook_deliveries').values(queued(0, now)).returning('id').execute()).map((r) => r.id);
    const outcomes = await Promise.all([deliverDue(t.kernel, db, [due!]), deliverDue(t.kernel, db, [due!])]);
    expect(received.map((r) => r.body)).toEqual([{ queued: 0 }]);
    expect(outcomes.reduce((n, o) => n + o.delivered, 0)).toBe(1);

    // Taken by a worker that died mid-attempt: its lease (2 min) runs out, then the job sends it.
    received.length = 0;
    const [orphan] = (await db.insertInto('webhook_deliveries').values(queued(1, new Date(now.getTime() + 2 * MINUTE))).returning('id').execute()).map((r) => r.id);
    await after(MINUTE);
    expect(received).toHaveLength(0);
    await after(MINUTE);
    expect(received.map((r) => r.body)).toEqual([{ queued: 1 }]);
    expect((await deliveries(s, hookId)).find((d: { id: number }) => d.id === orphan)).toMatchObject({ status: 'delivered', attempt: 2 });
  });

  it('lists the log newest first, `count` up to 100', async () => {
    const s = await setup();
    const hookId = await addHook(s, { allEvent: true });
    for (const summary of ['one', 'two', 'three']) await addIssue(s, summary);
    await deliveriesSettled(t.kernel);
    const all = await deliveries(s, hookId);
    expect(all).toHaveLength(3);
    expect(all.map((d: { id: number }) => d.id)).toEqual([...all.map((d: { id: number }) => d.id)].sort((a, b) => b - a));
    expect(await deliveries(s, hookId, 2)).toEqual(all.slice(0, 2));
    const tooMany = await backlog(t, s.key, 'GET', `/projects/${s.projectKey}/webhooks/${hookId}/deliveries`, { count: 101 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].code).toBe(7);
  });

  it('keeps the log 30 days and at most 1000 entries per webhook; pending deliveries are never pruned', async () => {
    const s = await setup();
    const hookId = await addHook(s, { allEvent: false });
    const now = t.clock.now().getTime();
    const row = (status: 'delivered' | 'pending', ageMs: number) => ({
      org_id: s.user.orgId,
      webhook_id: hookId,
      activity_id: 1,
      activity_type_id: 1,
      payload: '{}',
      status,
      attempt: 1,
      response_status: 200,
      error: null,
      created_at: new Date(now - ageMs).toISOString(),
      last_attempt_at: null,
      next_attempt_at: status === 'pending' ? new Date(now + DAY).toISOString() : null,
    });
    await db.insertInto('webhook_deliveries').values([row('delivered', 31 * DAY), row('pending', 31 * DAY)]).execute();
    for (let i = 0; i < 11; i += 1) await db.insertInto('webhook_deliveries').values(Array.from({ length: 100 }, () => row('delivered', HOUR))).execute();
    expect(await pruneDeliveries(t.kernel, db)).toBe(1 + 100);
    const left = await db.selectFrom('webhook_deliveries').select(['status', 'created_at']).where('webhook_id', '=', hookId).execute();
    expect(left).toHaveLength(1001);
    expect(left.filter((r) => r.status === 'pending')).toHaveLength(1);
  });

  it('deleting a webhook or its project removes its deliveries; the org purge removes webhooks and deliveries', async () => {
    const s = await setup();
    const other = await setup();
    const first = await addHook(s, { allEvent: true });
    const otherHook = await addHook(other, { allEvent: true });
    await addIssue(s, 'logged');
    await addIssue(other, 'kept');
    await deliveriesSettled(t.kernel);
    const count = async (table: 'webhooks' | 'webhook_deliveries', orgId: string) =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()).n);
    expect(await count('webhook_deliveries', s.user.orgId)).toBe(1);
    await backlog(t, s.key, 'DELETE', `/projects/${s.projectKey}/webhooks/${first}`);
    expect(await count('webhook_deliveries', s.user.orgId)).toBe(0);

    await addHook(s, { allEvent: true });
    await addIssue(s, 'again');
    await deliveriesSettled(t.kernel);
    expect(await count('webhook_deliveries', s.user.orgId)).toBe(1);
    await backlog(t, s.key, 'DELETE', `/projects/${s.projectKey}`);
    expect(await count('webhooks', s.user.orgId)).toBe(0);
    expect(await count('webhook_deliveries', s.user.orgId)).toBe(0);

    // The org purge (W4.1) takes webhooks and deliveries too, and nothing of another org.
    await backlog(t, other.key, 'POST', '/projects', { name: 'Second', key: 'SECONDWH' });
    expect(await count('webhooks', other.user.orgId)).toBe(1);
    const purged = await purgeProjectsOrganization(t.kernel, other.user.orgId, 100_000);
    expect(purged.done).toBe(true);
    expect(purged.deleted).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'webhooks', rows: 1 }), expect.objectContaining({ kind: 'webhook_deliveries', rows: 1 })]));
    expect(await count('webhooks', other.user.orgId)).toBe(0);
    expect(otherHook).toBeGreaterThan(0);
  });
});
