import { Backlog } from 'backlog-js';
import type { TestApp } from './harness';
import type { TestUser } from './factories';

/** Test helpers for the Backlog surface: API keys through the real API, form-encoded requests. */
export async function apiKeyOf(user: TestUser): Promise<string> {
  const response = await user.client.post('/api/v1/me/api-keys', { name: 'backlog', orgId: user.orgId });
  if (response.status !== 201) throw new Error(`api key failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.secret as string;
}

export type Form = Record<string, string | number | boolean | (string | number)[]>;

/** Encodes like backlog-js (qs, arrayFormat "brackets"). */
export function encodeForm(form: Form): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (Array.isArray(value)) for (const v of value) params.append(`${key}[]`, String(v));
    else params.append(key, String(value));
  }
  return params.toString();
}

export interface BacklogResponse {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

/** One Backlog call through `app.inject`, authenticated with the `Backlog-API-Key` header by default. */
export async function backlog(t: TestApp, key: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, form?: Form, auth: 'header' | 'query' | 'bearer' = 'header'): Promise<BacklogResponse> {
  const headers: Record<string, string> = {};
  let url = `/api/v2${path}`;
  if (key && auth === 'header') headers['backlog-api-key'] = key;
  if (key && auth === 'bearer') headers.authorization = `Bearer ${key}`;
  if (key && auth === 'query') url += `${url.includes('?') ? '&' : '?'}apiKey=${encodeURIComponent(key)}`;
  let payload: string | undefined;
  if (form && method !== 'GET') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = encodeForm(form);
  } else if (form) url += `${url.includes('?') ? '&' : '?'}${encodeForm(form)}`;
  const response = await t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  let body: unknown = response.body;
  try {
    body = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.statusCode, body, headers: response.headers };
}

/** backlog-js against the test server: backlog-js always builds https URLs, the test server speaks plain http. */
export const backlogClient = (port: number, apiKey: string) =>
  new Backlog({ host: `127.0.0.1:${port}`, apiKey, fetch: (url, init) => fetch(String(url).replace(/^https:\/\//, 'http://'), init) });

/** Starts the app on a free loopback port (for clients that need a real socket) and returns the port. */
export async function listenOnLoopback(t: TestApp): Promise<number> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
