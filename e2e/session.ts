import { expect, type APIRequestContext, type BrowserContext } from '@playwright/test';

/** The password every e2e account signs up with. */
export const password = 'correct horse battery staple';

/** The JavaScript-readable CSRF cookie a cookie-authenticated write must echo (docs/en/api.md). */
export async function csrfOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'toride_csrf');
  if (!cookie) throw new Error('no CSRF cookie');
  return cookie.value;
}

/** A JSON POST that must succeed; its answer body, or null for 204. */
export async function post(request: APIRequestContext, url: string, data: unknown, csrf?: string) {
  const response = await request.post(url, { data, headers: csrf ? { 'x-csrf-token': csrf } : {} });
  expect(response.ok(), `${url}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return response.status() === 204 ? null : response.json();
}
