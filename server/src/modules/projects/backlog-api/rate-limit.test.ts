import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, backlog } from '../../../test/backlog-client';
import { signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { rateClassOf } from './rate-limit';

describe('Backlog rate limits per user and minute by class (issue 3 §2, TORIDE_BACKLOG_RATE_LIMIT)', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await buildTestApp({ config: { rateLimits: 'on', backlogRateLimit: 'read=3,update=2,search=2,icon=1' } });
    key = await apiKeyOf(await signUpUser(t));
  });
  afterAll(async () => t.close());

  it('classifies requests as Backlog does', () => {
    expect(rateClassOf('GET', '/api/v2/space')).toBe('read');
    expect(rateClassOf('GET', '/api/v2/issues')).toBe('search');
    expect(rateClassOf('GET', '/api/v2/issues/count')).toBe('search');
    expect(rateClassOf('GET', '/api/v2/users/:userId/icon')).toBe('icon');
    expect(rateClassOf('DELETE', '/api/v2/issues/:issueIdOrKey')).toBe('update');
  });

  it('sends X-RateLimit-* and answers 429 code 13 with Retry-After once a class is used up; other classes stay open', async () => {
    const first = await backlog(t, key, 'GET', '/space');
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    expect(Number(first.headers['x-ratelimit-reset'])).toBe(Math.floor(t.clock.now().getTime() / 60_000) * 60 + 60);
    await backlog(t, key, 'GET', '/space');
    await backlog(t, key, 'GET', '/priorities');
    const over = await backlog(t, key, 'GET', '/space');
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ errors: [{ message: 'Too many requests. Try again later.', code: 13, moreInfo: '' }] });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Search and update have their own budgets.
    expect((await backlog(t, key, 'GET', '/issues')).status).toBe(200);
    expect((await backlog(t, key, 'POST', '/projects', { name: 'P', key: 'PP' })).status).toBe(201);

    const status = await backlog(t, key, 'GET', '/rateLimit');
    expect(status.status).toBe(200);
    expect(status.body.rateLimit).toMatchObject({
      read: { limit: 3, remaining: 0 },
      update: { limit: 2, remaining: 1 },
      search: { limit: 2, remaining: 1 },
      icon: { limit: 1, remaining: 1 },
    });

    // A new minute, a new window.
    t.clock.advance(60_000);
    expect((await backlog(t, key, 'GET', '/space')).status).toBe(200);
  });
});

// Its own block, so that only one app is open at a time (PostgreSQL connection limit).
describe('TORIDE_BACKLOG_RATE_LIMIT=off', () => {
  it('is off with TORIDE_BACKLOG_RATE_LIMIT=off', async () => {
    const free = await buildTestApp({ config: { rateLimits: 'on', backlogRateLimit: 'off' } });
    try {
      const freeKey = await apiKeyOf(await signUpUser(free));
      for (let i = 0; i < 5; i++) expect((await backlog(free, freeKey, 'GET', '/space')).headers['x-ratelimit-limit']).toBeUndefined();
      expect((await backlog(free, freeKey, 'GET', '/rateLimit')).body.rateLimit.read).toMatchObject({ limit: 600, remaining: 600 });
    } finally {
      await free.close();
    }
  });
});
