import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { startTestDnsServer } from '../server/src/modules/pass/domains/dns-test-server';
import { linkFromOutbox } from './outbox';

/**
 * Verified domains and managed accounts (issue 4 §1, W8.3, W4.5) in a real browser: an admin adds a
 * domain, publishes its TXT record (on a dns2 server the e2e Toride resolves through,
 * TORIDE_DNS_SERVERS), verifies it, creates a managed account, suspends it, imports a CSV and reads
 * the per-row report, and deletes the account.
 */
const password = 'correct horse battery staple';

test('domains and managed accounts: verify, create, suspend, CSV import, delete', async ({ page }) => {
  test.setTimeout(300_000);
  const dns = await startTestDnsServer(Number(process.env.TORIDE_E2E_DNS_PORT ?? 5391));
  try {
    const stamp = Date.now();
    const signUp = await page.request.post('/api/v1/signup', {
      data: { email: `it-admin-${stamp}@example.test`, password, name: 'Ima Admin', orgName: 'Kanri Works', locale: 'en' },
    });
    expect(signUp.status()).toBe(201);
    const orgId = (await signUp.json()).orgs[0].id as string;
    const domain = `kanri-${stamp}.example.test`;

    await page.goto(`/orgs/${orgId}`);
    await page.getByRole('link', { name: 'Domains', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Domains', level: 1 })).toBeVisible();
    await page.getByTestId('domain-input').fill(domain);
    await page.getByTestId('domain-add').click();
    const row = page.getByTestId(`domain-row-${domain}`);
    await expect(row).toContainText('Not verified');
    const name = await page.getByTestId(`domain-txt-name-${domain}`).innerText();
    const value = await page.getByTestId(`domain-txt-value-${domain}`).innerText();
    expect(name).toBe(`_toride-challenge.${domain}`);

    // Before the record exists: a clear error; after: verified.
    await page.getByTestId(`domain-verify-${domain}`).click();
    await expect(row.getByRole('alert')).toContainText('not found');
    dns.records.set(name, [value]);
    await page.getByTestId(`domain-verify-${domain}`).click();
    await expect(row).toContainText('Verified');
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await page.getByRole('link', { name: 'Managed accounts', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Managed accounts', level: 1 })).toBeVisible();
    const mia = `mia@${domain}`;
    await page.getByTestId('managed-email').fill(mia);
    await page.getByTestId('managed-name').fill('Mia Managed');
    await page.getByTestId('managed-role').selectOption('member');
    await page.getByTestId('managed-submit').click();
    const miaRow = page.getByTestId(`managed-row-${mia}`);
    await expect(miaRow).toContainText('Active');
    await page.getByTestId(`managed-toggle-${mia}`).click();
    await expect(miaRow).toContainText('Suspended');

    const csv = ['email,name,role', `ken@${domain},Ken Kanri,guest`, `Mia Managed Two,${mia},admin`, `mia@${domain},Mia M.,admin`, 'nobody,No Email,member', ''].join('\n');
    await page.getByTestId('import-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-run').click();
    const report = page.getByTestId('import-report');
    await expect(page.getByTestId('import-summary')).toHaveText('1 created, 1 updated, 0 unchanged, 2 errors');
    await expect(report.getByTestId('import-row-2')).toContainText('Created');
    await expect(report.getByTestId('import-row-5')).toContainText('Not a valid email address.');
    await expect(page.getByTestId(`managed-row-ken@${domain}`)).toContainText('Guest');
    const axeManaged = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axeManaged.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await page.getByTestId(`managed-delete-${mia}`).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByTestId(`managed-row-${mia}`)).toHaveCount(0);

    // A managed account cannot sign in with a password, and is answered like a wrong password (issue 13 §4).
    const refused = await page.request.post('/api/v1/sessions', { data: { email: `ken@${domain}`, password } });
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe('auth.invalid_credentials');
  } finally {
    await dns.close();
  }
});

test('conversion: the admin asks, the member agrees on the consent page, the account becomes managed', async ({ page, browser }) => {
  test.setTimeout(300_000);
  const dns = await startTestDnsServer(Number(process.env.TORIDE_E2E_DNS_PORT ?? 5391));
  try {
    const stamp = Date.now();
    const signUp = await page.request.post('/api/v1/signup', {
      data: { email: `conv-admin-${stamp}@example.test`, password, name: 'Ima Admin', orgName: 'Henkan Works', locale: 'en' },
    });
    const orgId = (await signUp.json()).orgs[0].id as string;
    const csrf = (await page.context().cookies()).find((c) => c.name === 'toride_csrf')?.value ?? '';
    const headers = { 'x-csrf-token': csrf };
    // Inviting needs a verified address.
    const verifyToken = decodeURIComponent(linkFromOutbox(`conv-admin-${stamp}@example.test`, /verify-email\?token=([\w%-]+)/).split('token=').pop() ?? '');
    expect((await page.request.post('/api/v1/email-verification/confirm', { headers, data: { token: verifyToken } })).status()).toBe(204);
    const domain = `henkan-${stamp}.example.test`;
    const added = await (await page.request.post(`/api/v1/orgs/${orgId}/pass/domains`, { headers, data: { domain } })).json();
    dns.records.set(added.txtRecord.name, [added.txtRecord.value]);
    expect((await page.request.post(`/api/v1/orgs/${orgId}/pass/domains/${added.id}/verify`, { headers })).status()).toBe(200);
    const email = `yui@${domain}`;
    expect((await page.request.post(`/api/v1/orgs/${orgId}/invitations`, { headers, data: { email, role: 'member' } })).status()).toBe(201);
    const inviteToken = linkFromOutbox(email, /invite\/([\w%-]+)/).split('/').pop() ?? '';
    const member = await browser.newContext();
    expect((await member.request.post(`/api/v1/invitations/${inviteToken}/accept`, { data: { name: 'Yui Member', password, locale: 'en' } })).status()).toBe(200);

    await page.goto(`/orgs/${orgId}/settings/managed-accounts`);
    await page.getByTestId(`convert-${email}`).click();
    await expect(page.getByTestId('convert-sent')).toContainText(email);

    const link = linkFromOutbox(email, /https?:\/\/\S+\/managed-consent\?token=[\w%-]+/);
    const consent = await member.newPage();
    await consent.goto(link);
    await expect(consent.getByTestId('consent-form')).toContainText('Henkan Works');
    await consent.getByTestId('consent-agree').click();
    await expect(consent.getByTestId('consent-done')).toBeVisible();
    expect((await member.request.get('/api/v1/me')).status()).toBe(401);

    await page.reload();
    await expect(page.getByTestId(`managed-row-${email}`)).toContainText('Active', { timeout: 60_000 });
    await member.close();
  } finally {
    await dns.close();
  }
});
