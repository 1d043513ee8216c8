import { expect, test } from '@playwright/test';
import { linkFromOutbox } from './outbox';
import { csrfOf, password, post } from './session';

/**
 * A project team's daily work in the web app (issue 3 §4, §5), all through `/api/v2` with the
 * session cookie: create a project → add a member → create an issue → comment → change its
 * status → write a wiki page (and a document).
 */
test('create project → add member → create issue → comment → change status → wiki page', async ({ browser, playwright, baseURL }) => {
  test.setTimeout(240_000); // many steps; the shared CI machine is slow under load
  const stamp = Date.now();
  const adminEmail = `pm-${stamp}@example.test`;
  const memberEmail = `dev-${stamp}@example.test`;
  const context = await browser.newContext();
  const page = await context.newPage();

  // The org and a colleague, through the native API (the team-onboarding spec covers those screens).
  const signUp = await post(page.request, '/api/v1/signup', { email: adminEmail, password, name: 'Paula Manager', orgName: 'Kumo Works', locale: 'en' });
  const orgId = signUp.orgs[0].id as string;
  const verifyToken = new URL(linkFromOutbox(adminEmail, /https?:\/\/\S+\/verify-email\?token=[\w%-]+/)).searchParams.get('token');
  await post(page.request, '/api/v1/email-verification/confirm', { token: verifyToken }, await csrfOf(context));
  await post(page.request, `/api/v1/orgs/${orgId}/invitations`, { email: memberEmail, role: 'member' }, await csrfOf(context));
  const inviteToken = linkFromOutbox(memberEmail, /https?:\/\/\S+\/invite\/[\w%-]+/).split('/invite/')[1];
  const colleague = await playwright.request.newContext({ baseURL });
  await post(colleague, `/api/v1/invitations/${inviteToken}/accept`, { name: 'Daichi Developer', password, locale: 'en' });

  // 1. Create the project.
  await page.goto(`/orgs/${orgId}`);
  await page.getByRole('link', { name: 'Projects', exact: true }).first().click();
  await expect(page.getByTestId('projects-page')).toBeVisible();
  await page.getByTestId('project-name').fill('Apollo Launch');
  await page.getByTestId('project-key').fill('apollo');
  await expect(page.getByTestId('project-key')).toHaveValue('APOLLO');
  await page.getByTestId('create-project').click();
  await expect(page).toHaveURL(`${baseURL}/orgs/${orgId}/projects/APOLLO`);
  await expect(page.getByTestId('project-title')).toContainText('Apollo Launch');

  // 2. Add the colleague as a project member.
  await page.getByTestId('project-tab-settings').click();
  await expect(page.getByTestId('settings-members')).toContainText('Paula Manager');
  await page.getByTestId('settings-members-pick').selectOption({ label: 'Daichi Developer' });
  await page.getByTestId('settings-members-add').click();
  await expect(page.getByTestId('settings-members')).toContainText('Daichi Developer');

  // 3. Create an issue assigned to them.
  await page.getByTestId('project-tab-add-issue').click();
  await page.getByTestId('issue-summary').fill('Fuel the rocket');
  await page.getByTestId('issue-type').selectOption({ label: 'Bug' });
  await page.getByTestId('issue-assignee').selectOption({ label: 'Daichi Developer' });
  await page.getByTestId('issue-description').fill('Before the countdown.');
  await page.getByTestId('issue-submit').click();
  await expect(page).toHaveURL(/\/issues\/APOLLO-1$/);
  await expect(page.getByTestId('issue-title')).toHaveText('Fuel the rocket');
  await expect(page.getByTestId('issue-fields')).toContainText('Daichi Developer');
  await expect(page.getByTestId('status-badge').first()).toHaveText('Open');

  // 4. Comment.
  await page.getByTestId('comment-input').fill('Tank is at 40%.');
  await page.getByTestId('comment-submit').click();
  await expect(page.getByTestId('comment').filter({ hasText: 'Tank is at 40%.' })).toBeVisible();

  // 5. Change the status; the change log shows it.
  await page.getByTestId('change-status').selectOption({ label: 'Closed' });
  await page.getByTestId('change-resolution').selectOption({ index: 1 });
  await page.getByTestId('change-status-submit').click();
  await expect(page.getByTestId('issue-detail').getByTestId('status-badge').first()).toHaveText('Closed');
  await expect(page.getByTestId('change-log').last()).toContainText('Closed');

  // The list finds it by keyword and status, and no longer among the open ones.
  await page.getByTestId('project-tab-issues').click();
  await page.getByTestId('filter-keyword').fill('rocket');
  await page.getByTestId('issue-search').click();
  await expect(page.getByTestId('issue-row-APOLLO-1')).toBeVisible();
  await page.getByTestId('filter-status').selectOption('open');
  await expect(page.getByTestId('issue-row-APOLLO-1')).toHaveCount(0);

  // The colleague's key sees the same issue through the Backlog API.
  const viaApi = await page.request.get('/api/v2/issues/APOLLO-1', { headers: { 'x-toride-org': orgId } });
  expect(await viaApi.json()).toMatchObject({ summary: 'Fuel the rocket', status: { name: 'Closed' }, assignee: { name: 'Daichi Developer' } });

  // 6. A wiki page.
  await page.getByTestId('project-tab-wiki').click();
  await page.getByTestId('wiki-new').click();
  await page.getByTestId('wiki-name').fill('Runbooks/Launch day');
  await page.getByTestId('wiki-content').fill('# Launch day\n\n1. Fuel\n2. Countdown');
  await page.getByTestId('wiki-save').click();
  await expect(page.getByTestId('wiki-title')).toHaveText('Runbooks/Launch day');
  await expect(page.getByTestId('wiki-body')).toContainText('Countdown');
  await page.getByTestId('project-tab-wiki').click();
  await expect(page.getByTestId('wiki-tree-link')).toHaveText('Launch day');

  // Rendered Markdown: the heading is a heading, not "# Launch day" text.
  await page.getByTestId('wiki-tree-link').click();
  await expect(page.getByTestId('wiki-body').getByRole('heading', { name: 'Launch day' })).toBeVisible();

  // 7. A document in the project's document tree.
  await page.getByTestId('project-tab-documents').click();
  await page.getByTestId('document-new').click();
  await page.getByTestId('document-title-input').fill('Handbook');
  await page.getByTestId('document-content').fill('How we launch');
  await page.getByTestId('document-save').click();
  await expect(page.getByTestId('document-title')).toHaveText('Handbook');
  await expect(page.getByTestId('document-body')).toContainText('How we launch');
  await page.getByTestId('project-tab-documents').click();
  await expect(page.getByTestId('document-link')).toHaveText('Handbook');

  await colleague.dispose();
  await context.close();
});
