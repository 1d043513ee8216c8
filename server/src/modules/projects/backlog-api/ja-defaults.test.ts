import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog } from '../../../test/backlog-client';

// Issue 15 §5 (W7.1): a project created by a Japanese-language account starts with Backlog's Japanese
// statuses and issue types; the space-wide priorities and resolutions keep their ids and are named in
// the reading account's language.
describe('Japanese defaults (issue 15 §5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  const names = (body: { name: string }[]) => body.map((x) => x.name);

  it('a ja account’s new project gets 未対応/処理中/処理済み/完了 and バグ/タスク/要望/その他', async () => {
    const admin = await signUpUser(t, { name: '田中 愛子', orgName: '田中商店', locale: 'ja' });
    const key = await apiKeyOf(admin);
    expect((await backlog(t, key, 'POST', '/projects', { name: 'ウェブ', key: 'WEB' })).status).toBe(201);
    const statuses = (await backlog(t, key, 'GET', '/projects/WEB/statuses')).body;
    expect(statuses.map((s: { id: number; name: string }) => [s.id, s.name])).toEqual([[1, '未対応'], [2, '処理中'], [3, '処理済み'], [4, '完了']]);
    expect(names((await backlog(t, key, 'GET', '/projects/WEB/issueTypes')).body)).toEqual(['バグ', 'タスク', '要望', 'その他']);
  });

  it('follows the creating account’s language, not the org’s: an en org admin who switched to ja', async () => {
    const admin = await signUpUser(t, { orgName: 'Acme', locale: 'en' });
    const key = await apiKeyOf(admin);
    expect((await backlog(t, key, 'POST', '/projects', { name: 'English', key: 'ENG' })).status).toBe(201);
    expect(names((await backlog(t, key, 'GET', '/projects/ENG/statuses')).body)).toEqual(['Open', 'In Progress', 'Resolved', 'Closed']);
    expect(names((await backlog(t, key, 'GET', '/projects/ENG/issueTypes')).body)).toEqual(['Task', 'Bug', 'Request', 'Other']);
    expect((await admin.client.patch('/api/v1/me', { locale: 'ja' })).status).toBe(200);
    expect((await backlog(t, key, 'POST', '/projects', { name: '日本語', key: 'NIHONGO' })).status).toBe(201);
    expect(names((await backlog(t, key, 'GET', '/projects/NIHONGO/statuses')).body)).toEqual(['未対応', '処理中', '処理済み', '完了']);
    // The English project stays English: names are chosen once, at creation.
    expect(names((await backlog(t, key, 'GET', '/projects/ENG/statuses')).body)).toEqual(['Open', 'In Progress', 'Resolved', 'Closed']);
  });

  it('names priorities and resolutions in each reader’s language with the same ids, in lists and in issues', async () => {
    const admin = await signUpUser(t, { name: '山田 花子', orgName: '山田商店', locale: 'ja' });
    const jaKey = await apiKeyOf(admin);
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' }); // accepts in English
    const enKey = await apiKeyOf(member);
    const pairs = (body: { id: number; name: string }[]) => body.map((x) => [x.id, x.name]);
    expect(pairs((await backlog(t, jaKey, 'GET', '/priorities')).body)).toEqual([[2, '高'], [3, '中'], [4, '低']]);
    expect(pairs((await backlog(t, enKey, 'GET', '/priorities')).body)).toEqual([[2, 'High'], [3, 'Normal'], [4, 'Low']]);
    expect(pairs((await backlog(t, jaKey, 'GET', '/resolutions')).body)).toEqual([[0, '対応済み'], [1, '対応しない'], [2, '無効'], [3, '重複'], [4, '再現しない']]);
    expect(pairs((await backlog(t, enKey, 'GET', '/resolutions')).body)).toEqual([[0, 'Fixed'], [1, "Won't Fix"], [2, 'Invalid'], [3, 'Duplication'], [4, 'Cannot Reproduce']]);

    const project = (await backlog(t, jaKey, 'POST', '/projects', { name: 'アプリ', key: 'APP' })).body;
    expect((await backlog(t, jaKey, 'POST', `/projects/APP/users`, { userId: (await backlog(t, enKey, 'GET', '/users/myself')).body.id })).status).toBe(200);
    const typeId = (await backlog(t, jaKey, 'GET', '/projects/APP/issueTypes')).body[0].id;
    const issue = (await backlog(t, jaKey, 'POST', '/issues', { projectId: project.id, summary: '不具合', issueTypeId: typeId, priorityId: 2 })).body;
    await backlog(t, jaKey, 'PATCH', `/issues/${issue.issueKey}`, { resolutionId: 0 });
    const asJa = (await backlog(t, jaKey, 'GET', `/issues/${issue.issueKey}`)).body;
    const asEn = (await backlog(t, enKey, 'GET', `/issues/${issue.issueKey}`)).body;
    expect([asJa.priority, asJa.resolution]).toEqual([{ id: 2, name: '高' }, { id: 0, name: '対応済み' }]);
    expect([asEn.priority, asEn.resolution]).toEqual([{ id: 2, name: 'High' }, { id: 0, name: 'Fixed' }]);
    expect(asEn.issueType.name).toBe('バグ'); // project data stays as created
    expect((await backlog(t, enKey, 'GET', `/issues?projectId[]=${project.id}`)).body[0].priority.name).toBe('High');
  });
});
