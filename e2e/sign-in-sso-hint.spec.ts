import { expect, test } from '@playwright/test';
import { systemClock } from '../server/src/kernel/clock';
import { startTestDnsServer } from '../server/src/modules/pass/domains/dns-test-server';
import { createSamlifyIdp } from '../server/src/modules/pass/sso/saml-test-idp';

/**
 * Issue 13 §4 (W8.3): a failed password sign-in never says an address is managed or SSO-only; the sign-in
 * page asks the domain's public SSO discovery instead and points to "Sign in with SSO" when the domain has it.
 */
const password = 'correct horse battery staple';

test('a failed sign-in on a domain with SSO points to "Sign in with SSO"; elsewhere it does not', async ({ page, request }) => {
  test.setTimeout(120_000);
  const dns = await startTestDnsServer(Number(process.env.TORIDE_E2E_DNS_PORT ?? 5391));
  try {
    const domain = `hint-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.example.test`;
    const signUp = await request.post('/api/v1/signup', { data: { email: `admin@${domain}`, password, name: 'Hint Admin', orgName: 'Hint Corp', locale: 'en' } });
    expect(signUp.status()).toBe(201);
    const orgId = (await signUp.json()).orgs[0].id as string;
    const headers = { 'x-csrf-token': (await request.storageState()).cookies.find((c) => c.name === 'toride_csrf')?.value ?? '' };
    const added = await (await request.post(`/api/v1/orgs/${orgId}/pass/domains`, { headers, data: { domain } })).json();
    dns.records.set(added.txtRecord.name, [added.txtRecord.value]);
    expect((await request.post(`/api/v1/orgs/${orgId}/pass/domains/${added.id}/verify`, { headers })).status()).toBe(200);
    const idp = await createSamlifyIdp(`https://idp.${domain}/saml`, 'http://127.0.0.1:1/sso', systemClock);
    expect((await request.post(`/api/v1/orgs/${orgId}/pass/sso/connections`, { headers, data: { protocol: 'saml', name: 'Corp', metadataXml: idp.metadata } })).status()).toBe(201);

    await page.goto('/signin');
    const form = page.getByTestId('signin-form');
    const tryPassword = async (email: string) => {
      await form.locator('input[type=email]').fill(email);
      await form.locator('input[type=password]').fill('not the password at all');
      await form.getByRole('button', { name: 'Sign in' }).click();
      await expect(form.getByTestId('error')).toHaveText('The email or password is not correct.');
    };
    await tryPassword(`nobody@${domain}`);
    await expect(page.getByTestId('signin-sso-hint')).toBeVisible();
    await tryPassword(`nobody-${Date.now()}@example.test`);
    await expect(page.getByTestId('signin-sso-hint')).toHaveCount(0);
  } finally {
    await dns.close();
  }
});
