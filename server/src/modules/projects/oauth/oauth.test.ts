import { Backlog, Error as BacklogErrors, OAuth2 } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { backlog } from '../../../test/backlog-client';

const REDIRECT = 'https://app.example.test/callback';
const rewrite = (url: RequestInfo | URL, init?: RequestInit) => fetch(String(url).replace(/^https:\/\//, 'http://'), init);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Backlog's OAuth 2.0 authorization-code flow, driven by backlog-js's own OAuth2 class (issue 3 §2). */
describe('OAuth 2.0 authorization code, refresh and Bearer tokens on /api/v2', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let host: string;
  let credentials: { clientId: string; clientSecret: string };
  let appId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Acme' });
    member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    host = `127.0.0.1:${address.port}`;
    const created = await admin.client.post(`/api/v1/orgs/${admin.orgId}/projects/oauth-apps`, { name: 'Timesheet', redirectUri: REDIRECT });
    expect(created.status).toBe(201);
    credentials = { clientId: created.body.clientId, clientSecret: created.body.clientSecret };
    appId = created.body.id;
  });
  afterAll(async () => t.close());

  /** The user's browser: consent page, then the "Allow" form, then the redirect carrying the code. */
  async function authorize(user: TestUser, state: string, decision: 'allow' | 'deny' = 'allow') {
    const oauth = new OAuth2(credentials, undefined, rewrite);
    const url = new URL(oauth.getAuthorizationURL({ host, redirectUri: REDIRECT, state }));
    const consent = await user.client.get(url.pathname + url.search);
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Allow Timesheet to use your account?');
    const csrf = /name="csrf" value="([^"]+)"/.exec(consent.body as string)?.[1] ?? '';
    const answer = await user.client.request('POST', '/OAuth2AccessRequest.action', form({ response_type: 'code', client_id: credentials.clientId, redirect_uri: REDIRECT, state, csrf, decision }), FORM);
    expect(answer.status).toBe(302);
    return new URL(String(answer.headers.location));
  }

  it('code → access token (1 h) → Bearer calls through backlog-js → refresh rotates → old tokens die', async () => {
    const redirected = await authorize(member, 'xyz');
    expect(redirected.origin + redirected.pathname).toBe(REDIRECT);
    expect(redirected.searchParams.get('state')).toBe('xyz');
    const code = redirected.searchParams.get('code') ?? '';

    const oauth = new OAuth2(credentials, undefined, rewrite);
    const token = await oauth.getAccessToken({ host, code, redirectUri: REDIRECT });
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    await expect(oauth.getAccessToken({ host, code, redirectUri: REDIRECT })).rejects.toBeInstanceOf(BacklogErrors.BacklogApiError); // single use

    const api = new Backlog({ host, accessToken: token.access_token, fetch: rewrite });
    expect(await api.getMyself()).toMatchObject({ name: 'Mia Member', roleType: 2 });

    const refreshed = await oauth.refreshAccessToken({ host, refreshToken: token.refresh_token });
    expect(refreshed.access_token).not.toBe(token.access_token);
    expect(refreshed.refresh_token).not.toBe(token.refresh_token);
    await expect(api.getMyself()).rejects.toBeInstanceOf(BacklogErrors.BacklogAuthError);
    await expect(oauth.refreshAccessToken({ host, refreshToken: token.refresh_token })).rejects.toBeInstanceOf(BacklogErrors.BacklogApiError);
    const api2 = new Backlog({ host, accessToken: refreshed.access_token, fetch: rewrite });
    expect((await api2.getMyself()).name).toBe('Mia Member');

    // One hour later the access token is dead (401 with a JSON body and WWW-Authenticate); refresh still works.
    t.clock.advance(3601 * 1000);
    const expired = await backlog(t, refreshed.access_token, 'GET', '/users/myself', undefined, 'bearer');
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('Bearer');
    expect(expired.body.errors[0].code).toBe(11);
    const again = await oauth.refreshAccessToken({ host, refreshToken: refreshed.refresh_token });
    expect((await backlog(t, again.access_token, 'GET', '/users/myself', undefined, 'bearer')).body.name).toBe('Mia Member');
  });

  it('deny, bad client, bad secret, wrong redirect URI, CSRF, signed-out redirect', async () => {
    const denied = await authorize(member, 's1', 'deny');
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('code')).toBeNull();

    const bogus = await member.client.get(`/OAuth2AccessRequest.action?response_type=code&client_id=nope-nope-nope&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(bogus.status).toBe(400);
    const wrongUri = await member.client.get(`/OAuth2AccessRequest.action?response_type=code&client_id=${credentials.clientId}&redirect_uri=${encodeURIComponent('https://evil.example.test/')}`);
    expect(wrongUri.status).toBe(400);
    expect(wrongUri.headers.location).toBeUndefined();
    const forged = await member.client.request('POST', '/OAuth2AccessRequest.action', form({ response_type: 'code', client_id: credentials.clientId, redirect_uri: REDIRECT, csrf: 'forged', decision: 'allow' }), FORM);
    expect(forged.status).toBe(403);

    const anonymous = await t.app.inject({ method: 'GET', url: `/OAuth2AccessRequest.action?response_type=code&client_id=${credentials.clientId}` });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/signin\?next=%2FOAuth2AccessRequest\.action/);

    const code = (await authorize(member, 's2')).searchParams.get('code') ?? '';
    const badSecret = await new OAuth2({ ...credentials, clientSecret: 'wrong' }, undefined, rewrite).getAccessToken({ host, code, redirectUri: REDIRECT }).catch((e: unknown) => e);
    expect(badSecret).toBeInstanceOf(BacklogErrors.BacklogAuthError);
    const badGrant = await t.app.inject({ method: 'POST', url: '/api/v2/oauth2/token', headers: FORM, payload: form({ grant_type: 'password', ...{ client_id: credentials.clientId, client_secret: credentials.clientSecret } }) });
    expect(badGrant.statusCode).toBe(400);
    expect(badGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('only org admins manage apps; another org cannot use or see them (W7.7); deleting an app kills its tokens', async () => {
    expect((await member.client.post(`/api/v1/orgs/${admin.orgId}/projects/oauth-apps`, { name: 'x', redirectUri: REDIRECT })).status).toBe(403);
    expect((await admin.client.post(`/api/v1/orgs/${admin.orgId}/projects/oauth-apps`, { name: 'x', redirectUri: 'http://evil.example.test/' })).status).toBe(400);
    const list = await admin.client.get(`/api/v1/orgs/${admin.orgId}/projects/oauth-apps`);
    expect(list.body.apps).toEqual([expect.objectContaining({ name: 'Timesheet', clientId: credentials.clientId, redirectUri: REDIRECT })]);
    expect(JSON.stringify(list.body)).not.toContain(credentials.clientSecret);

    const outsider = await signUpUser(t, { orgName: 'Other' });
    expect((await outsider.client.get(`/api/v1/orgs/${admin.orgId}/projects/oauth-apps`)).status).toBe(404);
    expect((await outsider.client.delete(`/api/v1/orgs/${outsider.orgId}/projects/oauth-apps/${appId}`)).status).toBe(404);
    const consent = await outsider.client.get(`/OAuth2AccessRequest.action?response_type=code&client_id=${credentials.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(consent.status).toBe(403);

    const code = (await authorize(admin, 's3')).searchParams.get('code') ?? '';
    const token = await new OAuth2(credentials, undefined, rewrite).getAccessToken({ host, code, redirectUri: REDIRECT });
    expect((await backlog(t, token.access_token, 'GET', '/users/myself', undefined, 'bearer')).status).toBe(200);
    expect((await admin.client.delete(`/api/v1/orgs/${admin.orgId}/projects/oauth-apps/${appId}`)).status).toBe(204);
    expect((await backlog(t, token.access_token, 'GET', '/users/myself', undefined, 'bearer')).status).toBe(401);
    expect(await t.kernel.audit.list({ orgId: admin.orgId, action: 'projects.oauth_app_deleted' })).toHaveLength(1);
  });
});
