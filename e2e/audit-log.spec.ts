import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

/**
 * The audit-log viewer (issue 4 §6, W7.6): the founder holds the permission, sees their own
 * sign-up in the log, narrows it by category, downloads a JSON Lines export that starts with the
 * chain anchor, and cannot give up the permission while they are its only holder.
 */
test('audit log: search, filter, export, and the last holder keeps the permission', async ({ page }) => {
  const email = `auditor-${Date.now()}@example.test`;

  await page.goto('/signup');
  const signUp = page.getByTestId('signup-form');
  await signUp.getByLabel('Name').fill('Aiko Auditor');
  await signUp.getByLabel('Email').fill(email);
  await signUp.getByLabel('Password').fill('correct horse battery staple');
  await signUp.getByLabel('Organization').fill('Kansa Works');
  await signUp.getByLabel('Language').selectOption('en');
  await signUp.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/orgs\/[\w-]+$/);

  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await expect(page).toHaveURL(/\/orgs\/[\w-]+\/audit$/);
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  const table = page.getByTestId('audit-table');
  await expect(table.getByText('account.signed_up', { exact: true })).toBeVisible();
  await expect(table.getByText('org.created', { exact: true })).toBeVisible();

  const orgRow = table.getByRole('row').filter({ hasText: 'org.created' });
  await orgRow.getByRole('button', { name: /Details of entry/ }).click();
  await expect(page.locator('[data-testid^="audit-details-"]').first()).toContainText('Request ID');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  const filters = page.getByTestId('audit-filter-form');
  await filters.getByLabel('Category').selectOption('org');
  await filters.getByRole('button', { name: 'Search' }).click();
  await expect(table.getByText('org.created', { exact: true })).toBeVisible();
  await expect(table.getByText('account.signed_up', { exact: true })).toHaveCount(0);

  const downloading = page.waitForEvent('download');
  await page.getByTestId('audit-export-jsonl').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
  const lines = readFileSync(await download.path(), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines[0]).toHaveProperty('anchor');
  expect(lines.slice(1).map((entry) => entry.action)).toContain('org.created');

  await page.getByRole('link', { name: 'Members', exact: true }).click();
  const ownAudit = page.getByTestId(`can-read-audit-${email}`);
  await expect(ownAudit).toBeChecked();
  await ownAudit.click();
  await expect(page.getByTestId('error')).toContainText('At least one admin must be able to read the audit log');
  await expect(ownAudit).toBeChecked();
});
