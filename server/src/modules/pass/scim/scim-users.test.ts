import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, uniqueEmail } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { browserOf, expectScimError, issueScimToken, type ScimClient, userBody } from './scim.test-support';

/** Issue 4 §5: SCIM Users ↔ managed accounts (W8.3): filters, paging, PATCH, deactivate vs delete (W4.5). */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patchOf = (...Operations: object[]) => ({ schemas: [PATCH], Operations });
const q = (filter: string, rest = '') => `/Users?filter=${encodeURIComponent(filter)}${rest}`;

async function orgWithUsers(count: number) {
  const admin = await signUpUser(t);
  const { scim } = await issueScimToken(t, admin);
  const users: { id: string; userName: string }[] = [];
  for (let i = 0; i < count; i++) {
    const userName = `User${i}.${uniqueEmail('p').replace('@', '.x@')}`;
    const created = await scim.post('/Users', userBody(userName, { title: i % 2 === 0 ? 'Engineer' : 'Designer', externalId: `ext-${i}`, displayName: `Person ${i}` }));
    expect(created.status).toBe(201);
    users.push({ id: created.body.id, userName });
    t.clock.advance(1000);
  }
  return { admin, scim, users };
}

const ids = (body: { Resources: { id: string }[] }) => body.Resources.map((r) => r.id);

