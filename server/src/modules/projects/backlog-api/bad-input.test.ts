import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, listenOnLoopback } from '../../../test/backlog-client';

/**
 * Hand-made bad inputs on the Backlog surface (issue 12 §7): each must answer Backlog's error shape
 * `{ errors: [{ message, code, moreInfo }] }` with a 4xx — never a 500, never Fastify's own body, never
 * the URL (it carries `?apiKey=`). Before the fix, nested arrays blew the call stack (500), a NUL in
 * `keyword` broke PostgreSQL's query, and `%FF%FE` in the path echoed the whole URL with the key.
 */
describe('Backlog API v2: bad input never reaches a 500 (issue 12 §7)', () => {
  let t: TestApp;
  let admin: TestUser;
  let key: string;
  let projectId: number;
  let issueId: number;
  let taskType: number;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { orgName: 'Acme' });
    key = await apiKeyOf(admin);
    projectId = (await backlog(t, key, 'POST', '/projects', { name: 'Apollo', key: 'APOLLO', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).body.id;
    taskType = (await backlog(t, key, 'GET', '/projects/APOLLO/issueTypes')).body[0].id;
    issueId = (await backlog(t, key, 'POST', '/issues', { projectId, summary: 'Target', issueTypeId: taskType, priorityId: 3 })).body.id;
  });
  afterAll(async () => t.close());

  const deep = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
  const json = (body: string) => ({ payload: body, contentType: 'application/json' });
  const form = (body: string) => ({ payload: body, contentType: 'application/x-www-form-urlencoded' });
  type Case = [name: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: () => string, body?: () => { payload: string; contentType: string }, status?: number];

  const cases: Case[] = [
    ['nested array as summary (JSON), POST /issues', 'POST', () => '/issues', () => json(`{"projectId":${projectId},"issueTypeId":${taskType},"priorityId":3,"summary":${deep(20_000)}}`)],
    ['nested array as description, PATCH /issues/:id', 'PATCH', () => `/issues/${issueId}`, () => json(`{"description":${deep(20_000)}}`)],
    ['nested array as comment content', 'POST', () => `/issues/${issueId}/comments`, () => json(`{"content":${deep(20_000)}}`)],
    ['33 levels: just past the parser limit', 'POST', () => `/issues/${issueId}/comments`, () => json(`{"content":${deep(32)}}`)],
    ['nested objects', 'POST', () => '/issues', () => json(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`)],
    ['NUL in keyword, GET /issues', 'GET', () => '/issues?keyword=a%00b'],
    ['NUL in keyword, GET /issues/count', 'GET', () => '/issues/count?keyword=%00'],
    ['NUL in keyword, GET /wikis', 'GET', () => '/wikis?projectIdOrKey=APOLLO&keyword=%00abc'],
    ['NUL in a form field', 'POST', () => '/issues', () => form(`projectId=${projectId}&issueTypeId=${taskType}&priorityId=3&summary=a%00b`)],
    ['NUL in a JSON field', 'POST', () => `/issues/${issueId}/comments`, () => json('{"content":"a\\u0000b"}')],
    ['NUL in a JSON key', 'POST', () => `/issues/${issueId}/comments`, () => json('{"con\\u0000tent":"x"}')],
    ['huge number for an id', 'GET', () => '/issues?projectId[]=99999999999999999999999'],
    ['1e308 as priorityId (JSON)', 'POST', () => '/issues', () => json(`{"projectId":${projectId},"issueTypeId":${taskType},"priorityId":1e999,"summary":"x"}`)],
    ['negative count', 'GET', () => '/issues?count=-5'],
    ['count far above the maximum', 'GET', () => '/issues?count=100000000000'],
    ['a word for an integer', 'GET', () => '/issues?projectId[]=abc'],
    ['an object for summary', 'POST', () => '/issues', () => json(`{"projectId":${projectId},"issueTypeId":${taskType},"priorityId":3,"summary":{"a":1}}`)],
    ['a date that does not exist', 'POST', () => '/issues', () => form(`projectId=${projectId}&issueTypeId=${taskType}&priorityId=3&summary=x&dueDate=2026-02-31`)],
    ['malformed JSON', 'POST', () => '/issues', () => json('{"summary":')],
    ['a JSON array body', 'POST', () => '/issues', () => json('[1,2,3]')],
    ['__proto__ in JSON', 'POST', () => '/issues', () => json('{"__proto__":{"admin":true},"summary":"x"}')],
    ['text/plain body', 'POST', () => '/issues', () => ({ payload: 'summary=x', contentType: 'text/plain' })],
    ['XML body', 'POST', () => '/issues', () => ({ payload: '<issue/>', contentType: 'application/xml' })],
    ['too many form fields', 'POST', () => '/issues', () => form(Array.from({ length: 2_500 }, (_, i) => `categoryId[]=${i}`).join('&'))],
    ['body over 1 MiB', 'POST', () => '/issues', () => form(`summary=${'x'.repeat(1_100_000)}`), 413],
    ['bad percent-encoding in the path', 'GET', () => '/issues/%FF%FE'],
    // Query strings decode leniently (U+FFFD), as URLSearchParams does: a plain search.
    ['bad percent-encoding in the query', 'GET', () => '/issues?keyword=%FF%FE', undefined, 200],
    ['a nested list as a field value', 'POST', () => `/issues/${issueId}/comments`, () => json('{"content":[["x"]]}')],
    ['NUL in the path', 'GET', () => '/issues/%00'],
    ['an over-long issue key', 'GET', () => `/issues/${'A'.repeat(300)}`],
    ['an over-long project key', 'GET', () => `/projects/${'A'.repeat(300)}/issueTypes`],
    ['an unknown API', 'GET', () => '/no/such/thing'],
    ['a missing issue', 'GET', () => '/issues/999999999'],
    ['a bogus sort', 'GET', () => '/issues?sort=password_hash'],
    ['right-to-left override and emoji in keyword', 'GET', () => `/issues?keyword=${encodeURIComponent('\u202e😀')}`, undefined, 200],
  ];

  it.each(cases)('%s: Backlog error shape, no 500, no echoed URL or key', async (_name, method, path, body, status) => {
    const url = `/api/v2${path()}${path().includes('?') ? '&' : '?'}apiKey=${encodeURIComponent(key)}`;
    const b = body?.();
    const response = await t.app.inject({ method, url, ...(b ? { payload: b.payload, headers: { 'content-type': b.contentType } } : {}) });
    expect(response.statusCode).toBeLessThan(500);
    expect(response.body).not.toContain(key);
    if (status === 200) return expect(response.statusCode).toBe(200);
    if (status) expect(response.statusCode).toBe(status);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    const parsed = JSON.parse(response.body);
    expect(parsed).toEqual({ errors: [{ message: expect.any(String), code: expect.any(Number), moreInfo: '' }] });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('the nested-array issue was not created, and the issue it targeted is unchanged', async () => {
    const list = await backlog(t, key, 'GET', '/issues', { projectId: [projectId] });
    expect(list.body.map((i: { summary: string }) => i.summary)).toEqual(['Target']);
  });

  it('a raw 0xFF byte in the path (refused by Node before Fastify) answers Backlog’s shape', async () => {
    const port = await listenOnLoopback(t);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(Buffer.concat([Buffer.from('GET /api/v2/issues/'), Buffer.from([0xff]), Buffer.from(`?apiKey=${key} HTTP/1.1\r\nHost: x\r\n\r\n`)])),
      );
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).not.toContain(key);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ errors: [{ message: 'The HTTP request could not be read.', code: 7, moreInfo: '' }] });
  });
});
