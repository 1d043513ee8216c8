import { Resolver } from 'node:dns/promises';
import type { Config } from '../../../config';

/**
 * The resolver that checks TXT records: the system's, or `TORIDE_DNS_SERVERS` (tests point it at a
 * DNS server on 127.0.0.1). Short timeouts: an admin is waiting on the answer.
 */
export function createDomainResolver(config: Config): Resolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (config.dnsServers) resolver.setServers(config.dnsServers.split(',').map((s) => s.trim()).filter(Boolean));
  return resolver;
}

export type TxtLookup =
  | { status: 'found'; values: string[] }
  | { status: 'missing' }
  | { status: 'unavailable'; code: string };

/** TXT strings of `name` (chunks of one record joined, as RFC 7208 does). */
export async function lookupTxt(resolver: Resolver, name: string): Promise<TxtLookup> {
  try {
    const records = await resolver.resolveTxt(name);
    return { status: 'found', values: records.map((chunks) => chunks.join('')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    // NXDOMAIN and "no TXT at this name" both mean: the record is not there (yet).
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { status: 'missing' };
    return { status: 'unavailable', code };
  }
}
