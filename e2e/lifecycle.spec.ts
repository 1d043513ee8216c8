import { execFileSync } from 'node:child_process';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { TOTP } from 'otpauth';

/**
 * Data lifecycle visibility (issue 5 §5, W4.1, W4.8, W4.12): an operator schedules a service sunset
 * in the console and the org admin's "Data & contract" timeline shows it; the admin deletes the org
 * (the dialog states the dates), sees the grace-period timeline, and restores it.
 */
const PASSWORD = 'correct horse battery staple';
const ROOT = path.resolve(import.meta.dirname, '..');

async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signUp(page: Page, orgName: string): Promise<string> {
  const response = await page.request.post('/api/v1/signup', {
    data: { email: `lifecycle-${Date.now()}-${Math.random().toString(16).slice(2, 6)}@example.test`, password: PASSWORD, name: 'Lina Lifecycle', orgName, locale: 'en' },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).orgs[0].id as string;
}

function createOperator(email: string): string {
  const output = execFileSync('node', ['bin/toride.mjs', 'operator', 'create', '--email', email, '--name', 'Oda Ops', '--password-stdin'], {
    cwd: ROOT,
    env: { ...process.env, TORIDE_DATA_DIR: process.env.TORIDE_E2E_DATA_DIR, TORIDE_LOG_LEVEL: 'silent' },
    input: `${PASSWORD}\n`,
    encoding: 'utf8',
  });
  const secret = /secret: (\S+)/.exec(output)?.[1];
  if (!secret) throw new Error(`no TOTP secret in: ${output}`);
  return secret;
}

test('operator schedules a service sunset; the org timeline shows it', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  const orgId = await signUp(adminPage, 'Sunset Watchers');

  const ops = await browser.newContext();
  const opsPage = await ops.newPage();
  const email = `ops-${Date.now()}@example.test`;
  const secret = createOperator(email);
  const code = new TOTP({ secret, digits: 6, period: 30 }).generate();
  const session = await opsPage.request.post('/api/v1/operator/sessions', { data: { email, password: PASSWORD, code } });
  expect(session.status()).toBe(200);

  await opsPage.goto('/operator');
  await opsPage.getByTestId('operator-lifecycle-link').click();
  await expect(opsPage).toHaveURL(/\/operator\/lifecycle$/);
  await expect(opsPage.getByRole('heading', { name: 'Data lifecycle', level: 1 })).toBeVisible();
  const form = opsPage.getByTestId('operator-sunset-form');
  await form.getByLabel('Service').selectOption('pass');
  await form.getByLabel('Date (UTC)').fill('2031-03-31');
  await form.getByRole('button', { name: 'Schedule sunset…' }).click();
  const dialog = opsPage.getByRole('dialog');
  await expect(dialog).toContainText('2031-03-31');
  await expect(dialog).toContainText('2031-04-10');
  await dialog.getByRole('button', { name: 'Schedule sunset' }).click();
  const row = opsPage.getByTestId('operator-sunsets-table').getByRole('row').filter({ hasText: 'pass' });
  await expect(row).toContainText('2031-03-31');
  await expect(row).toContainText('scheduled');
  expect(await axe(opsPage)).toEqual([]);

  await adminPage.goto(`/orgs/${orgId}`);
  await adminPage.getByRole('link', { name: 'Data & contract' }).click();
  await expect(adminPage).toHaveURL(`/orgs/${orgId}/settings/data`);
  await expect(adminPage.getByTestId('lifecycle-timeline-sentence')).toContainText('service ends and its data purge starts (pass) 2031-03-31');
  expect(await axe(adminPage)).toEqual([]);

  // Cancelled again so later specs see a clean deployment.
  await row.getByRole('button', { name: 'Cancel the sunset of pass' }).click();
  await expect(row).toContainText('cancelled');
  await adminPage.reload();
  await expect(adminPage.getByRole('heading', { name: 'Timeline' })).toBeVisible();
  await expect(adminPage.getByText('(pass) 2031-03-31')).toHaveCount(0);
  await admin.close();
  await ops.close();
});

test('admin deletes the organization (dates shown), sees the grace-period timeline, restores it', async ({ page }) => {
  test.setTimeout(180_000);
  const orgId = await signUp(page, 'Grace Period Inc');
  const engine = await page.request.get(`/api/v1/orgs/${orgId}/lifecycle`);
  test.skip(engine.status() === 404, 'the lifecycle engine (GET /api/v1/orgs/:orgId/lifecycle) is not in this build yet');

  await page.goto(`/orgs/${orgId}/settings/data`);
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const form = page.getByTestId('lifecycle-delete-form');
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Delete organization…' }).click();
  const dialog = page.getByRole('dialog');
  const consequences = dialog.getByTestId('lifecycle-delete-consequences');
  await expect(consequences).toContainText(day(180));
  await expect(consequences).toContainText(day(190));
  expect(await axe(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Delete organization' }).click();

  const timeline = page.getByTestId('lifecycle-timeline');
  await expect(timeline.locator('li[data-event="purge_starts"]')).toContainText(day(180));
  const restore = page.getByTestId('lifecycle-restore-form');
  await expect(page.getByText(`You can restore it until ${day(180)}`)).toBeVisible();
  await restore.getByLabel('Password').fill(PASSWORD);
  await restore.getByRole('button', { name: 'Restore organization…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByTestId('lifecycle-restore-form')).toHaveCount(0);
  await expect(page.getByTestId('lifecycle-delete-form')).toBeVisible();
  await expect(timeline.locator('li[data-event="purge_starts"]')).toHaveCount(0);
});
