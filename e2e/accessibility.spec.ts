import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser } from '@playwright/test';

/**
 * Every main page passes axe's WCAG 2.1 A/AA rules in both languages: labelled forms, names on
 * controls, contrast, landmarks. Pages come from fresh contexts, as axe requires.
 */
const password = 'correct horse battery staple';

for (const locale of ['en', 'ja'] as const) {
  test(`main pages have no WCAG A/AA violations (${locale})`, async ({ browser }) => {
    test.setTimeout(300_000);
    const context = await browser.newContext({ locale: locale === 'ja' ? 'ja-JP' : 'en-US' });
    const page = await context.newPage();
    const audit = async (path: string) => {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      const summary = results.violations.map((v) => `${path}: ${v.id} ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(summary).toEqual([]);
    };

    await audit('/signin');
    await audit('/signup');
    await audit('/forgot-password');
    const signUp = await page.request.post('/api/v1/signup', {
      data: { email: `a11y-${locale}-${Date.now()}@example.test`, password, name: 'Aki Access', orgName: 'A11y', locale },
    });
    const orgId = (await signUp.json()).orgs[0].id as string;
    await audit(`/orgs/${orgId}`);
    await audit(`/orgs/${orgId}/members`);
    await audit(`/orgs/${orgId}/teams`);
    await audit(`/orgs/${orgId}/settings`);
    await audit(`/orgs/${orgId}/settings/domains`);
    await audit(`/orgs/${orgId}/settings/managed-accounts`);
    await audit('/managed-consent');
    await audit(`/orgs/${orgId}/settings/data`);
    // SCIM (issue 4 §5): with a token, so the table and its actions are checked too.
    const scimCsrf = (await context.cookies()).find((c) => c.name === 'toride_csrf')?.value ?? '';
    const scimToken = await page.request.post(`/api/v1/orgs/${orgId}/pass/scim/tokens`, { headers: { 'x-csrf-token': scimCsrf }, data: { label: 'Okta' } });
    expect(scimToken.status()).toBe(201);
    await audit(`/orgs/${orgId}/settings/scim`);
    await audit(`/orgs/${orgId}/settings/sso`);
    // Project space (W6.6): a classic space and an OAuth app, so the sign-in link, the add-user form and the apps table are checked too.
    expect((await page.request.put(`/api/v1/orgs/${orgId}/projects/classic`, { headers: { 'x-csrf-token': scimCsrf }, data: { userLimit: 5 } })).status()).toBe(200);
    const oauthApp = await page.request.post(`/api/v1/orgs/${orgId}/projects/oauth-apps`, { headers: { 'x-csrf-token': scimCsrf }, data: { name: 'CI bot', redirectUri: 'https://ci.example.test/callback' } });
    expect(oauthApp.status()).toBe(201);
    await audit(`/orgs/${orgId}/settings/projects`);
    await audit('/account');
    await audit('/account/security');
    await audit('/account/api-keys');
    await audit('/account/delete');
    await context.close();
  });
}

/** An org with project ACC and issue ACC-1, seeded the way the web app calls /api/v2 (session cookie). */
async function projectContext(browser: Browser, locale: 'en' | 'ja') {
  const context = await browser.newContext({ locale: locale === 'ja' ? 'ja-JP' : 'en-US' });
  const page = await context.newPage();
  const signUp = await page.request.post('/api/v1/signup', {
    data: { email: `a11y-projects-${locale}-${Date.now()}@example.test`, password, name: 'Aki Access', orgName: 'A11y', locale },
  });
  const orgId = (await signUp.json()).orgs[0].id as string;
  const csrf = (await context.cookies()).find((c) => c.name === 'toride_csrf')?.value ?? '';
  const v2 = { 'x-toride-org': orgId, 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' };
  const project = await (await page.request.post('/api/v2/projects', { headers: v2, data: 'name=Access&key=ACC' })).json();
  const [issueType] = await (await page.request.get('/api/v2/projects/ACC/issueTypes', { headers: v2 })).json();
  const issue = await page.request.post('/api/v2/issues', { headers: v2, data: `projectId=${project.id}&summary=Check&issueTypeId=${issueType.id}&priorityId=3` });
  expect(issue.status()).toBe(201);
  /** `open` (optional) opens a form or panel first, so its controls are checked too. */
  const audit = async (path: string, open?: string) => {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    if (open) {
      await page.getByTestId(open).click();
      await page.waitForLoadState('networkidle');
    }
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const summary = results.violations.map((v) => `${path}${open ? ` (${open})` : ''}: ${v.id} ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(summary).toEqual([]);
  };
  return { context, audit, base: `/orgs/${orgId}/projects` };
}

// Projects (issue 3 §4), in two halves so each stays well inside its time limit on a busy machine.
for (const locale of ['en', 'ja'] as const) {
  test(`project and issue pages have no WCAG A/AA violations (${locale})`, async ({ browser }) => {
    test.setTimeout(300_000);
    const { context, audit, base } = await projectContext(browser, locale);
    await audit(base);
    await audit(`${base}/ACC`);
    await audit(`${base}/ACC/issues/new`);
    await audit(`${base}/ACC/issues/ACC-1`);
    await context.close();
  });

  test(`project settings, wiki and document pages have no WCAG A/AA violations (${locale})`, async ({ browser }) => {
    test.setTimeout(300_000);
    const { context, audit, base } = await projectContext(browser, locale);
    await audit(`${base}/ACC/settings/members`);
    await audit(`${base}/ACC/settings/statuses`);
    await audit(`${base}/ACC/wiki`);
    await audit(`${base}/ACC/documents`);
    await audit(`${base}/ACC/documents/new`);
    await context.close();
  });

  test(`notifications, stars, watching, files and webhook pages have no WCAG A/AA violations (${locale})`, async ({ browser }) => {
    test.setTimeout(300_000);
    const { context, audit, base } = await projectContext(browser, locale);
    await audit(`${base}/notifications`);
    await audit(`${base}/ACC/files`);
    await audit(`${base}/ACC/settings/webhooks`, 'webhook-new');
    // With something in each list, so rows, tables and the delivery log are checked too.
    const headers = { 'x-toride-org': base.split('/')[2] ?? '', 'x-csrf-token': (await context.cookies()).find((c) => c.name === 'toride_csrf')?.value ?? '' };
    const form = { ...headers, 'content-type': 'application/x-www-form-urlencoded' };
    const issue = await (await context.request.get('/api/v2/issues/ACC-1', { headers })).json();
    const hook = await context.request.post('/api/v2/projects/ACC/webhooks', { headers: form, data: 'name=CI&hookUrl=http%3A%2F%2F127.0.0.1%3A9%2Fhook&allEvent=true' });
    expect(hook.status()).toBe(201);
    expect((await context.request.post('/api/v2/stars', { headers: form, data: `issueId=${issue.id}` })).status()).toBe(204);
    expect((await context.request.post('/api/v2/watchings', { headers: form, data: 'issueIdOrKey=ACC-1' })).status()).toBe(201);
    expect((await context.request.post('/api/v2/projects/ACC/directories', { headers: form, data: 'dir=%2F&name=Specs' })).status()).toBe(201);
    const upload = await context.request.post('/api/v2/projects/ACC/files', { headers, multipart: { dir: '/', file: { name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('plan') } } });
    expect(upload.status()).toBe(201);
    await audit(`${base}/stars`);
    await audit(`${base}/watching`);
    await audit(`${base}/ACC/files`);
    await audit(`${base}/ACC/issues/ACC-1`, 'issue-files-link');
    await audit(`${base}/ACC/settings/teams`);
    await audit(`${base}/ACC/settings/webhooks`, 'webhook-log');
    await context.close();
  });
}
