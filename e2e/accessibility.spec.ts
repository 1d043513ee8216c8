import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

/**
 * Every main page passes axe's WCAG 2.1 A/AA rules in both languages: labelled forms, names on
 * controls, contrast, landmarks. Pages come from fresh contexts, as axe requires.
 */
const password = 'correct horse battery staple';

for (const locale of ['en', 'ja'] as const) {
  test(`main pages have no WCAG A/AA violations (${locale})`, async ({ browser }) => {
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
    await audit('/account');
    await audit('/account/security');
    await audit('/account/api-keys');
    await audit('/account/delete');
    await context.close();
  });
}
