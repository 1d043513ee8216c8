import { expect, test } from '@playwright/test';
import { linkFromOutbox } from './outbox';

/** W6.6: an org admin sets up the project space from the web: an OAuth app, the classic space and its first Administrator. */
test('org admin restricts a member, registers an OAuth app, turns on the classic space and adds its first Administrator', async ({ page, context, playwright, baseURL }) => {
  const password = 'correct horse battery staple';
  const stamp = Date.now();
  const signUp = await page.request.post('/api/v1/signup', { data: { email: `space-${stamp}@example.test`, password, name: 'Ada Admin', orgName: 'Space Co', locale: 'en' } });
  const orgId = (await signUp.json()).orgs[0].id as string;
  const csrf = async () => ({ 'x-csrf-token': (await context.cookies()).find((c) => c.name === 'toride_csrf')?.value ?? '' });
  const verifyToken = new URL(linkFromOutbox(`space-${stamp}@example.test`, /https?:\/\/\S+\/verify-email\?token=[\w%-]+/)).searchParams.get('token');
  expect((await page.request.post('/api/v1/email-verification/confirm', { headers: await csrf(), data: { token: verifyToken } })).ok()).toBe(true);
  const memberEmail = `space-member-${stamp}@example.test`;
  expect((await page.request.post(`/api/v1/orgs/${orgId}/invitations`, { headers: await csrf(), data: { email: memberEmail, role: 'member' } })).status()).toBe(201);
  const inviteToken = linkFromOutbox(memberEmail, /https?:\/\/\S+\/invite\/[\w%-]+/).split('/invite/')[1];
  const member = await playwright.request.newContext({ baseURL });
  expect((await member.post(`/api/v1/invitations/${inviteToken}/accept`, { data: { name: 'Mio Member', password, locale: 'en' } })).status()).toBe(200);
  await page.goto(`/orgs/${orgId}/settings`);
  await page.getByTestId('org-settings-project-space-link').click();
  await expect(page).toHaveURL(`/orgs/${orgId}/settings/projects`);
  await expect(page.getByRole('heading', { level: 1, name: 'Project space' })).toBeVisible();
  await expect(page.getByTestId(`restriction-row-space-${stamp}@example.test`).getByTestId('restriction-admin')).toHaveText('Administrator');
  await page.getByRole('combobox', { name: 'Access in projects for Mio Member' }).selectOption('view_only');
  await expect
    .poll(async () => (await (await page.request.get(`/api/v1/orgs/${orgId}/projects/restrictions`)).json()).restrictions)
    .toEqual([expect.objectContaining({ restriction: 'view_only' })]);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Access in projects for Mio Member' })).toHaveValue('view_only');

  await page.getByTestId('oauth-app-name').fill('CI bot');
  await page.getByTestId('oauth-app-redirect').fill('https://ci.example.test/callback');
  await page.getByTestId('oauth-app-register').click();
  await expect(page.getByTestId('oauth-app-client-secret')).not.toBeEmpty();
  await expect(page.getByTestId('oauth-app-row-CI bot')).toBeVisible();
  await page.getByTestId('oauth-app-secret-done').click();
  await expect(page.getByTestId('oauth-app-secret')).toHaveCount(0);
  await page.getByTestId('oauth-app-delete-CI bot').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('oauth-app-row-CI bot')).toHaveCount(0);

  await expect(page.getByTestId('classic-status')).toHaveText('Not a classic space');
  await page.getByTestId('classic-limit-input').fill('5');
  await page.getByTestId('classic-limit-save').click();
  await expect(page.getByTestId('classic-status')).toHaveText('Classic space: 0 of 5 users');
  await expect(page.getByTestId('classic-sign-in-link')).toHaveAttribute('href', /^\/classic\/t[0-9a-f]+\/sign-in$/);

  await page.getByTestId('classic-user-id').fill('kim');
  await page.getByTestId('classic-user-name').fill('Kim Admin');
  await page.getByTestId('classic-user-email').fill('kim@example.test');
  await page.getByTestId('classic-user-role').selectOption('1');
  await page.getByTestId('classic-add-user').click();
  await expect(page.getByText('User added. The initial password was sent to kim@example.test.')).toBeVisible();
  await expect(page.getByTestId('classic-status')).toHaveText('Classic space: 1 of 5 users');
  await member.dispose();
});
