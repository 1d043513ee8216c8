import { expect, test, type APIRequestContext } from '@playwright/test';
import { linkFromOutbox } from './outbox';
import { csrfOf, password } from './session';

/**
 * A classic space's own user in the web app (W6.6, W8.2): the space's sign-in with the first-sign-in
 * password change, then the projects UI on the classic session — create an issue, comment — and sign-out.
 */
async function call(request: APIRequestContext, method: 'GET' | 'POST' | 'PUT', url: string, data: unknown, headers: Record<string, string>) {
  const form: Record<string, string> = typeof data === 'string' ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
  const response = await request.fetch(url, { method, headers: { ...headers, ...form }, ...(data === null ? {} : { data }) });
  expect(response.ok(), `${url}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return response.status() === 204 ? null : response.json();
}

test('classic user: space sign-in → new password → projects UI → issue and comment → sign out', async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const adminEmail = `classic-admin-${stamp}@example.test`;
  const userEmail = `classic-user-${stamp}@example.test`;
  const adminContext = await browser.newContext();
  const admin = (await adminContext.newPage()).request;

  // The org admin turns the space into a classic space and creates a project and a Normal User (API).
  const signUp = await call(admin, 'POST', '/api/v1/signup', { email: adminEmail, password, name: 'Ada Admin', orgName: 'Classic Works', locale: 'en' }, {});
  const orgId = signUp.orgs[0].id as string;
  const verifyToken = new URL(linkFromOutbox(adminEmail, /https?:\/\/\S+\/verify-email\?token=[\w%-]+/)).searchParams.get('token');
  await call(admin, 'POST', '/api/v1/email-verification/confirm', { token: verifyToken }, { 'x-csrf-token': await csrfOf(adminContext) });
  const v2 = { 'x-toride-org': orgId, 'x-csrf-token': await csrfOf(adminContext) };
  await call(admin, 'PUT', `/api/v1/orgs/${orgId}/projects/classic`, { userLimit: 5 }, { 'x-csrf-token': await csrfOf(adminContext) });
  const spaceKey = (await call(admin, 'GET', '/api/v2/space', null, v2)).spaceKey as string;
  await call(admin, 'POST', '/api/v2/projects', 'name=Classic%20Launch&key=CLS', v2);
  const user = await call(admin, 'POST', '/api/v2/users', `userId=nora-${stamp}&password=x&name=Nora%20Normal&mailAddress=${encodeURIComponent(userEmail)}&roleType=2`, v2);
  await call(admin, 'POST', '/api/v2/projects/CLS/users', `userId=${user.id}`, v2);
  const initial = linkFromOutbox(userEmail, /Initial password: \S+/).replace('Initial password: ', '');

  // The classic user signs in on the space's own page and must choose a new password.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/classic/${spaceKey}/sign-in`);
  await page.getByLabel('User ID').fill(`nora-${stamp}`);
  await page.getByLabel('Password', { exact: true }).fill(initial);
  await page.getByTestId('classic-signin-submit').click();
  await page.getByTestId('classic-new-password').fill('a brand new passphrase');
  await page.getByTestId('classic-confirm-password').fill('a brand new passphrase');
  await page.getByTestId('classic-signin-submit').click();

  // They land in the space's projects, in the ordinary projects pages.
  await expect(page.getByTestId('projects-page')).toBeVisible();
  // The space key is [a-z0-9] only (server-generated), so it is safe inside a pattern.
  // eslint-disable-next-line security/detect-non-literal-regexp
  await expect(page).toHaveURL(new RegExp(`/classic/${spaceKey}/orgs/classic(:|%3A)${spaceKey}/projects$`));
  await expect(page.getByTestId('classic-account')).toContainText('Normal User');
  await page.getByRole('link', { name: /Classic Launch/ }).first().click();
  await expect(page.getByTestId('project-title')).toContainText('Classic Launch');
  await page.getByTestId('project-tab-add-issue').click();
  await page.getByTestId('issue-summary').fill('Written by a classic user');
  await page.getByTestId('issue-submit').click();
  await expect(page).toHaveURL(/\/issues\/CLS-1$/);
  await page.getByTestId('comment-input').fill('Noted.');
  await page.getByTestId('comment-submit').click();
  await expect(page.getByTestId('comment').filter({ hasText: 'Noted.' })).toBeVisible();

  // The classic session opens nothing of the platform.
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);

  await page.getByTestId('classic-sign-out').click();
  await expect(page.getByTestId('classic-signin-form')).toBeVisible();
  await context.close();
  await adminContext.close();
});
