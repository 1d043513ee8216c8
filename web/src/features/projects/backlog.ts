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

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * A classic space's users (features/classic) are no org members: the projects UI runs for them with
 * the org id `classic:<spaceKey>`, which sends the classic session's space header and CSRF token.
 */
export const CLASSIC_ORG_PREFIX = 'classic:';
const CLASSIC_CSRF_COOKIE = 'toride_classic_csrf';

async function send(orgId: string, method: Method, url: string, body?: string | FormData, contentType?: string): Promise<Response> {
  const classic = orgId.startsWith(CLASSIC_ORG_PREFIX);
  const headers: Record<string, string> = { accept: 'application/json', ...(classic ? { 'x-toride-space': orgId.slice(CLASSIC_ORG_PREFIX.length) } : { 'x-toride-org': orgId }) };
  if (method !== 'GET') {
    // Multipart bodies get their boundary from the browser: no content-type of ours then.
    if (contentType) headers['content-type'] = contentType;
    const token = readCookie(classic ? CLASSIC_CSRF_COOKIE : CSRF_COOKIE);
    if (token) headers['x-csrf-token'] = token;
  }
  try {
    return await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network.unreachable', 'The server could not be reached.');
  }
}

export async function backlogRequest<T>(orgId: string, method: Method, path: string, params: Params = {}): Promise<T> {
  const encoded = encodeParams(params);
  const response =
    method === 'GET'
      ? await send(orgId, method, `${API_BASE}${path}${encoded ? `?${encoded}` : ''}`)
      : await send(orgId, method, `${API_BASE}${path}`, encoded, 'application/x-www-form-urlencoded');
  return readAnswer<T>(response);
}

/** `multipart/form-data` (file uploads): `fields` as text parts, then the file as part `file`. */
export async function backlogUpload<T>(orgId: string, path: string, fields: Record<string, string>, file: File): Promise<T> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', file, file.name);
  return readAnswer<T>(await send(orgId, 'POST', `${API_BASE}${path}`, form));
}

/**
 * Downloads need the org header, which a plain link cannot send: fetch the bytes and hand them to
 * the browser as a saved file under `name`.
 */
export async function backlogDownload(orgId: string, path: string, name: string): Promise<void> {
  const response = await send(orgId, 'GET', `${API_BASE}${path}`);
  if (!response.ok) await readAnswer(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Chromium reads the blob asynchronously after the click; revoke a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function readAnswer<T>(response: Response): Promise<T> {
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
