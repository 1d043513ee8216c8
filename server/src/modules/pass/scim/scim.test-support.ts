import { expect } from 'vitest';
import type { TestUser } from '../../../test/factories';
import type { TestApp } from '../../../test/harness';
import { TestClient } from '../../../test/client';
// Test-only: a managed account signs in through the org's IdP; tests issue its session directly.
// eslint-disable-next-line no-restricted-imports
import { issueSession } from '../../identity/sessions.service';

/** Test helpers for SCIM: a client speaking `application/scim+json` with a bearer token. */
export interface ScimResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, asserted field by field
  body: any;
  headers: Record<string, unknown>;
}

export class ScimClient {
  constructor(
    private readonly t: TestApp,
    public token: string,
  ) {}

  async request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, contentType = 'application/scim+json'): Promise<ScimResponse> {
    const response = await this.t.app.inject({
      method,
      url: `/scim/v2${path}`,
      headers: {
        authorization: `Bearer ${this.token}`,
        'user-agent': 'vitest-scim',
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined, headers: response.headers };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown) => this.request('POST', path, body);
  put = (path: string, body: unknown) => this.request('PUT', path, body);
  patch = (path: string, body: unknown) => this.request('PATCH', path, body);
  delete = (path: string) => this.request('DELETE', path);
}

export const tokensUrl = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/pass/scim/tokens${rest}`;

export async function issueScimToken(t: TestApp, admin: TestUser, label = 'Okta'): Promise<{ id: string; secret: string; scim: ScimClient }> {
  const response = await admin.client.post(tokensUrl(admin.orgId), { label });
  expect(response.status).toBe(201);
  return { id: response.body.token.id, secret: response.body.secret, scim: new ScimClient(t, response.body.secret) };
}

export function expectScimError(response: ScimResponse, status: number, scimType?: string) {
  expect(response.status).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/scim+json');
  expect(response.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status) });
  expect(typeof response.body.detail).toBe('string');
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.ts:\d+|stack/i);
  if (scimType) expect(response.body.scimType).toBe(scimType);
  else expect(response.body.scimType).toBeUndefined();
}

/** A browser signed in as an account, the way the SSO callback issues the session. */
export async function browserOf(t: TestApp, accountId: string): Promise<TestClient> {
  const session = await issueSession(t.identity.deps, accountId, { ip: '127.0.0.1', userAgent: 'vitest', requestId: 'test' });
  const client = new TestClient(t.app);
  client.setCookie('toride_session', session.token);
  client.setCookie('toride_csrf', session.csrfToken);
  return client;
}

export const userBody = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  ...extra,
});
