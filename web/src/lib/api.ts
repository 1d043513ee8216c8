export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  body?: unknown;
  csrfToken?: string | null;
  signal?: AbortSignal;
}

const API_BASE = '/api/v1';
const CSRF_COOKIE = 'toride_csrf';

let sessionCsrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  sessionCsrfToken = token;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [rawKey, ...rest] = part.trim().split('=');
    if (rawKey === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value;
}

async function parseBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = options.csrfToken ?? sessionCsrfToken ?? readCookie(CSRF_COOKIE);
    if (token) headers['x-csrf-token'] = token;
  }

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network.unreachable', 'The server could not be reached.');
  }

  const data = await parseBody(response);
  if (response.ok) return data as T;

  if (isErrorBody(data) && data.error) {
    const { code, message, details } = data.error;
    throw new ApiError(
      response.status,
      code ?? `http.${response.status}`,
      message ?? response.statusText,
      details,
    );
  }
  throw new ApiError(response.status, `http.${response.status}`, response.statusText || 'Request failed');
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>(path, { signal }),
  post: <T>(path: string, body?: unknown, csrfToken?: string | null) =>
    request<T>(path, { method: 'POST', body: body ?? {}, csrfToken }),
  patch: <T>(path: string, body: unknown, csrfToken?: string | null) =>
    request<T>(path, { method: 'PATCH', body, csrfToken }),
  put: <T>(path: string, body: unknown, csrfToken?: string | null) =>
    request<T>(path, { method: 'PUT', body, csrfToken }),
  delete: <T = void>(path: string, csrfToken?: string | null) =>
    request<T>(path, { method: 'DELETE', csrfToken }),
};

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