describe('SCIM Users: list, filter and paging', () => {
  it('filters with every operator; userName compares case-insensitively, externalId exactly', async () => {
    const { scim, users } = await orgWithUsers(4);
    const [u0, u1, u2, u3] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0], (typeof users)[0]];
    const list = async (filter: string) => {
      const response = await scim.get(q(filter));
      expect(response.status, `${filter}: ${JSON.stringify(response.body)}`).toBe(200);
      return ids(response.body).sort();
    };
    const sorted = (...us: { id: string }[]) => us.map((u) => u.id).sort();
    expect(await list(`userName eq "${u1.userName.toUpperCase()}"`)).toEqual(sorted(u1));
    expect(await list(`USERNAME Eq "${u1.userName}"`)).toEqual(sorted(u1));
    expect(await list(`userName ne "${u1.userName.toLowerCase()}"`)).toEqual(sorted(u0, u2, u3));
    expect(await list('userName sw "USER2."')).toEqual(sorted(u2));
    expect(await list('userName co ".X@EXAMPLE"')).toEqual(sorted(u0, u1, u2, u3));
    expect(await list(`userName ew "${u3.userName.slice(-23).toUpperCase()}"`)).toEqual(sorted(u3));
    expect(await list('title pr')).toEqual(sorted(u0, u1, u2, u3));
    expect(await list('nickName pr')).toEqual([]);
    expect(await list('externalId eq "ext-2"')).toEqual(sorted(u2));
    expect(await list('externalId eq "EXT-2"')).toEqual([]);
    expect(await list('title eq "engineer" and displayName eq "Person 2"')).toEqual(sorted(u2));
    expect(await list('displayName eq "Person 1" or displayName eq "Person 3"')).toEqual(sorted(u1, u3));
    expect(await list('not (title eq "Engineer")')).toEqual(sorted(u1, u3));
    expect(await list('emails[type eq "work" and value co "user0."]')).toEqual(sorted(u0));
    expect(await list('emails.value sw "user3."')).toEqual(sorted(u3));
    expect(await list('active eq true')).toEqual(sorted(u0, u1, u2, u3));
    // Dates compare in order: created after the second user.
    const second = await scim.get(`/Users/${u1.id}`);
    expect(await list(`meta.created gt "${second.body.meta.created}"`)).toEqual(sorted(u2, u3));
    expect(await list(`meta.created ge "${second.body.meta.created}"`)).toEqual(sorted(u1, u2, u3));
    expect(await list(`meta.created lt "${second.body.meta.created}"`)).toEqual(sorted(u0));
    expect(await list(`meta.created le "${second.body.meta.created}"`)).toEqual(sorted(u0, u1));
  });

  it('pages with startIndex and count, 1-based, stable by creation', async () => {
    const { scim, users } = await orgWithUsers(5);
    const page = await scim.get('/Users?startIndex=2&count=2');
    expect(page.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(ids(page.body)).toEqual([users[1]?.id, users[2]?.id]);
    const last = await scim.get('/Users?startIndex=5&count=10');
    expect(ids(last.body)).toEqual([users[4]?.id]);
    expect((await scim.get('/Users?startIndex=0&count=1')).body).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    expect((await scim.get('/Users?count=0')).body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    expect((await scim.get('/Users?startIndex=9')).body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    const filtered = await scim.get(q('title eq "Engineer"', '&startIndex=2&count=1'));
    expect(filtered.body).toMatchObject({ totalResults: 3, itemsPerPage: 1 });
    expect(ids(filtered.body)).toEqual([users[2]?.id]);
  });

  it('honours attributes and excludedAttributes', async () => {
    const { scim, users } = await orgWithUsers(1);
    const only = await scim.get('/Users?attributes=userName,name.givenName');
    expect(Object.keys(only.body.Resources[0]).sort()).toEqual(['id', 'name', 'schemas', 'userName']);
    expect(only.body.Resources[0].name).toEqual({ givenName: 'Barbara' });
    const without = await scim.get(`/Users/${users[0]?.id}?excludedAttributes=emails,meta`);
    expect(without.body).not.toHaveProperty('emails');
    expect(without.body).not.toHaveProperty('meta');
    expect(without.body.id).toBe(users[0]?.id);
  });
});

describe('SCIM Users: create, replace, PATCH', () => {
  it('creates a managed account with meta, Location and ETag, audited as SCIM', async () => {
    const admin = await signUpUser(t);
    const { scim } = await issueScimToken(t, admin);
    const userName = uniqueEmail('Babs.Jensen');
    const created = await scim.post('/Users', userBody(userName, { roles: [{ value: 'guest', primary: true }] }));
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`http://127.0.0.1:3000/scim/v2/Users/${created.body.id}`);
    expect(created.headers.etag).toBe(created.body.meta.version);
    expect(created.body).toMatchObject({
      userName,
      displayName: 'Barbara Jensen',
      active: true,
      roles: [{ value: 'GUEST', primary: true }],
      meta: { resourceType: 'User', created: t.clock.now().toISOString(), lastModified: t.clock.now().toISOString() },
    });
    expect(await t.identity.managedAccounts.get(admin.orgId, created.body.id)).toMatchObject({ email: userName.toLowerCase(), name: 'Barbara Jensen', role: 'guest', active: true });
    const [event] = await t.kernel.audit.list({ orgId: admin.orgId, action: 'managed_account.created' });
    expect(event).toMatchObject({ actor: { type: 'system', name: 'SCIM' }, userAgent: 'vitest-scim', details: expect.objectContaining({ actorKind: 'scim' }) });
  });

  it('PUT replaces; owned attributes left out keep their value', async () => {
    const admin = await signUpUser(t);
    const { scim } = await issueScimToken(t, admin);
    const created = await scim.post('/Users', userBody(uniqueEmail('put'), { roles: [{ value: 'ADMIN', primary: true }], title: 'Boss' }));
    const next = uniqueEmail('renamed');
    const put = await scim.put(`/Users/${created.body.id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: next, name: { givenName: 'New', familyName: 'Name' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ userName: next, displayName: 'New Name', active: true, roles: [{ value: 'ADMIN' }] });
    expect(put.body).not.toHaveProperty('title');
    expect(await t.identity.managedAccounts.get(admin.orgId, created.body.id)).toMatchObject({ email: next.toLowerCase(), name: 'New Name', role: 'admin' });
  });

  it('PATCH add / replace / remove, with and without path', async () => {
    const admin = await signUpUser(t);
    const { scim } = await issueScimToken(t, admin);
    const { body: user } = await scim.post('/Users', userBody(uniqueEmail('patch'), { externalId: 'e-1' }));
    const url = `/Users/${user.id}`;
    const add = await scim.patch(url, patchOf({ op: 'add', path: 'title', value: 'Tour Guide' }, { op: 'add', path: 'phoneNumbers', value: [{ value: '555-1234', type: 'work' }] }));
    expect(add.body).toMatchObject({ title: 'Tour Guide', phoneNumbers: [{ value: '555-1234' }] });
    const replace = await scim.patch(url, patchOf({ op: 'replace', path: 'name.givenName', value: 'Babs' }, { op: 'replace', value: { displayName: 'Babs J', title: 'Lead' } }));
    expect(replace.body).toMatchObject({ name: { givenName: 'Babs' }, displayName: 'Babs J', title: 'Lead' });
    const remove = await scim.patch(url, patchOf({ op: 'remove', path: 'title' }, { op: 'remove', path: 'externalId' }, { op: 'remove', path: 'phoneNumbers[type eq "work"]' }));
    expect(remove.status).toBe(200);
    expect(remove.body).not.toHaveProperty('title');
    expect(remove.body).not.toHaveProperty('externalId');
    expect(remove.body.phoneNumbers ?? []).toEqual([]);
    expect(await t.identity.managedAccounts.get(admin.orgId, user.id)).toMatchObject({ name: 'Babs J', externalId: null });
    // Role through the Entra SingleAppRoleAssignment path.
    const role = await scim.patch(url, patchOf({ op: 'Replace', path: 'roles[primary eq "True"].value', value: 'ADMIN' }));
    expect(role.body.roles).toEqual([expect.objectContaining({ value: 'ADMIN', primary: true })]);
    expect((await t.identity.managedAccounts.get(admin.orgId, user.id))?.role).toBe('admin');
  });
});

describe('SCIM Users: deactivate vs delete (W8.3, W4.5)', () => {
  it('active=false suspends and ends every session at once; active=true restores sign-in ability', async () => {
    const admin = await signUpUser(t);
    const { scim } = await issueScimToken(t, admin);
    const { body: user } = await scim.post('/Users', userBody(uniqueEmail('leaver')));
    const browser = await browserOf(t, user.id);
    expect((await browser.get('/api/v1/me')).status).toBe(200);
    const off = await scim.patch(`/Users/${user.id}`, patchOf({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.body.active).toBe(false);
    expect((await browser.get('/api/v1/me')).status).toBe(401);
    // Still there for the IdP: readable, filterable, reactivatable.
    expect((await scim.get(q('active eq false'))).body.totalResults).toBe(1);
    const on = await scim.patch(`/Users/${user.id}`, patchOf({ op: 'replace', value: { active: true } }));
    expect(on.body.active).toBe(true);
    expect((await browserOf(t, user.id).then((b) => b.get('/api/v1/me'))).status).toBe(200);
    const actions = (await t.kernel.audit.list({ orgId: admin.orgId })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['managed_account.suspended', 'managed_account.reactivated']));
  });

  it('DELETE purges the account and its SCIM attributes at once; the address is free again', async () => {
    const admin = await signUpUser(t);
    const { scim } = await issueScimToken(t, admin);
    const userName = uniqueEmail('gone');
    const { body: user } = await scim.post('/Users', userBody(userName, { title: 'Secret title', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '42' } }));
    const browser = await browserOf(t, user.id);
    expect((await scim.delete(`/Users/${user.id}`)).status).toBe(204);
    expect((await browser.get('/api/v1/me')).status).toBe(401);
    expectScimError(await scim.get(`/Users/${user.id}`), 404);
    expect(await t.identity.managedAccounts.get(admin.orgId, user.id)).toBeNull();
    expect(await t.identity.managedAccounts.findByEmail(admin.orgId, userName)).toBeNull();
    expect((await scim.get('/Users')).body.totalResults).toBe(0);
    // Re-creating with the same userName works and carries none of the old attributes.
    const again = await scim.post('/Users', userBody(userName));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(user.id);
    expect(again.body).not.toHaveProperty('title');
    expectScimError(await scim.delete(`/Users/${user.id}`), 404);
  });
});

describe('SCIM errors (RFC 7644 §3.12)', () => {
  let scim: ScimClient;
  let userId: string;
  let taken: string;
  beforeAll(async () => {
    const admin = await signUpUser(t);
    scim = (await issueScimToken(t, admin)).scim;
    taken = uniqueEmail('taken');
    userId = (await scim.post('/Users', userBody(taken, { externalId: 'x-1' }))).body.id;
  });

  it('400 invalidSyntax for malformed JSON, a wrong schema or a PATCH without Operations', async () => {
    expectScimError(await scim.request('POST', '/Users', '{"userName":'), 400, 'invalidSyntax');
    expectScimError(await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], userName: uniqueEmail() }), 400, 'invalidSyntax');
    expectScimError(await scim.post('/Users', [1, 2]), 400, 'invalidSyntax');
    expectScimError(await scim.patch(`/Users/${userId}`, { schemas: [PATCH] }), 400, 'invalidSyntax');
    expectScimError(await scim.patch(`/Users/${userId}`, { Operations: [{ op: 'replace', path: 'active', value: false }] }), 400, 'invalidSyntax');
    expectScimError(await scim.patch(`/Users/${userId}`, patchOf({ op: 'move', path: 'active' })), 400, 'invalidSyntax');
    const plain = await scim.request('POST', '/Users', 'userName=x', 'text/plain');
    expect(plain.status).toBe(415);
  });

  it('400 invalidFilter for a filter that does not parse or compares booleans by order', async () => {
    expectScimError(await scim.get(q('userName eq')), 400, 'invalidFilter');
    expectScimError(await scim.get(q('userName xx "a"')), 400, 'invalidFilter');
    expectScimError(await scim.get(q('(userName eq "a"')), 400, 'invalidFilter');
    expectScimError(await scim.get(q('active gt true')), 400, 'invalidFilter');
  });

  it('400 invalidValue for missing or wrong values', async () => {
    expectScimError(await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] }), 400, 'invalidValue');
    expectScimError(await scim.post('/Users', userBody('not-an-address', { emails: [] })), 400, 'invalidValue');
    expectScimError(await scim.post('/Users', userBody(uniqueEmail(), { active: 'maybe' })), 400, 'invalidValue');
    expectScimError(await scim.post('/Users', userBody(uniqueEmail(), { roles: [{ value: 'OWNER', primary: true }] })), 400, 'invalidValue');
    expectScimError(await scim.get('/Users?count=ten'), 400, 'invalidValue');
    expectScimError(await scim.patch(`/Users/${userId}`, patchOf({ op: 'replace', path: 'active', value: 'nope' })), 400, 'invalidValue');
  });

  it('400 noTarget / invalidPath from PATCH paths', async () => {
    expectScimError(await scim.patch(`/Users/${userId}`, patchOf({ op: 'remove' })), 400, 'noTarget');
    const bad = await scim.patch(`/Users/${userId}`, patchOf({ op: 'replace', path: 'emails[type eq "work"', value: 'x' }));
    expect(bad.status).toBe(400);
    expect(bad.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });

  it('404 for unknown ids and endpoints; 409 uniqueness for a taken userName or externalId', async () => {
    expectScimError(await scim.get('/Users/0192aaaa-0000-7000-8000-000000000000'), 404);
    expectScimError(await scim.put('/Users/0192aaaa-0000-7000-8000-000000000000', userBody(uniqueEmail())), 404);
    expectScimError(await scim.get('/Nope'), 404);
    expectScimError(await scim.post('/Users', userBody(taken.toUpperCase())), 409, 'uniqueness');
    expectScimError(await scim.post('/Users', userBody(uniqueEmail(), { externalId: 'x-1' })), 409, 'uniqueness');
    const other = (await scim.post('/Users', userBody(uniqueEmail()))).body.id;
    expectScimError(await scim.patch(`/Users/${other}`, patchOf({ op: 'replace', path: 'userName', value: taken })), 409, 'uniqueness');
  });

  it('discovery endpoints answer in SCIM', async () => {
    const config = await scim.get('/ServiceProviderConfig');
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 200 }, bulk: { supported: false } });
    const types = await scim.get('/ResourceTypes');
    expect(types.body.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    expect((await scim.get('/ResourceTypes/User')).body.endpoint).toBe('/Users');
    const schemas = await scim.get('/Schemas');
    expect(schemas.body.totalResults).toBe(3);
    expect((await scim.get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).body.name).toBe('User');
    expectScimError(await scim.get('/Schemas/urn:nope'), 404);
  });
});
