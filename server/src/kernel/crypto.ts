import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Text ids generated in the app, sortable by creation time, identical on both dialects. */
export const newId = (): string => uuidv7();

/** A URL-safe random secret (tokens, API keys, recovery codes). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Tokens are stored only as SHA-256 digests: they carry ≥128 bits of entropy, so no slow hash is needed. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const hmac = (key: Buffer, message: string): string =>
  createHmac('sha256', key).update(message).digest('base64url');

/**
 * AES-256-GCM for secrets at rest (TOTP seeds, later IdP keys), W9.3. The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` so the key can be rotated by version later.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  mac(message: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes.');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown sealed secret format.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    mac: (message) => hmac(key, message),
  };
}
