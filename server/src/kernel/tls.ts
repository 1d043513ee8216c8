import { readFileSync } from 'node:fs';
import type { Config } from '../config';

/**
 * Built-in HTTPS (W9.2). Node's default TLS 1.2 list still admits suites without forward secrecy
 * and CBC suites, so the list is explicit: ECDHE with AEAD ciphers only, TLS 1.2 at least.
 */
const CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export function tlsOptions(config: Config) {
  if (!config.tlsCert || !config.tlsKey) return null;
  return {
    cert: readFileSync(config.tlsCert),
    key: readFileSync(config.tlsKey),
    minVersion: 'TLSv1.2' as const,
    ciphers: CIPHERS,
    honorCipherOrder: true,
  };
}
