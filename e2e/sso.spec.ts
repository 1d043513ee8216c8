import http from 'node:http';
import AxeBuilder from '@axe-core/playwright';
import type { AddressInfo } from 'node:net';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { systemClock } from '../server/src/kernel/clock';
import { startTestDnsServer } from '../server/src/modules/pass/domains/dns-test-server';
import { startTestOidcProvider } from '../server/src/modules/pass/sso/oidc-test-provider';
import { createSloIdp } from '../server/src/modules/pass/sso/saml-slo-test-idp';
import { createSamlifyIdp, requestIdOf, type SpFacts } from '../server/src/modules/pass/sso/saml-test-idp';

/**
 * W6.7/W8.3: an org signs in through its own IdP in the real browser — SAML with a samlify IdP served
 * here on 127.0.0.1 (auto-posting form to the ACS), and OIDC with oidc-provider's login and consent pages.
 */
const password = 'correct horse battery staple';

async function orgWithDomain(request: APIRequestContext, dns: Awaited<ReturnType<typeof startTestDnsServer>>, label: string) {
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  const domain = `${label}-${stamp}.example.test`;
  const signUp = await request.post('/api/v1/signup', { data: { email: `admin@${domain}`, password, name: 'Sso Admin', orgName: `${label} Corp`, locale: 'en' } });
  expect(signUp.status()).toBe(201);
  const orgId = (await signUp.json()).orgs[0].id as string;
  const csrf = (await request.storageState()).cookies.find((c) => c.name === 'toride_csrf')?.value ?? '';
  const headers = { 'x-csrf-token': csrf };
  const added = await (await request.post(`/api/v1/orgs/${orgId}/pass/domains`, { headers, data: { domain } })).json();
  dns.records.set(added.txtRecord.name, [added.txtRecord.value]);
  expect((await request.post(`/api/v1/orgs/${orgId}/pass/domains/${added.id}/verify`, { headers })).status()).toBe(200);
  return { orgId, domain, headers };
}

test('SAML: a member of the org signs in through the org\'s samlify IdP, starting from "Sign in with SSO"', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const dns = await startTestDnsServer(Number(process.env.TORIDE_E2E_DNS_PORT ?? 5391));
  let sp: SpFacts | null = null;
  let idp: Awaited<ReturnType<typeof createSamlifyIdp>> | null = null;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!sp || !idp) return res.writeHead(503).end();
      const samlResponse = await idp.respond(sp, { email: currentEmail, name: 'Hanako Sso' }, requestIdOf(url.href));
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><html lang="en"><title>IdP</title><form method="post" action="${sp.acsUrl}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"><button>Continue</button></form><script>document.forms[0].submit()</script></html>`,
      );
    })();
  });
  let currentEmail = '';
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { orgId, domain, headers } = await orgWithDomain(request, dns, 'saml');
    idp = await createSamlifyIdp(`https://idp.${domain}/saml`, `http://127.0.0.1:${(server.address() as AddressInfo).port}/sso`, systemClock);
    const created = await request.post(`/api/v1/orgs/${orgId}/pass/sso/connections`, { headers, data: { protocol: 'saml', name: 'Corp IdP', metadataXml: idp.metadata, jit: true } });
    expect(created.status()).toBe(201);
    const conn = await created.json();
    sp = { entityId: conn.saml.spEntityId, acsUrl: conn.saml.acsUrl };
    currentEmail = `hanako@${domain}`;

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/signin');
    await page.getByTestId('signin-form').locator('input[type=email]').fill(currentEmail);
    await page.getByTestId('sso-signin').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin') && !url.pathname.startsWith('/sso') && url.port !== String((server.address() as AddressInfo).port), { timeout: 30_000 });
    const me = await context.request.get('/api/v1/me');
    expect(me.status()).toBe(200);
    expect((await me.json()).account.email).toBe(currentEmail);
    await context.close();
  } finally {
    server.close();
    await dns.close();
  }
});

