import { expect, test } from '@playwright/test';
import { linkFromOutbox } from './outbox';

/**
 * The foundation's promise in one flow (W6.1, W6.2, W6.4, W6.5, W7.1): sign up, invite a
 * colleague by email, they accept in their own browser, get the invite permission, are removed,
 * and their very next request is refused.
 */
test('sign up → invite → accept → grant invite permission → remove → access ends', async ({ browser, baseURL }) => {
  const stamp = Date.now();
  const adminEmail = `founder-${stamp}@example.test`;
  const memberEmail = `colleague-${stamp}@example.test`;
  const password = 'correct horse battery staple';

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const externalRequests: string[] = [];
  admin.on('request', (request) => {
    if (!request.url().startsWith(baseURL!) && !request.url().startsWith('data:')) externalRequests.push(request.url());
  });

  await admin.goto('/signup');
  const signUp = admin.getByTestId('signup-form');
  await signUp.getByLabel('Name').fill('Fumiko Founder');
  await signUp.getByLabel('Email').fill(adminEmail);
  await signUp.getByLabel('Password').fill(password);
  await signUp.getByLabel('Organization').fill('Kumo Works');
  await signUp.getByLabel('Language').selectOption('en');
  await signUp.getByRole('button', { name: 'Create account' }).click();
  await expect(admin).toHaveURL(/\/orgs\/[\w-]+$/);
  await expect(admin.getByTestId('verify-banner')).toBeVisible();

  await admin.goto(linkFromOutbox(adminEmail, /https?:\/\/\S+\/verify-email\?token=[\w%-]+/));
  await expect(admin.getByText('Your email address is verified.')).toBeVisible();

  await admin.goto('/');
  await admin.getByRole('link', { name: 'Members', exact: true }).click();
  const inviteForm = admin.getByTestId('invite-form');
  await inviteForm.getByLabel('Email').fill(memberEmail);
  await inviteForm.getByLabel('Invite as').selectOption('member');
  await inviteForm.getByRole('button', { name: 'Send invitation' }).click();
  await expect(admin.getByTestId(`invitation-row-${memberEmail}`)).toBeVisible();

  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await member.goto(linkFromOutbox(memberEmail, /https?:\/\/\S+\/invite\/[\w%-]+/));
  await expect(member.getByText('Kumo Works').first()).toBeVisible();
  const accept = member.getByTestId('accept-invitation-form');
  await accept.getByLabel('Name').fill('Kenji Colleague');
  await accept.getByLabel('Password').fill(password);
  await accept.getByRole('button', { name: 'Create account and join' }).click();
  await expect(member).toHaveURL(/\/orgs\/[\w-]+$/);
  const orgPath = new URL(member.url()).pathname;
  await member.goto(`${orgPath}/members`);
  await expect(member.getByTestId(`member-row-${adminEmail}`)).toBeVisible();

  await admin.reload();
  const canInvite = admin.getByTestId(`can-invite-${memberEmail}`);
  await canInvite.check();
  await expect(canInvite).toBeChecked();
  await member.reload();
  await expect(member.getByTestId('invite-form')).toBeVisible();

  await admin.getByTestId(`remove-${memberEmail}`).click();
  await admin.getByTestId('confirm').click();
  await expect(admin.getByTestId(`member-row-${memberEmail}`)).toHaveCount(0);

  const denied = await member.request.get(`/api/v1${orgPath}/members`);
  expect(denied.status()).toBe(404);
  expect((await denied.json()).error.code).toBe('org.not_found');
  await member.reload();
  await expect(member.getByTestId('members-table')).toHaveCount(0);

  expect(externalRequests).toEqual([]);
  await adminContext.close();
  await memberContext.close();
});
