import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * oidc-provider as a real OpenID Provider on 127.0.0.1 (tests and the e2e run only), with its dev
 * login/consent pages. The login typed in is the account id; its claims come from `users`.
 */
export interface TestOidcUser {
  email: string;
  name?: string;
  groups?: string[];
  emailVerified?: boolean;
}

export async function startTestOidcProvider() {
  const users = new Map<string, TestOidcUser>();
  let provider: Provider | null = null;
  const server = http.createServer((req, res) => {
    if (!provider) {
      res.statusCode = 503;
      res.end();
      return;
    }
    void provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    users,
    /** (Re)configures the provider with one confidential client. */
    configure(client: { clientId: string; clientSecret: string; redirectUris: string[] }) {
      provider = new Provider(issuer, {
        clients: [{ client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: client.redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
        pkce: { required: () => true },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
        findAccount: async (_ctx, id) => ({
          accountId: id,
          claims: async () => {
            const user: TestOidcUser = users.get(id) ?? { email: id };
            return { sub: id, email: user.email, email_verified: user.emailVerified ?? true, name: user.name ?? id, groups: user.groups ?? [] };
          },
        }),
        conformIdTokenClaims: false,
      });
      provider.proxy = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A browser at the provider: follows redirects with its own cookie jar and submits the dev login and
 * consent forms, until the provider sends the browser back to `returnPrefix`. Returns that URL.
 */
export async function loginAtProvider(startUrl: string, login: string, returnPrefix: string): Promise<string> {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...rest] = pair!.split('=');
      jar.set(name!.trim(), rest.join('='));
    }
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = startUrl;
  let body: string | null = null;
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(returnPrefix)) return url;
    const response: Response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body } : {}),
    });
    remember(response);
    body = null;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page (${response.status}): ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt }).toString();
  }
  throw new Error('the provider never sent the browser back');
}
