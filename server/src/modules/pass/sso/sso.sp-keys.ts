import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { SsoConnectionRow } from './sso.db';
import { ssoRepo, type SsoDeps } from './sso.deps';

/** The SP's signing key pair of one connection: PEM private key and PEM certificate. */
export interface SpSigningKeys {
  key: string;
  cert: string;
}

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;

/**
 * A self-signed certificate is what SAML metadata carries for an SP key (IdPs pin the key, not a CA
 * chain). Generated with WebCrypto and @peculiar/x509 — no hand-made ASN.1.
 */
async function generate(deps: SsoDeps, conn: SsoConnectionRow): Promise<SpSigningKeys> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = deps.kernel.clock.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
      name: `CN=Toride SAML SP ${conn.id}`,
      notBefore: new Date(now.getTime() - 24 * 3600 * 1000),
      notAfter: new Date(now.getTime() + TEN_YEARS_MS),
      signingAlgorithm: ALGORITHM,
      keys: keys as CryptoKeyPair,
    },
    webcrypto as unknown as Crypto,
  );
  return { key: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), cert: cert.toString('pem') };
}

/**
 * The connection's SP signing keys, created on first use (older connections have none). The private
 * key is stored sealed with the deployment's secret key (W9.3); a concurrent first use keeps the
 * first writer's keys.
 */
export async function spSigningKeys(deps: SsoDeps, conn: SsoConnectionRow): Promise<SpSigningKeys> {
  if (conn.sp_signing_key && conn.sp_signing_cert) return { key: deps.kernel.secrets.open(conn.sp_signing_key), cert: conn.sp_signing_cert };
  const fresh = await generate(deps, conn);
  await ssoRepo(deps).setSpKeysIfMissing(conn.id, deps.kernel.secrets.seal(fresh.key), fresh.cert);
  const stored = await ssoRepo(deps).findConnectionById(conn.id);
  if (!stored?.sp_signing_key || !stored.sp_signing_cert) throw new Error('SSO connection vanished while creating its SP keys.');
  Object.assign(conn, { sp_signing_key: stored.sp_signing_key, sp_signing_cert: stored.sp_signing_cert });
  return { key: deps.kernel.secrets.open(stored.sp_signing_key), cert: stored.sp_signing_cert };
}
