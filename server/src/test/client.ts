import type { FastifyInstance, InjectOptions } from 'fastify';

export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/**
 * A browser-like caller over `app.inject`: it keeps cookies, sends the CSRF header the way the
 * web app does, and can present an API key instead.
 */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  apiKey: string | null = null;
  ip = '127.0.0.1';

  constructor(private readonly app: FastifyInstance) {}

  get csrfToken(): string | undefined {
    return this.cookies.get('toride_csrf');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  forgetCookies(): void {
    this.cookies.clear();
  }

  async request<T = any>(method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<TestResponse<T>> {
    const all: Record<string, string> = { ...headers };
    if (this.cookies.size > 0) all.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.apiKey) all.authorization = `Bearer ${this.apiKey}`;
    if (method !== 'GET' && this.csrfToken && !('x-csrf-token' in headers)) all['x-csrf-token'] = this.csrfToken;
    const response = await this.app.inject({ method, url, headers: all, remoteAddress: this.ip, ...(payload !== undefined ? { payload: payload as object } : {}) });
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const text = response.body;
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.statusCode, body: body as T, headers: response.headers };
  }

  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, payload: unknown = {}) => this.request<T>('POST', url, payload);
  patch = <T = any>(url: string, payload: unknown) => this.request<T>('PATCH', url, payload);
  put = <T = any>(url: string, payload: unknown) => this.request<T>('PUT', url, payload);
  delete = <T = any>(url: string) => this.request<T>('DELETE', url);
}
