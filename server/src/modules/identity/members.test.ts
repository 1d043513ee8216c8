import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../kernel/clock';
import { TestClient } from '../../test/client';
import { addMember, invite, PASSWORD, signUpUser, uniqueEmail } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('invitations (W6.2, W6.4)', () => {
  it('invites by email; the link previews the org and creates an account on accept', async () => {
    const admin = await signUpUser(t, { orgName: 'Globex' });
    const { email, token } = await invite(t, admin, 'member');
    const [mail] = (await t.kernel.mailer.outbox(20)).filter((m) => m.to === email);
    expect(mail?.subject).toContain('Globex');
    const visitor = new TestClient(t.app);
    const preview = await visitor.get(`/api/v1/invitations/${token}`);
    expect(preview.body).toMatchObject({ orgName: 'Globex', email, role: 'member', inviterName: 'Ada Admin', accountExists: false });
    const accepted = await visitor.post(`/api/v1/invitations/${token}/accept`, { name: 'Bo Member', password: PASSWORD, locale: 'ja' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.orgId).toBe(admin.orgId);
    expect(accepted.body.me.account).toMatchObject({ email, locale: 'ja', emailVerified: true });
    expect(accepted.body.me.orgs[0]).toMatchObject({ id: admin.orgId, role: 'member' });
    const invitations = await admin.client.get(`/api/v1/orgs/${admin.orgId}/invitations`);
    expect(invitations.body.items.find((i: { email: string }) => i.email === email).status).toBe('accepted');
    expect((await visitor.get(`/api/v1/invitations/${token}`)).status).toBe(404);
  });

  it('adds an existing account that signs in first; refuses another account and a signed-out accept', async () => {
    const admin = await signUpUser(t);
    const other = await signUpUser(t, { orgName: 'Other' });
    const { token } = await invite(t, admin, 'guest', other.email);
    const anonymous = await new TestClient(t.app).post(`/api/v1/invitations/${token}/accept`, { name: 'X', password: PASSWORD });
    expect(anonymous.body.error.code).toBe('invitation.sign_in_required');
    const stranger = await signUpUser(t);
    expect((await stranger.client.post(`/api/v1/invitations/${token}/accept`, {})).body.error.code).toBe('invitation.wrong_account');
    const accepted = await other.client.post(`/api/v1/invitations/${token}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body.me.orgs.map((o: { id: string }) => o.id).sort()).toEqual([admin.orgId, other.orgId].sort());
  });

  it('expires after 7 days and can be revoked while pending', async () => {
    const admin = await signUpUser(t);
    const late = await invite(t, admin, 'member');
    const revoked = await invite(t, admin, 'member');
    expect((await admin.client.delete(`/api/v1/orgs/${admin.orgId}/invitations/${revoked.invitationId}`)).status).toBe(204);
    expect((await admin.client.delete(`/api/v1/orgs/${admin.orgId}/invitations/${revoked.invitationId}`)).body.error.code).toBe('invitation.not_pending');
    expect((await new TestClient(t.app).get(`/api/v1/invitations/${revoked.token}`)).status).toBe(404);
    t.clock.advance(7 * DAY + 1000);
    const expired = await new TestClient(t.app).post(`/api/v1/invitations/${late.token}/accept`, { name: 'Late', password: PASSWORD });
    expect(expired.status).toBe(404);
    expect(expired.body.error.code).toBe('invitation.not_found');
    const list = await admin.client.get(`/api/v1/orgs/${admin.orgId}/invitations`);
    expect(list.body.items.map((i: { status: string }) => i.status).sort()).toEqual(['expired', 'revoked']);
  });

  it('cannot be accepted twice, and a re-invite replaces the open link', async () => {
    const admin = await signUpUser(t);
    const email = uniqueEmail();
    const first = await invite(t, admin, 'member', email);
    const second = await invite(t, admin, 'member', email);
    expect((await new TestClient(t.app).get(`/api/v1/invitations/${first.token}`)).status).toBe(404);
    const [a, b] = await Promise.all([
      new TestClient(t.app).post(`/api/v1/invitations/${second.token}/accept`, { name: 'One', password: PASSWORD }),
      new TestClient(t.app).post(`/api/v1/invitations/${second.token}/accept`, { name: 'Two', password: PASSWORD }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 404]);
    const members = await admin.client.get(`/api/v1/orgs/${admin.orgId}/members`);
    expect(members.body.items.filter((m: { email: string }) => m.email === email)).toHaveLength(1);
  });

  it('lets invite-permission holders revoke member and guest invitations, not an admin invitation', async () => {
    const admin = await signUpUser(t);
    const inviter = await addMember(t, admin, 'member', { canInvite: true });
    const forAdmin = await invite(t, admin, 'admin');
    const forGuest = await invite(t, admin, 'guest');
    const refused = await inviter.client.delete(`/api/v1/orgs/${admin.orgId}/invitations/${forAdmin.invitationId}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('invitation.role_not_allowed');
    expect((await inviter.client.delete(`/api/v1/orgs/${admin.orgId}/invitations/${forGuest.invitationId}`)).status).toBe(204);
  });

  it('refuses inviting an existing member and requires a verified inviter', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member');
    expect((await admin.client.post(`/api/v1/orgs/${admin.orgId}/invitations`, { email: member.email, role: 'member' })).body.error.code).toBe('invitation.already_member');
    const unverified = await signUpUser(t, { verify: false });
    const refused = await unverified.client.post(`/api/v1/orgs/${unverified.orgId}/invitations`, { email: uniqueEmail(), role: 'member' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('invitation.inviter_unverified');
  });
});

describe('roles and removal (W7.1, W6.5)', () => {
  it('admins change roles and the invite permission; guests never hold it', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member');
    const granted = await admin.client.patch(`/api/v1/orgs/${admin.orgId}/members/${member.accountId}`, { canInvite: true });
    expect(granted.body).toMatchObject({ role: 'member', canInvite: true });
    expect((await member.client.post(`/api/v1/orgs/${admin.orgId}/invitations`, { email: uniqueEmail(), role: 'guest' })).status).toBe(201);
    const demoted = await admin.client.patch(`/api/v1/orgs/${admin.orgId}/members/${member.accountId}`, { role: 'guest' });
    expect(demoted.body).toMatchObject({ role: 'guest', canInvite: false });
    const audit = await t.kernel.audit.list({ orgId: admin.orgId, action: 'member.updated' });
    expect(audit[0]?.details).toMatchObject({ from: { role: 'member' }, to: { role: 'guest' } });
    expect(audit[0]?.actor.id).toBe(admin.accountId);
  });

  it('never leaves an org without an admin', async () => {
    const admin = await signUpUser(t);
    const demote = await admin.client.patch(`/api/v1/orgs/${admin.orgId}/members/${admin.accountId}`, { role: 'member' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('member.last_admin');
    expect((await admin.client.delete(`/api/v1/orgs/${admin.orgId}/members/${admin.accountId}`)).body.error.code).toBe('member.last_admin');
    const second = await addMember(t, admin, 'admin');
    expect((await admin.client.delete(`/api/v1/orgs/${admin.orgId}/members/${admin.accountId}`)).status).toBe(204);
    expect((await second.client.get(`/api/v1/orgs/${admin.orgId}/members`)).body.items).toHaveLength(1);
  });

  it('cuts a removed member off at once: session and API key into that org, nothing else', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member');
    const created = await member.client.post('/api/v1/me/api-keys', { name: 'ci', orgId: admin.orgId });
    const keyClient = new TestClient(t.app);
    keyClient.apiKey = created.body.secret;
    expect((await keyClient.get(`/api/v1/orgs/${admin.orgId}/teams`)).status).toBe(200);
    const team = await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Ops', memberIds: [member.accountId] });

    expect((await admin.client.delete(`/api/v1/orgs/${admin.orgId}/members/${member.accountId}`)).status).toBe(204);
    const afterSession = await member.client.get(`/api/v1/orgs/${admin.orgId}`);
    expect(afterSession.status).toBe(404);
    expect(afterSession.body.error.code).toBe('org.not_found');
    expect((await keyClient.get(`/api/v1/orgs/${admin.orgId}/teams`)).status).toBe(401);
    expect((await member.client.get('/api/v1/me')).body.orgs).toEqual([]);
    expect((await admin.client.get(`/api/v1/orgs/${admin.orgId}/teams/${team.body.id}`)).body.members).toEqual([]);
    const audit = await t.kernel.audit.list({ orgId: admin.orgId, action: 'member.removed' });
    expect(audit[0]?.target).toEqual({ type: 'account', id: member.accountId });
  });

  it('lets anyone leave an org', async () => {
    const admin = await signUpUser(t);
    const guest = await addMember(t, admin, 'guest');
    expect((await guest.client.delete(`/api/v1/orgs/${admin.orgId}/members/${guest.accountId}`)).status).toBe(204);
    expect((await t.kernel.audit.list({ orgId: admin.orgId, action: 'member.left' })).length).toBe(1);
  });

  it('answers 404 for an unknown member and 400 for a bad role', async () => {
    const admin = await signUpUser(t);
    expect((await admin.client.patch(`/api/v1/orgs/${admin.orgId}/members/nobody`, { role: 'member' })).status).toBe(404);
    const bad = await admin.client.patch(`/api/v1/orgs/${admin.orgId}/members/${admin.accountId}`, { role: 'owner' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('request.invalid');
    expect((await new TestClient(t.app).get(`/api/v1/orgs/${admin.orgId}/members`)).status).toBe(401);
  });
});

describe('teams (W5.1)', () => {
  it('creates, renames, changes members of and deletes teams', async () => {
    const admin = await signUpUser(t);
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    const created = await member.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Design', description: 'UI', memberIds: [member.accountId] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Design', description: 'UI', memberCount: 1, members: [{ accountId: member.accountId, name: 'Mia Member' }] });
    expect((await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Design' })).body.error.code).toBe('team.name_taken');
    const patched = await admin.client.patch(`/api/v1/orgs/${admin.orgId}/teams/${created.body.id}`, { name: 'Product design', memberIds: [member.accountId, admin.accountId] });
    expect(patched.body).toMatchObject({ name: 'Product design', memberCount: 2 });
    const list = await member.client.get(`/api/v1/orgs/${admin.orgId}/teams`);
    expect(list.body.items.map((team: { name: string }) => team.name)).toEqual(['Product design']);
    expect((await admin.client.delete(`/api/v1/orgs/${admin.orgId}/teams/${created.body.id}`)).status).toBe(204);
    expect((await admin.client.get(`/api/v1/orgs/${admin.orgId}/teams/${created.body.id}`)).status).toBe(404);
  });

  it('shows guests only the teams they are in, and never the member list', async () => {
    const admin = await signUpUser(t);
    const guest = await addMember(t, admin, 'guest');
    const mine = await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'With guest', memberIds: [guest.accountId] });
    const hidden = await admin.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Secret' });
    const list = await guest.client.get(`/api/v1/orgs/${admin.orgId}/teams`);
    expect(list.body.items.map((team: { id: string }) => team.id)).toEqual([mine.body.id]);
    expect((await guest.client.get(`/api/v1/orgs/${admin.orgId}/teams/${hidden.body.id}`)).status).toBe(404);
    expect((await guest.client.get(`/api/v1/orgs/${admin.orgId}/members`)).status).toBe(403);
    expect((await guest.client.post(`/api/v1/orgs/${admin.orgId}/teams`, { name: 'Nope' })).status).toBe(403);
    const org = await guest.client.get(`/api/v1/orgs/${admin.orgId}`);
    expect(org.body.abilities).toEqual({ manageOrg: false, viewMembers: false, manageMembers: false, invite: false, manageTeams: false, readAudit: false });
  });
});
