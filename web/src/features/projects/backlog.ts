import { ApiError } from '../../lib/api';

/**
 * The web app's client for the Backlog-compatible API (`/api/v2`): the session cookie authenticates,
 * `X-Toride-Org` names the org's space, writes echo the CSRF cookie and bodies are form-encoded
 * with `key[]` arrays, exactly like backlog-js.
 */
const API_BASE = '/api/v2';
const CSRF_COOKIE = 'toride_csrf';

export type Params = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [rawKey, ...rest] = part.trim().split('=');
    if (rawKey === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** `qs` with `arrayFormat: "brackets"`, as backlog-js sends it; `null` clears a field (`a=`), `undefined` is left out. */
export function encodeParams(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) search.append(`${key}[]`, String(item));
    else search.append(key, value === null ? '' : String(value));
  }
  return search.toString();
}

interface BacklogErrorBody {
  errors?: { message?: string; code?: number }[];
}

export async function backlogRequest<T>(orgId: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, params: Params = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-toride-org': orgId };
  const encoded = encodeParams(params);
  let url = `${API_BASE}${path}`;
  let body: string | undefined;
  if (method === 'GET') {
    if (encoded) url += `?${encoded}`;
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const token = readCookie(CSRF_COOKIE);
    if (token) headers['x-csrf-token'] = token;
    body = encoded;
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network.unreachable', 'The server could not be reached.');
  }
  const text = response.status === 204 ? '' : await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (response.ok) return data as T;
  const first = (data as BacklogErrorBody | undefined)?.errors?.[0];
  throw new ApiError(response.status, `backlog.${first?.code ?? response.status}`, first?.message ?? response.statusText);
}

export const backlog = {
  get: <T>(orgId: string, path: string, params?: Params) => backlogRequest<T>(orgId, 'GET', path, params),
  post: <T>(orgId: string, path: string, params?: Params) => backlogRequest<T>(orgId, 'POST', path, params),
  patch: <T>(orgId: string, path: string, params?: Params) => backlogRequest<T>(orgId, 'PATCH', path, params),
  delete: <T>(orgId: string, path: string, params?: Params) => backlogRequest<T>(orgId, 'DELETE', path, params),
};
