import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../kernel/clock';
import { TestClient } from '../../test/client';
import { addMember, PASSWORD, signUpUser, type TestUser } from '../../test/factories';
import { buildTestApp, testDialect, type TestApp } from '../../test/harness';
import { verifyChainLines } from './audit-chain';
import { csvCell } from './audit.presenter';

/** The audit log of the pass module (issue 4 §6): store, chain, search, export, retention. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const api = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/audit-events${rest}`;
const jsonLines = (text: string) => text.split('\n').filter((line) => line !== '');

async function signInAgain(user: TestUser): Promise<{ client: TestClient }> {
  const client = new TestClient(t.app);
  const response = await client.post('/api/v1/sessions', { email: user.email, password: PASSWORD });
  expect(response.status).toBe(200);
  return { client };
}

async function exportJsonl(user: TestUser, query = '') {
  const response = await user.client.get<string>(api(user.orgId, `/export?format=jsonl${query}`));
  expect(response.status).toBe(200);
  return jsonLines(typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
}

describe('audit store (W3.2, W13.1)', () => {
  it('W3.2: lives in its own store in the ap-northeast region by default', () => {
    const store = t.kernel.stores.list().find((s) => s.module === 'audit');
    expect(store).toMatchObject({ module: 'audit', region: 'ap-northeast', dialect: testDialect });
    if (testDialect === 'sqlite') expect(store?.location).toContain(`${'ap-northeast'}/audit.db`);
  });

  it('W13.1: keeps every field of the issue, UTC time and a category derived from the action', async () => {
    const admin = await signUpUser(t, { name: 'Ada Fields' });
    const team = await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Ops' });
    const [entry] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'team.created' });
    expect(entry).toMatchObject({
      orgId: admin.orgId,
      product: 'platform',
      category: 'team',
      action: 'team.created',
      outcome: 'success',
      actor: { type: 'account', id: admin.accountId, name: 'Ada Fields', email: admin.email },
      ip: '127.0.0.1',
      target: { type: 'team', id: team.body.id },
    });
    expect(entry?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(entry?.requestId).toEqual(expect.any(String));
    expect(entry?.seq).toBeGreaterThan(1);
  });
});

describe('hash chain per org (issue 4 §6)', () => {
  it('50 parallel records make one gapless, valid chain', async () => {
    const admin = await signUpUser(t);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.kernel.audit.record({ orgId: admin.orgId, action: 'team.updated', outcome: 'success', actor: { type: 'system' }, details: { i } }),
      ),
    );
    const lines = await exportJsonl(admin);
    const entries = lines.slice(1).map((line) => JSON.parse(line) as { seq: number; prevHash: string; hash: string });
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: entries.length }, (_, i) => i + 1));
    expect(entries.length).toBeGreaterThanOrEqual(52);
    expect(verifyChainLines(lines)).toMatchObject({ ok: true, entries: entries.length, anchored: true });
  });

  // Two instances on one SQLite file in one process would block each other's synchronous driver;
  // multi-instance deployments run on PostgreSQL, where this is the real race.
  it.runIf(testDialect === 'postgres')('two app instances on one PostgreSQL append to one chain without forking it', async () => {
    const b = await buildTestApp({ sharedWith: t });
    try {
      const admin = await signUpUser(t);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? t : b).kernel.audit.record({ orgId: admin.orgId, action: 'org.updated', outcome: 'success', actor: { type: 'system' }, details: { i } }),
        ),
      );
      const lines = await exportJsonl(admin);
      expect(verifyChainLines(lines)).toMatchObject({ ok: true });
      expect(lines.length - 1).toBeGreaterThanOrEqual(41);
    } finally {
      await b.close();
    }
  });

  it('keeps events outside any org, such as operator reads, on the platform chain (W2.1)', async () => {
    await t.kernel.audit.record({ action: 'operator.orgs.listed', outcome: 'success', actor: { type: 'operator', id: 'op-1' } });
    const [entry] = await t.kernel.audit.list({ orgId: null, action: 'operator.orgs.listed' });
    expect(entry).toMatchObject({ orgId: null, category: 'operator' });
  });
});

describe('search API (W7.6)', () => {
  let admin: TestUser;
  let member: TestUser;
  beforeAll(async () => {
    admin = await signUpUser(t, { orgName: 'Search Co' });
    member = await addMember(t, admin, 'member', { name: 'Mo Member' });
    for (const name of ['One', 'Two', 'Three']) await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name });
  });

  it('W7.6: admins read the log; members without the permission get 403, outsiders 404', async () => {
    const page = await admin.client.get(api(admin.orgId));
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(3);
    expect(Object.keys(page.body.items[0]).sort()).toEqual(
      ['action', 'actor', 'at', 'category', 'details', 'hash', 'id', 'ip', 'orgId', 'outcome', 'product', 'requestId', 'seq', 'subject', 'target', 'userAgent'].sort(),
    );
    expect(await member.client.get(api(admin.orgId))).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    expect(await member.client.get(api(admin.orgId, '/export'))).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    const outsider = await signUpUser(t);
    expect(await outsider.client.get(api(admin.orgId))).toMatchObject({ status: 404, body: { error: { code: 'org.not_found' } } });
    expect(await outsider.client.get(api(admin.orgId, '/export'))).toMatchObject({ status: 404, body: { error: { code: 'org.not_found' } } });
  });

  it('filters by action, category, actor, target, outcome and time range', async () => {
    const teams = await admin.client.get(api(admin.orgId, '?action=team.created'));
    expect(teams.body.items).toHaveLength(3);
    expect((await admin.client.get(api(admin.orgId, '?category=team'))).body.items).toHaveLength(3);
    const byMember = await admin.client.get(api(admin.orgId, `?actor=${member.accountId}`));
    expect(byMember.body.items.every((e: { actor: { id: string } }) => e.actor.id === member.accountId)).toBe(true);
    expect(byMember.body.items.length).toBeGreaterThan(0);
    expect((await admin.client.get(api(admin.orgId, `?actor=${encodeURIComponent(admin.email)}&action=team.created`))).body.items).toHaveLength(3);
    const teamId = teams.body.items[0].target.id;
    expect((await admin.client.get(api(admin.orgId, `?target=${teamId}`))).body.items).toHaveLength(1);
    expect((await admin.client.get(api(admin.orgId, '?outcome=failure'))).body.items).toHaveLength(0);
    const now = t.clock.now().getTime();
    const future = new Date(now + DAY).toISOString();
    expect((await admin.client.get(api(admin.orgId, `?from=${future}`))).body.items).toHaveLength(0);
    expect((await admin.client.get(api(admin.orgId, `?to=${future}&action=team.created`))).body.items).toHaveLength(3);
    expect((await admin.client.get(api(admin.orgId, '?limit=201'))).status).toBe(400);
    expect((await admin.client.get(api(admin.orgId, '?from=yesterday'))).status).toBe(400);
    expect((await admin.client.get(api(admin.orgId, '?cursor=nonsense'))).body.error.code).toBe('audit.invalid_cursor');
  });

  it('pages with a cursor over (at, id), newest first, without repeats', async () => {
    const all = (await admin.client.get(api(admin.orgId, '?limit=200'))).body.items.map((e: { id: string }) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await admin.client.get(api(admin.orgId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });
});

describe('export (issue 4 §6)', () => {
  it('streams JSON Lines with seq, prevHash and hash that verify offline, and audits the export', async () => {
    const admin = await signUpUser(t, { name: 'Exporter' });
    const response = await admin.client.get<string>(api(admin.orgId, '/export?format=jsonl'));
    expect(response.headers['content-type']).toContain('application/x-ndjson');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="audit-.+\.jsonl"/);
    const lines = jsonLines(response.body);
    expect(JSON.parse(lines[0]!)).toEqual({ anchor: { orgId: admin.orgId, seq: 0, hash: '0'.repeat(64) } });
    const last = JSON.parse(lines[lines.length - 1]!);
    expect(last).toMatchObject({ action: 'audit.exported', seq: lines.length - 1, details: { format: 'jsonl' } });
    expect(Object.keys(last)).toEqual(expect.arrayContaining(['seq', 'prevHash', 'hash']));
    expect(Object.keys(last)).not.toContain('chainKey');
    expect(verifyChainLines(lines)).toMatchObject({ ok: true, entries: lines.length - 1 });
    const [audited] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'audit.exported' });
    expect(audited?.actor).toMatchObject({ id: admin.accountId, name: 'Exporter' });
  });

  it('W4.4: a deleted account leaves the log as "deleted user" — name and email erased — and the export still verifies', async () => {
    const admin = await signUpUser(t, { name: 'Keeper' });
    const member = await addMember(t, admin, 'member', { name: 'Leaver Lee' });
    expect((await member.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Leavers' })).status).toBe(201);
    expect((await member.client.post('/api/v1/me/delete', { password: PASSWORD })).status).toBe(204);

    const page = await admin.client.get(api(admin.orgId, `?actor=${member.accountId}`));
    expect(page.body.items.length).toBeGreaterThan(0);
    for (const item of page.body.items) expect(item.actor).toEqual({ type: 'account', id: member.accountId, name: null, email: null, erased: true });
    const invited = await admin.client.get(api(admin.orgId, '?action=invitation.created'));
    expect(invited.body.items[0].subject).toEqual({ email: null, erased: true });
    const lines = await exportJsonl(admin);
    expect(lines.join('\n')).not.toContain(member.email);
    expect(lines.join('\n')).not.toContain('Leaver Lee');
    expect(verifyChainLines(lines)).toMatchObject({ ok: true });
    // The admin's own entries keep their name: erasure reaches only the deleted account.
    const [kept] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'audit.exported' });
    expect(kept?.actor).toMatchObject({ id: admin.accountId, name: 'Keeper', email: admin.email });
  });

  it('streams CSV with a header row and RFC 4180 escaping', async () => {
    const admin = await signUpUser(t, { name: 'Ada "Quote", Esq.' });
    await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: '=HYPERLINK("x")' });
    const response = await admin.client.get<string>(api(admin.orgId, '/export?format=csv'));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const rows = response.body.split('\r\n').filter((r) => r !== '');
    expect(rows[0]).toBe('seq,id,at,product,category,action,outcome,actor_type,actor_id,actor_name,actor_email,ip,user_agent,target_type,target_id,subject_email,request_id,details,prev_hash,hash');
    expect(response.body).toContain('"Ada ""Quote"", Esq."');
    const teamRow = rows.find((r) => r.includes('team.created'));
    expect(teamRow).toContain('""name"":""=HYPERLINK(\\""x\\"")""}"');
    expect(csvCell('=cmd|calc')).toBe("'=cmd|calc");
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('');
    expect(rows.length).toBeGreaterThan(2);
  });

  it('exports a time range as a contiguous slice whose anchor is the entry before it', async () => {
    const admin = await signUpUser(t);
    const from = new Date(t.clock.now().getTime() + 1000).toISOString();
    t.clock.advance(2000);
    for (const name of ['A', 'B']) await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name });
    const lines = await exportJsonl(admin, `&from=${from}`);
    const anchor = JSON.parse(lines[0]!).anchor as { seq: number };
    expect(anchor.seq).toBeGreaterThan(0);
    expect(JSON.parse(lines[1]!).seq).toBe(anchor.seq + 1);
    expect(verifyChainLines(lines)).toMatchObject({ ok: true, anchored: true });
  });
});

describe('API key use (issue 4 §6)', () => {
  it('audits the first use of a key after an idle hour, with the caller’s address, not every request', async () => {
    const admin = await signUpUser(t);
    const created = await admin.client.post('/api/v1/me/api-keys', { name: 'CI', orgId: admin.orgId });
    const bot = new TestClient(t.app);
    const asBot = () => bot.request('GET', '/api/v1/me', undefined, { authorization: `Bearer ${created.body.secret}` });
    expect((await asBot()).status).toBe(200);
    expect((await asBot()).status).toBe(200);
    t.clock.advance(59 * 60_000);
    expect((await asBot()).status).toBe(200);
    const uses = () => t.kernel.audit.list({ orgId: admin.orgId, action: 'api_key.used' });
    expect(await uses()).toHaveLength(1);
    t.clock.advance(60 * 60_000);
    expect((await asBot()).status).toBe(200);
    const all = await uses();
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ actor: { id: admin.accountId }, target: { type: 'api_key', id: created.body.apiKey.id }, ip: '127.0.0.1' });
  });
});

describe('retention (W4.6)', () => {
  it('W4.6: after 401 days the daily job purges old entries, audits the purge, and later exports still verify', async () => {
    const admin = await signUpUser(t, { orgName: 'Old Co' });
    const oldCount = (await t.kernel.audit.list({ orgId: admin.orgId, limit: 1000 })).length;
    t.clock.advance(401 * DAY);
    // Sessions have long expired; a fresh event comes straight through the sink.
    await t.kernel.audit.record({ orgId: admin.orgId, action: 'team.created', outcome: 'success', actor: { type: 'system' } });
    await t.jobs.tick();
    const remaining = await t.kernel.audit.list({ orgId: admin.orgId, limit: 1000 });
    expect(remaining.map((e) => e.action).sort()).toEqual(['audit.purged', 'team.created']);
    const purge = remaining.find((e) => e.action === 'audit.purged');
    expect(purge).toMatchObject({ actor: { type: 'system' }, details: { purged: oldCount, throughSeq: oldCount, retentionDays: 400 } });
    const platformPurge = await t.kernel.audit.list({ orgId: null, action: 'audit.purged' });
    expect(platformPurge.length).toBe(1);
    const { client } = await signInAgain(admin);
    const response = await client.get<string>(api(admin.orgId, '/export?format=jsonl'));
    const lines = jsonLines(response.body);
    expect(JSON.parse(lines[0]!).anchor.seq).toBe(oldCount);
    // The purge, the fresh event, the new sign-in (account events reach the org log) and the export.
    expect(verifyChainLines(lines)).toMatchObject({ ok: true, entries: 4, anchored: true });
    expect(verifyChainLines(lines.slice(0, 1).concat(lines.slice(2)))).toMatchObject({ ok: false, reason: 'gap' });
  });
});

describe('account-level events reach the org log (issue 4 §6, W7.6)', () => {
  it("a member's sign-ins and failed sign-ins appear in their org's log as well as the platform chain", async () => {
    const admin = await signUpUser(t, { orgName: 'Sign-in Co' });
    const member = await addMember(t, admin, 'member');
    t.clock.advance(1000);
    const wrong = await new TestClient(t.app).post('/api/v1/sessions', { email: member.email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    const client = new TestClient(t.app);
    expect((await client.post('/api/v1/sessions', { email: member.email, password: PASSWORD })).status).toBe(200);
    const page = await admin.client.get(api(admin.orgId, `?action=auth.sign_in&actor=${member.accountId}`));
    expect(page.body.items.map((e: { outcome: string }) => e.outcome)).toEqual(['success', 'failure']);
    const platform = await t.kernel.audit.list({ orgId: null, action: 'auth.sign_in', limit: 1000 });
    expect(platform.filter((e) => e.actor.id === member.accountId)).toHaveLength(2);
  });
});
