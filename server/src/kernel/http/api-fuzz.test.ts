import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOf } from '../../test/backlog-client';
import { signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';
import { badlyShaped, badValue, DEEP_ARRAY_TEXT, goodShaped, type JsonSchema } from '../../test/openapi-arbitrary';
import { errorBody } from './openapi';

/**
 * Property-based fuzzing of `/api/v1` from its own OpenAPI document (issue 12 §7), as a signed-in org
 * admin: for every operation, good-shaped and bad inputs (bodies, path and query parameters, raw text,
 * deep nesting, NUL, huge numbers, bad percent-encodings, over-long segments). Each answer must be
 * documented for its operation, never a 500, every error body in the Error schema, and no body may echo
 * the URL or an API key. Runs are bounded (seeded, a few per operation) to stay well under a minute.
 */
type Operation = {
  method: string;
  path: string;
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, unknown>;
};

// Operations that would end the fuzzing session itself: it is the caller, not the input, that changes.
const SKIP = new Set(['DELETE /api/v1/sessions/current', 'POST /api/v1/me/delete', 'POST /api/v1/me/password', 'DELETE /api/v1/me/sessions']);
const RUNS_PER_OPERATION = Number(process.env.TORIDE_FUZZ_RUNS ?? 25);

let t: TestApp;
let admin: TestUser;
let apiKey: string;
let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, JsonSchema> } };
const operations: Operation[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpUser(t, { orgName: 'Fuzz' });
  apiKey = await apiKeyOf(admin);
  doc = (await admin.client.get('/api/openapi.json')).body;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!path.startsWith('/api/v1/') || SKIP.has(`${method.toUpperCase()} ${path}`)) continue;
      operations.push({ ...operation, method: method.toUpperCase(), path });
    }
  }
});
afterAll(async () => t?.close());

/** A path parameter: mostly the admin's real org (so handlers run deep), else anything. */
const pathValue = (name: string) =>
  fc.oneof(
    { weight: name === 'orgId' ? 6 : 1, arbitrary: fc.constant(name === 'orgId' ? '__ORG__' : '1') },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('%FF%FE', '%00', 'x'.repeat(150), '..', '%2e%2e', '-1', '99999999999999999999', '%E2%80%AE') },
  );

interface FuzzRequest {
  url: string;
  payload?: string;
  contentType?: string;
  withKeyInQuery: boolean;
}

function requestArbitrary(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
  const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  const components = doc.components.schemas;
  const path = fc.tuple(...pathParams.map((p) => pathValue(p.name).map((v) => [p.name, v] as const)));
  const query = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(fc.oneof(goodShaped(p.schema, components), badValue).map((v) => [p.name, typeof v === 'string' ? v : JSON.stringify(v)] as const), { nil: undefined }),
    ),
  );
  const body: fc.Arbitrary<{ payload?: string; contentType?: string }> = bodySchema
    ? fc.oneof(
        { weight: 4, arbitrary: goodShaped(bodySchema, components).map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })) },
        { weight: 4, arbitrary: badlyShaped(bodySchema, components).map((v) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' })) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            { payload: `{"x":${DEEP_ARRAY_TEXT}}`, contentType: 'application/json' },
            { payload: '{"a":', contentType: 'application/json' },
            { payload: '{"a":"\\u0000"}', contentType: 'application/json' },
            { payload: '{"__proto__":{"admin":true}}', contentType: 'application/json' },
            { payload: 'a=1&b[]=2', contentType: 'application/x-www-form-urlencoded' },
            { payload: '<x/>', contentType: 'application/xml' },
            { payload: '', contentType: 'application/json' },
          ),
        },
      )
    : fc.constant({});
  return fc.tuple(path, query, body, fc.boolean()).map(([pathValues, queryValues, b, withKeyInQuery]) => {
    let url = operation.path;
    for (const [name, value] of pathValues) url = url.replace(`{${name}}`, value === '__ORG__' ? admin.orgId : value);
    const search = new URLSearchParams();
    for (const entry of queryValues) if (entry) search.append(entry[0], entry[1]);
    if (withKeyInQuery) search.append('apiKey', apiKey);
    const qs = search.toString();
    return { url: qs ? `${url}?${qs}` : url, withKeyInQuery, ...b };
  });
}

async function send(request: FuzzRequest, method: string) {
  const headers: Record<string, string> = { 'x-csrf-token': admin.client.csrfToken ?? '' };
  headers.cookie = `toride_session=${admin.client.cookie('toride_session')}; toride_csrf=${admin.client.csrfToken}`;
  if (request.contentType) headers['content-type'] = request.contentType;
  return t.app.inject({ method: method as 'GET', url: request.url, headers, ...(request.payload !== undefined && method !== 'GET' ? { payload: request.payload } : {}) });
}

describe('fuzzing /api/v1 from its OpenAPI document (issue 12 §7)', () => {
  it('covers every documented /api/v1 operation', () => {
    expect(operations.length).toBeGreaterThan(90);
  });

  it('never answers 500, only documented statuses, errors in the Error schema, no echoed URL or key', async () => {
    const violations: string[] = [];
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(operation), async (request) => {
          const response = await send(request, operation.method);
          const where = `${operation.method} ${operation.path} → ${response.statusCode}`;
          if (response.statusCode >= 500) violations.push(`${where}: ${response.body.slice(0, 200)}`);
          if (!(String(response.statusCode) in operation.responses)) violations.push(`${where}: status not documented (${request.url.slice(0, 80)})`);
          if (response.statusCode >= 400) {
            const parsed = errorBody.safeParse(safeJson(response.body));
            if (!parsed.success) violations.push(`${where}: error body not in the Error schema: ${response.body.slice(0, 200)}`);
          }
          if (response.body.includes(apiKey)) violations.push(`${where}: the API key was echoed`);
          if (request.url.includes('?') && response.body.includes(request.url)) violations.push(`${where}: the URL was echoed`);
        }),
        { numRuns: RUNS_PER_OPERATION, seed: 12_007, endOnFailure: true },
      );
    }
    expect([...new Set(violations)]).toEqual([]);
    // ~2,500 requests: 3 s on a quiet SQLite machine, over 30 s on PostgreSQL while CI shares the cores.
  }, 180_000);
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
