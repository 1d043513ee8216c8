import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerScimErrors } from './scim-errors';

/**
 * Issue 12 §3: a full, read-only, busy or unreachable store answers 503 with Retry-After on /scim/v2
 * too, in the SCIM error schema, without the driver's words. (The Backlog and /api/v1 surfaces are
 * tested against real failing stores in kernel/storage-faults.test.ts.)
 */
describe('SCIM error handler and storage faults', () => {
  it('answers SQLITE_FULL with 503, Retry-After and a SCIM error body', async () => {
    const app = Fastify();
    registerScimErrors(app);
    app.get('/scim/v2/Users', async () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    const answer = await app.inject({ method: 'GET', url: '/scim/v2/Users' });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('60');
    expect(answer.headers['content-type']).toContain('application/scim+json');
    expect(answer.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });
    expect(answer.body).not.toMatch(/SQLITE|disk is full/);
    await app.close();
  });
});
