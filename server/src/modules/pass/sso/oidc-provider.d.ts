/** The little of oidc-provider 9 (no bundled types) that the test OpenID Provider uses. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface TestAccount {
    accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }

  class Provider {
    constructor(issuer: string, configuration: Record<string, unknown> & { findAccount?: (ctx: unknown, id: string) => Promise<TestAccount> });
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }
  export = Provider;
}