test('OIDC: a new member signs in through the org\'s oidc-provider (login and consent pages) and is provisioned', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const dns = await startTestDnsServer(Number(process.env.TORIDE_E2E_DNS_PORT ?? 5391));
  const op = await startTestOidcProvider();
  try {
    const { orgId, domain, headers } = await orgWithDomain(request, dns, 'oidc');
    const created = await request.post(`/api/v1/orgs/${orgId}/pass/sso/connections`, {
      headers,
      data: { protocol: 'oidc', name: 'Corp OIDC', issuer: op.issuer, clientId: 'toride-e2e', clientSecret: 'e2e-client-secret-value', jit: true },
    });
    expect(created.status()).toBe(201);
    const conn = await created.json();
    op.configure({ clientId: 'toride-e2e', clientSecret: 'e2e-client-secret-value', redirectUris: [conn.oidc.redirectUri] });
    const email = `taro@${domain}`;
    op.users.set(email, { email, name: 'Taro Oidc' });

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`/sso/oidc/${conn.id}/login`);
    await page.locator('input[name=login]').fill(email);
    await page.locator('input[name=password]').fill('anything');
    await page.locator('button[type=submit]').click();
    await page.locator('button[type=submit]').click(); // consent
    await page.waitForURL((url) => url.origin === new URL(conn.oidc.redirectUri).origin && !url.pathname.startsWith('/sso'), { timeout: 30_000 });
    const me = await context.request.get('/api/v1/me');
    expect((await me.json()).account.email).toBe(email);
    await context.close();
  } finally {
    await op.close();
    await dns.close();
  }
});

test('SAML single logout: "Sign out" in Toride sends a signed LogoutRequest to the IdP and comes back signed out; the admin edits the Mapping', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const dns = await startTestDnsServer(Number(process.env.TORIDE_E2E_DNS_PORT ?? 5391));
  let sp: (SpFacts & { metadata: string }) | null = null;
  let idp: Awaited<ReturnType<typeof createSloIdp>> | null = null;
  let currentEmail = '';
  const loggedOut: string[] = [];
  // The IdP: /sso answers an AuthnRequest with an auto-posting signed response; /slo verifies Toride's
  // signed LogoutRequest against Toride's SP metadata and redirects back with a signed LogoutResponse.
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      if (!sp || !idp) return res.writeHead(503).end();
      if (url.pathname !== '/slo' && url.pathname !== '/sso') return res.writeHead(404).end();
      if (url.pathname === '/slo') {
        const parsed = await idp.parseLogoutRequest(sp.metadata, url.href);
        loggedOut.push(parsed.extract.nameID as string);
        return res.writeHead(302, { location: idp.logoutResponse(sp.metadata, parsed, 'redirect').context }).end();
      }
      const samlResponse = await idp.respond(sp, sp.metadata, { email: currentEmail, name: 'Taro Slo' }, requestIdOf(url.href), '_e2e-session');
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><html lang="en"><title>IdP</title><form method="post" action="${sp.acsUrl}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"><button>Continue</button></form><script>document.forms[0].submit()</script></html>`,
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { orgId, domain, headers } = await orgWithDomain(request, dns, 'slo');
    idp = await createSloIdp(`https://idp.${domain}/saml`, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const created = await request.post(`/api/v1/orgs/${orgId}/pass/sso/connections`, { headers, data: { protocol: 'saml', name: 'Corp IdP', metadataXml: idp.metadata, jit: true, sloEnabled: true } });
    expect(created.status()).toBe(201);
    const conn = await created.json();
    sp = { entityId: conn.saml.spEntityId, acsUrl: conn.saml.acsUrl, metadata: await (await request.get(`/sso/saml/${conn.id}/metadata`)).text() };
    currentEmail = `taro@${domain}`;

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/signin');
    await page.getByTestId('signin-form').locator('input[type=email]').fill(currentEmail);
    await page.getByTestId('sso-signin').click();
    await page.getByTestId('sign-out').click({ timeout: 30_000 });
    await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('signedOut') === 'sso', { timeout: 30_000 });
    expect(loggedOut).toEqual([currentEmail]);
    expect((await context.request.get('/api/v1/me')).status()).toBe(401);
    await context.close();

    // The admin sets the role attribute, a role value and the default role under Mapping.
    const admin = await browser.newContext({ storageState: await request.storageState() });
    const settings = await admin.newPage();
    await settings.goto(`/orgs/${orgId}/settings/sso`);
    const card = settings.getByTestId('sso-connection-Corp IdP');
    await card.getByTestId('sso-attr-role').fill('department');
    await card.getByTestId('sso-role-values').fill('it=admin, partners=guest');
    await card.getByTestId('sso-default-role').selectOption('guest');
    await card.getByTestId('sso-save-mapping').click();
    await expect
      .poll(async () => (await (await request.get(`/api/v1/orgs/${orgId}/pass/sso/connections/${conn.id}`)).json()).mapping)
      .toMatchObject({ role: 'department', roleValues: { it: 'admin', partners: 'guest' }, defaultRole: 'guest' });
    // The connection card with its toggles and the Mapping form passes axe (the page sweep sees no connection).
    const axe = await new AxeBuilder({ page: settings }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await admin.close();
  } finally {
    server.close();
    await dns.close();
  }
});
