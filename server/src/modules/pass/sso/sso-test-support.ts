import { TestClient } from '../../../test/client';
import { invite, PASSWORD, signUpUser, type TestUser } from '../../../test/factories';
import type { TestApp } from '../../../test/harness';

/** Test set-up through the real API: an org with a verified domain (DNS TXT on a local dns2 server). */
let n = 0;
export const freshDomain = () => `corp${++n}-${Math.random().toString(36).slice(2, 8)}.example.test`;

export interface DnsRecords {
  records: Map<string, string[]>;
}

export async function orgWithDomain(t: TestApp, dns: DnsRecords, domain = freshDomain()): Promise<{ admin: TestUser; domain: string }> {
  const admin = await signUpUser(t, { email: `admin-${Math.random().toString(36).slice(2, 8)}@${domain}` });
  const added = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/domains`, { domain });
  if (added.status !== 201) throw new Error(`add domain: ${added.status} ${JSON.stringify(added.body)}`);
  dns.records.set(added.body.txtRecord.name, [added.body.txtRecord.value]);
  const verified = await admin.client.post(`/api/v1/orgs/${admin.orgId}/pass/domains/${added.body.id}/verify`);
  if (verified.status !== 200) throw new Error(`verify domain: ${verified.status} ${JSON.stringify(verified.body)}`);
  return { admin, domain };
}

/** A password member of the org whose address is on `domain`. */
export async function memberOn(t: TestApp, admin: TestUser, domain: string, role: 'admin' | 'member' | 'guest' = 'member'): Promise<TestUser> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@${domain}`;
  const { token } = await invite(t, admin, role, email);
  const client = new TestClient(t.app);
  const accepted = await client.post(`/api/v1/invitations/${token}/accept`, { name: `${role} person`, password: PASSWORD, locale: 'en' });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { client, accountId: accepted.body.me.account.id as string, email, orgId: admin.orgId };
}

export const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** Posts a SAMLResponse the way a browser does after the IdP's auto-submitting form. */
export const postAcs = (client: TestClient, acsPath: string, samlResponse: string) =>
  client.request('POST', acsPath, `SAMLResponse=${encodeURIComponent(samlResponse)}`, form);

export const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
