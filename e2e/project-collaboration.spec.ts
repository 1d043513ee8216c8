import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type BrowserContext } from '@playwright/test';
import { linkFromOutbox } from './outbox';
import { csrfOf, password, post } from './session';

/**
 * Working together on a project in the web app (issue 3 §4): shared files (new folder, upload,
 * download, link to an issue), star and watch an issue, and a colleague's comment reaching the
 * issue's author as a notification they mark read — and a webhook set up in project settings that
 * receives the comment, shown as delivered in its log. Everything goes through `/api/v2` with the
 * session cookie, as the web app does.
 */
/** A Backlog-style form write as the web app sends it (session cookie, org header, CSRF). */
async function v2(context: BrowserContext, orgId: string, method: 'GET' | 'POST', url: string, form?: string) {
  const response = await context.request.fetch(`/api/v2${url}`, {
    method,
    headers: { 'x-toride-org': orgId, 'x-csrf-token': await csrfOf(context), 'content-type': 'application/x-www-form-urlencoded' },
    data: form,
  });
  expect(response.ok(), `${method} ${url}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return response.json();
}

test('team and webhook in settings; shared file in a new folder → download → link to an issue; star and watch; a colleague comments → notification read, webhook delivered', async ({ browser }) => {
  test.setTimeout(240_000); // many steps; the shared CI machine is slow under load
  const stamp = Date.now();
  const authorEmail = `author-${stamp}@example.test`;
  const colleagueEmail = `reviewer-${stamp}@example.test`;
  const context = await browser.newContext();
  const page = await context.newPage();
  const colleagueContext = await browser.newContext();
  const colleague = await colleagueContext.newPage();
  // The webhook's receiver, on loopback (the e2e server allows private targets).
  const received: { type: number }[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      try {
        received.push(JSON.parse(body) as { type: number });
      } catch {
        received.push({ type: -1 }); // not JSON: the assertion below then fails on its own
      }
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  // The org, a colleague, a project with both as members and one issue by the author.
  const signUp = await post(page.request, '/api/v1/signup', { email: authorEmail, password, name: 'Aiko Author', orgName: 'Hoshi Labs', locale: 'en' });
  const orgId = signUp.orgs[0].id as string;
  const verifyToken = new URL(linkFromOutbox(authorEmail, /https?:\/\/\S+\/verify-email\?token=[\w%-]+/)).searchParams.get('token');
  await post(page.request, '/api/v1/email-verification/confirm', { token: verifyToken }, await csrfOf(context));
  await post(page.request, `/api/v1/orgs/${orgId}/invitations`, { email: colleagueEmail, role: 'member' }, await csrfOf(context));
  const inviteToken = linkFromOutbox(colleagueEmail, /https?:\/\/\S+\/invite\/[\w%-]+/).split('/invite/')[1];
  await post(colleague.request, `/api/v1/invitations/${inviteToken}/accept`, { name: 'Bea Reviewer', password, locale: 'en' });

  const project = await v2(context, orgId, 'POST', '/projects', 'name=Orbit&key=ORBIT');
  const users = (await v2(context, orgId, 'GET', '/users')) as { id: number; name: string }[];
  const bea = users.find((u) => u.name === 'Bea Reviewer');
  expect(bea).toBeTruthy();
  await v2(context, orgId, 'POST', '/projects/ORBIT/users', `userId=${bea?.id}`);
  const [issueType] = await v2(context, orgId, 'GET', '/projects/ORBIT/issueTypes');
  await v2(context, orgId, 'POST', '/issues', `projectId=${project.id}&summary=Plan+the+orbit&issueTypeId=${issueType.id}&priorityId=3`);

  // 0. Project settings: a team added and removed again; a webhook for every event.
  await post(page.request, `/api/v1/orgs/${orgId}/teams`, { name: 'Flight crew' }, await csrfOf(context));
  await page.goto(`/orgs/${orgId}/projects/ORBIT/settings/members`);
  await page.getByTestId('settings-tab-teams').click();
  await page.getByTestId('settings-teams-pick').selectOption({ label: 'Flight crew' });
  await page.getByTestId('settings-teams-add').click();
  await expect(page.getByTestId('settings-teams')).toContainText('Flight crew');
  await page.getByTestId('settings-teams').getByRole('button', { name: 'Remove Flight crew' }).click();
  await expect(page.getByTestId('settings-teams')).not.toContainText('Flight crew');
  await page.getByTestId('settings-tab-webhooks').click();
  await page.getByTestId('webhook-new').click();
  await page.getByTestId('webhook-name').fill('Review bot');
  await page.getByTestId('webhook-url').fill(hookUrl);
  await page.getByLabel('Every event').check();
  await page.getByTestId('webhook-save').click();
  await expect(page.getByTestId('webhook')).toContainText('Review bot');
  await expect(page.getByTestId('webhook')).toContainText('Events: Every event');
  // Narrowed to comments only: edit, untick "every event", tick one activity type.
  await page.getByTestId('webhook-edit').click();
  await page.getByLabel('Every event').uncheck();
  await expect(page.getByTestId('webhook-save')).toBeDisabled();
  await page.getByTestId('webhook-events').getByLabel('Comment added', { exact: true }).check();
  await page.getByTestId('webhook-save').click();
  await expect(page.getByTestId('webhook')).toContainText('Events: Comment added');

  // 1. Files: a new folder, a file uploaded into it, downloaded back byte for byte.
  await page.getByTestId('project-tab-files').click();
  await expect(page.getByTestId('files-area')).toBeVisible();
  await page.getByTestId('folder-name').fill('Specs');
  await page.getByTestId('folder-create').click();
  await page.getByTestId('folder-link').filter({ hasText: 'Specs' }).click();
  await expect(page).toHaveURL(/\/projects\/ORBIT\/files\/Specs$/);
  await expect(page.getByTestId('files-breadcrumb')).toContainText('Specs');
  await page.getByTestId('file-input').setInputFiles({ name: 'orbit-plan.txt', mimeType: 'text/plain', buffer: Buffer.from('Apogee 400 km\n') });
  await page.getByTestId('file-upload').click();
  const row = page.getByTestId('file-row-orbit-plan.txt');
  await expect(row).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('file-download').click()]);
  expect(download.suggestedFilename()).toBe('orbit-plan.txt');
  expect(await readFile(await download.path(), 'utf8')).toBe('Apogee 400 km\n');

  // 2. Link it to the issue from the picker.
  await page.goto(`/orgs/${orgId}/projects/ORBIT/issues/ORBIT-1`);
  await page.getByTestId('issue-files-link').click();
  await page.getByTestId('picker-folder').filter({ hasText: 'Specs' }).click();
  await page.getByTestId('picker-file-orbit-plan.txt').check();
  await page.getByTestId('picker-link').click();
  await expect(page.getByTestId('issue-file')).toHaveCount(1);
  await expect(page.getByTestId('issue-file')).toContainText('/Specs/orbit-plan.txt');

  // 3. Star and watch it; both lists show it.
  await page.getByTestId('star-toggle').click();
  await expect(page.getByTestId('star-toggle')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('watch-toggle').click();
  await expect(page.getByTestId('watch-toggle')).toHaveAttribute('aria-pressed', 'true');
  const wiki = await v2(context, orgId, 'POST', '/wikis', `projectId=${project.id}&name=Orbit+notes&content=Perigee`);
  await page.goto(`/orgs/${orgId}/projects/ORBIT/wiki/${wiki.id}`);
  await page.getByTestId('star-toggle').click();
  await expect(page.getByTestId('star-toggle')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('my-stars-link').click();
  await expect(page.getByTestId('star')).toHaveCount(2);
  await expect(page.getByTestId('star').filter({ hasText: 'Plan the orbit' })).toBeVisible();
  await page.getByTestId('star').filter({ hasText: 'Orbit notes' }).getByRole('link').click();
  await expect(page.getByTestId('wiki-title')).toHaveText('Orbit notes');
  await page.getByTestId('my-stars-link').click();
  await page.getByTestId('watching-link').click();
  await expect(page.getByTestId('watching')).toContainText('ORBIT-1 Plan the orbit');

  // 4. The colleague comments in their own browser; project settings offer them no webhooks or teams.
  await colleague.goto(`/orgs/${orgId}/projects/ORBIT/settings/members`);
  await expect(colleague.getByTestId('settings-tab-members')).toBeVisible();
  await expect(colleague.getByTestId('settings-tab-webhooks')).toHaveCount(0);
  await expect(colleague.getByTestId('settings-tab-teams')).toHaveCount(0);
  await colleague.goto(`/orgs/${orgId}/projects/ORBIT/issues/ORBIT-1`);
  await colleague.getByTestId('comment-input').fill('Looks good, ship it.');
  await colleague.getByTestId('comment-submit').click();
  await expect(colleague.getByTestId('comment').filter({ hasText: 'Looks good, ship it.' })).toBeVisible();

  // 5. The author sees it on the bell and the notifications page, and marks it read.
  await page.goto(`/orgs/${orgId}/projects`);
  await expect(page.getByTestId('notifications-count')).toHaveText('1');
  await page.getByTestId('notifications-bell').click();
  const notification = page.getByTestId('notification').first();
  await expect(notification).toContainText('Bea Reviewer commented on an issue');
  await expect(notification.getByTestId('notification-link')).toHaveText('ORBIT-1 Plan the orbit');
  await expect(notification).toContainText('Looks good, ship it.');
  // The accessibility sweep sees this page empty; here it has an unread notification in it.
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await notification.getByTestId('notification-mark-read').click();
  await expect(notification).toHaveAttribute('data-read', 'true');
  await expect(page.getByTestId('notifications-count')).toHaveCount(0);
  const count = await v2(context, orgId, 'GET', '/notifications/count?alreadyRead=false');
  expect(count).toEqual({ count: 0 });

  // The notification's link leads to the comment on the issue.
  await notification.getByTestId('notification-link').click();
  await expect(page).toHaveURL(/\/issues\/ORBIT-1#comment-\d+$/);
  await expect(page.getByTestId('comment').filter({ hasText: 'Looks good, ship it.' })).toBeVisible();

  // The watched issue is marked as updated on the watching list until read; then the author stops watching.
  await page.getByTestId('watching-link').click();
  const watching = page.getByTestId('watching');
  await expect(watching).toHaveAttribute('data-read', 'false');
  await expect(watching).toContainText('Updated');
  await watching.getByTestId('watching-mark-read').click();
  await expect(watching).toHaveAttribute('data-read', 'true');
  await watching.getByTestId('watching-remove').click();
  await expect(page.getByTestId('watching')).toHaveCount(0);
  await expect(page.getByTestId('watching-page')).toContainText('You are not watching any issue');

  // 6. The webhook received the comment (activity type 3), and its log says so.
  await expect.poll(() => received.some((activity) => activity.type === 3), { timeout: 30_000 }).toBe(true);
  expect(received.every((activity) => activity.type === 3)).toBe(true); // uploads and links were not sent
  await page.goto(`/orgs/${orgId}/projects/ORBIT/settings/webhooks`);
  await page.getByTestId('webhook-log').click();
  const commentDelivery = page.getByTestId('deliveries-table').getByRole('row').filter({ hasText: 'Comment added' });
  await expect(commentDelivery).toContainText('Delivered', { timeout: 15_000 });
  await expect(commentDelivery).toContainText('200');

  // 7. Unlinking keeps the file; deleting asks first; a folder goes only once it is empty.
  await page.goto(`/orgs/${orgId}/projects/ORBIT/issues/ORBIT-1`);
  await page.getByTestId('issue-file-unlink').click();
  await expect(page.getByTestId('issue-shared-files')).toContainText('No shared files are linked to this issue.');
  await page.getByTestId('project-tab-files').click();
  await page.getByTestId('file-row-Specs').getByTestId('file-delete').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Delete the folder Specs?');
  await dialog.getByTestId('confirm').click();
  await expect(dialog.getByRole('alert')).toContainText('This folder is not empty.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('folder-link').filter({ hasText: 'Specs' }).click();
  await page.getByTestId('file-row-orbit-plan.txt').getByTestId('file-delete').click();
  await page.getByRole('dialog').getByTestId('confirm').click();
  await expect(page.getByTestId('file-row-orbit-plan.txt')).toHaveCount(0);
  await page.getByTestId('files-breadcrumb').getByRole('link', { name: 'All files' }).click();
  await page.getByTestId('file-row-Specs').getByTestId('file-delete').click();
  await page.getByRole('dialog').getByTestId('confirm').click();
  await expect(page.getByTestId('file-row-Specs')).toHaveCount(0);
  await expect(page.getByTestId('files-area')).toContainText('This folder is empty');

  receiver.close();
  await colleagueContext.close();
  await context.close();
});
