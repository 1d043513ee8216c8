import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf, listenOnLoopback } from '../../test/backlog-client';
import { signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { jsonDepthExceeds, readJsonBody } from './body-limits';

/**
 * One error shape per surface, framework errors included (issue 12 §7): what Fastify and Node answer
 * before any route is chosen (a bad percent-encoding, an over-long parameter, bytes Node's HTTP parser
 * refuses) is rendered by the surface the path belongs to, and never echoes the URL.
 */
const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let t: TestApp;
let admin: TestUser;
let key: string;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpUser(t, { orgName: 'Surfaces' });
  key = await apiKeyOf(admin);
});
afterAll(async () => t?.close());

const shapes = {
  v1: (body: unknown) => expect(body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } }),
  v2: (body: unknown) => expect(body).toEqual({ errors: [{ message: expect.any(String), code: expect.any(Number), moreInfo: '' }] }),
  scim: (body: unknown) => expect(body).toMatchObject({ schemas: [SCIM_ERROR], status: expect.any(String), detail: expect.any(String) }),
};
const prefixes = { v1: '/api/v1/orgs', v2: '/api/v2/issues', scim: '/scim/v2/Users' } as const;

describe('framework errors in each surface’s shape (issue 12 §7)', () => {
  it.each(Object.keys(prefixes) as (keyof typeof prefixes)[])('%s: %FF%FE in the path is a 400 that does not echo the URL or its key', async (surface) => {
    const response = await t.app.inject({ method: 'GET', url: `${prefixes[surface]}/%FF%FE?apiKey=${key}` });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain(key);
    expect(response.body).not.toContain('%FF');
    shapes[surface](response.json());
  });

  it('an over-long path parameter is a 414 in the native shape, not FST_ERR_MAX_PARAM_LENGTH', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${'a'.repeat(200)}?apiKey=${key}` });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toEqual({ error: { code: 'request.uri_too_long', message: 'A path segment of the URL is too long.' } });
  });

  it('an over-long path parameter on SCIM answers in SCIM’s shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/scim/v2/Users/${'a'.repeat(200)}` });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    shapes.scim(response.json());
  });

  it.each(Object.keys(prefixes) as (keyof typeof prefixes)[])('%s: a raw 0xFF byte in the path answers 400 in the surface’s shape', async (surface) => {
    const port = await listenOnLoopback(t).catch(() => (t.app.server.address() as { port: number }).port);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(Buffer.concat([Buffer.from(`GET ${prefixes[surface]}/`), Buffer.from([0xff]), Buffer.from(`?apiKey=${key} HTTP/1.1\r\nHost: x\r\n\r\n`)])),
      );
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).not.toContain(key);
    shapes[surface](JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)));
  });

  it('unknown routes never echo the path or query', async () => {
    for (const url of [`/api/v1/nothing/${key}?apiKey=${key}`, `/api/v2/nothing/${key}?apiKey=${key}`]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain(key);
    }
  });

  it('JSON too deep, with NUL or with __proto__ is a 400 before any handler, in each surface’s shape', async () => {
    const deep = `{"name":${'['.repeat(50)}${']'.repeat(50)}}`;
    for (const payload of [deep, '{"name":"a\\u0000b"}', '{"__proto__":{"x":1}}']) {
      const v1 = await admin.client.request('POST', '/api/v1/orgs', payload, { 'content-type': 'application/json' });
      expect(v1.status).toBe(400);
      shapes.v1(v1.body);
      const v2 = await t.app.inject({ method: 'POST', url: '/api/v2/projects', headers: { 'backlog-api-key': key, 'content-type': 'application/json' }, payload });
      expect(v2.statusCode).toBe(400);
      shapes.v2(v2.json());
      const scim = await t.app.inject({ method: 'POST', url: '/scim/v2/Users', headers: { 'content-type': 'application/scim+json' }, payload });
      expect(scim.statusCode).toBeGreaterThanOrEqual(400);
      shapes.scim(scim.json());
    }
    const tooDeep = await admin.client.request('POST', '/api/v1/orgs', deep, { 'content-type': 'application/json' });
    expect(tooDeep.body.error.code).toBe('request.too_deep');
  });

  it('a NUL in the query of the native API is a 400 request.invalid_character', async () => {
    const response = await admin.client.get(`/api/v1/orgs/${admin.orgId}/audit-events?action=%00`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('request.invalid_character');
  });
});

describe('the JSON reader (issue 12 §7)', () => {
  it('measures depth without recursion and ignores brackets inside strings', () => {
    expect(jsonDepthExceeds('[[[]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[]]]]', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[[[[[["}', 2)).toBe(false);
    expect(jsonDepthExceeds('{"a":"\\"[[[["}', 1)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(1_000_000), 32)).toBe(true);
  });

  it('refuses constructor.prototype like Fastify’s default parser, keeps ordinary values', () => {
    expect(() => readJsonBody('{"constructor":{"prototype":{"x":1}}}')).toThrow(/forbidden key/);
    expect(readJsonBody('{"constructor":"fine","a":[1,{"b":null}]}')).toEqual({ constructor: 'fine', a: [1, { b: null }] });
    expect(readJsonBody('', {})).toEqual({});
    expect(() => readJsonBody('')).toThrow();
  });
});

describe('the OpenAPI document tells the truth (issue 12 §7)', () => {
  it('has servers, security schemes and the Error schema; public operations need no credentials', async () => {
    const doc = (await admin.client.get('/api/openapi.json')).body;
    expect(doc.servers).toEqual([{ url: 'http://127.0.0.1:3000', description: 'This deployment' }]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'csrfToken', 'operatorSession', 'session']);
    expect(doc.components.schemas.Error.required).toEqual(['error']);
    expect(doc.paths['/api/v1/signup'].post.security).toEqual([]);
    expect(doc.paths['/api/v1/me'].get.security).toEqual([{ session: [], csrfToken: [] }, { apiKey: [] }]);
  });

  it('lists the real success code and the error responses of every operation', async () => {
    const doc = (await admin.client.get('/api/openapi.json')).body;
    const op = (path: string, method: string) => doc.paths[path][method].responses;
    expect(Object.keys(op('/api/v1/orgs/{orgId}/teams/{teamId}', 'delete'))).toEqual(expect.arrayContaining(['204', '400', '401', '403', '404', '414', '500', '503']));
    expect(op('/api/v1/orgs/{orgId}/teams/{teamId}', 'delete')['204']).toEqual({ description: 'No content' });
    expect(Object.keys(op('/api/v1/orgs/{orgId}/projects/oauth-apps', 'post'))).toContain('201');
    expect(Object.keys(op('/api/v1/me/email', 'post'))).toContain('202');
    expect(op('/api/v1/me', 'get')['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const codes = Object.keys(operation.responses);
        expect(codes.some((c) => c.startsWith('2')), `${method} ${path} has a success`).toBe(true);
        expect(codes, `${method} ${path} documents 400`).toContain('400');
      }
    }
  });
});
