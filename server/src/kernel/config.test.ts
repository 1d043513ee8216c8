import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';

describe('configuration', () => {
  it('has working defaults: 127.0.0.1:3000, ./data, SQLite', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, rateLimits: 'on', regionIdentity: 'us-west' });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable and the fix for a bad value', () => {
    expect(() => loadConfig({ TORIDE_PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ TORIDE_PORT: 'eighty', TORIDE_DATABASE_URL: 'mysql://x' });
    } catch (error) {
      const text = (error as Error).message;
      expect(text).toContain('TORIDE_PORT');
      expect(text).toContain('TORIDE_DATABASE_URL');
      expect(text).toContain('postgres://');
      expect(text).toContain('Fix:');
    }
  });

  it('refuses plain HTTP on a non-loopback address unless TLS or a trusted proxy is declared (W9.2)', () => {
    expect(() => loadConfig({ TORIDE_HOST: '0.0.0.0' })).toThrow(/loopback/);
    const publicUrl = 'https://toride.example.com';
    expect(loadConfig({ TORIDE_HOST: '0.0.0.0', TORIDE_TRUSTED_PROXY: '10.0.0.5', TORIDE_PUBLIC_URL: publicUrl }).host).toBe('0.0.0.0');
    expect(() => loadConfig({ TORIDE_HOST: '0.0.0.0', TORIDE_TRUSTED_PROXY: '10.0.0.5' })).toThrow(/TORIDE_PUBLIC_URL/);
    expect(() => loadConfig({ TORIDE_HOST: '0.0.0.0', TORIDE_TLS_CERT: '/x.pem' })).toThrow(/TORIDE_TLS_KEY/);
    expect(loadConfig({ TORIDE_HOST: '::1' }).host).toBe('::1');
  });

  it('rejects a secret key that is not 32 bytes, and requires one shared key with PostgreSQL', () => {
    expect(() => loadConfig({ TORIDE_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/TORIDE_SECRET_KEY/);
    expect(() => loadConfig({ TORIDE_DATABASE_URL: 'postgres://db/toride' })).toThrow(/TORIDE_SECRET_KEY: required/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ TORIDE_DATABASE_URL: 'postgres://db/toride', TORIDE_SECRET_KEY: key }).databaseUrl).toBe('postgres://db/toride');
  });
});
