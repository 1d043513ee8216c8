import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config';
import { createDomainResolver } from './dns';

/** TORIDE_DNS_SERVERS (W8.3): which resolvers verify domains; a bad value stops start-up with a clear message. */
describe('TORIDE_DNS_SERVERS', () => {
  it('accepts ip, ip:port, [ipv6]:port and bare IPv6, comma-separated', () => {
    const config = loadConfig({ TORIDE_DNS_SERVERS: '192.0.2.53, 192.0.2.54:5353,[2001:db8::53]:53,2001:db8::54' });
    expect(createDomainResolver(config).getServers()).toEqual(['192.0.2.53', '192.0.2.54:5353', '2001:db8::53', '2001:db8::54']);
  });

  it('defaults to the system resolvers', () => {
    expect(loadConfig({}).dnsServers).toBeUndefined();
  });

  it.each(['dns.example.com', '192.0.2.1:99999', '300.1.1.1', '192.0.2.1,', '[2001:db8::1', '192.0.2.1:53:1'])('refuses %s', (value) => {
    expect(() => loadConfig({ TORIDE_DNS_SERVERS: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ TORIDE_DNS_SERVERS: value })).toThrowError(/TORIDE_DNS_SERVERS/);
  });
});
