import { expect, test, type Page } from '@playwright/test';
import { currentTotp } from '../server/src/kernel/totp';

/**
 * Account security in the browser (W2.4, W6.3, W8.1, W9.1): turn on 2FA with an authenticator
 * code, sign in again with a code, create and use an API key, sign other sessions out, and
 * delete the account.
 */
const password = 'correct horse battery staple';

async function signUp(page: Page, email: string) {
  await page.goto('/signup');
  const form = page.getByTestId('signup-form');
  await form.getByLabel('Name').fill('Sora Secure');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByLabel('Organization').fill('Secure Co');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/orgs\/[\w-]+$/);
}

/** A TOTP code from the next 30-second step, so the server never sees the same step twice. */
async function freshCode(secret: string): Promise<string> {
  const step = 30_000;
  await new Promise((resolve) => setTimeout(resolve, step - (Date.now() % step) + 200));
  return currentTotp(secret, new Date());
}

test('2FA sign-in, API key, sign out elsewhere, delete account', async ({ browser }) => {
  test.setTimeout(150_000);
  const email = `secure-${Date.now()}@example.test`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, email);

  await page.goto('/account/security');
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const secret = (await page.getByTestId('two-factor-secret').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByTestId('two-factor-enable-form').getByLabel('Authentication code').fill(currentTotp(secret, new Date()));
  await page.getByTestId('two-factor-enable-form').getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('recovery-codes')).toBeVisible();
  await page.getByRole('button', { name: 'I have saved them' }).click();

  const laptop = await browser.newContext();
  const second = await laptop.newPage();
  await second.goto('/signin');
  const signIn = second.getByTestId('signin-form');
  await signIn.getByLabel('Email').fill(email);
  await signIn.getByLabel('Password').fill(password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  const step = second.getByTestId('two-factor-form');
  await expect(step).toBeVisible();
  await step.getByLabel('Authentication code').fill(await freshCode(secret));
  await step.getByRole('button', { name: 'Verify' }).click();
  await expect(second).toHaveURL(/\/orgs\/[\w-]+$/);

  await page.goto('/account/api-keys');
  const keyForm = page.getByTestId('api-key-form');
  await keyForm.getByLabel('Key name').fill('deploy script');
  await keyForm.getByRole('button', { name: 'Create key' }).click();
  const apiKey = (await page.getByTestId('api-key-secret').locator('code').innerText()).trim();
  expect(apiKey).toMatch(/^trd_/);
  const viaKey = await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${apiKey}` } });
  expect(viaKey.status()).toBe(200);

  await page.goto('/account/security');
  await page.getByTestId('revoke-other-sessions').click();
  await expect(page.getByTestId('revoke-other-sessions')).toHaveCount(0);
  expect((await second.request.get('/api/v1/me')).status()).toBe(401);

  await page.goto('/account/delete');
  const remove = page.getByTestId('delete-account-form');
  await remove.getByLabel('Password').fill(password);
  await remove.getByLabel('Authentication code').fill(await freshCode(secret));
  await remove.getByLabel('I understand that my account will be deleted permanently.').check();
  await remove.getByRole('button', { name: 'Delete my account' }).click();
  const confirm = page.getByTestId('confirm');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${apiKey}` } })).status()).toBe(401);

  await context.close();
  await laptop.close();
});
