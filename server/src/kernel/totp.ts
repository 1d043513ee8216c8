import * as OTPAuth from 'otpauth';

/** RFC 6238 TOTP: 30 s steps, 6 digits, SHA-1 (what authenticator apps expect). */
const PERIOD_MS = 30_000;

const totpFor = (secretBase32: string, label: string) =>
  new OTPAuth.TOTP({ issuer: 'Toride', label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secretBase32) });

export const newTotpSecret = (): string => new OTPAuth.Secret({ size: 20 }).base32;

export const totpUri = (secretBase32: string, label: string): string => totpFor(secretBase32, label).toString();

/**
 * Accepts a code within ±1 step of `now` and returns the step it belongs to. A step at or before
 * `lastCounter` is refused, so a code seen once cannot be replayed inside its window.
 */
export function verifyTotp(secretBase32: string, code: string, now: Date, lastCounter: number | null): number | null {
  const delta = totpFor(secretBase32, 'verify').validate({ token: code.replace(/\s/g, ''), timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const counter = Math.floor(now.getTime() / PERIOD_MS) + delta;
  return lastCounter !== null && counter <= lastCounter ? null : counter;
}

/** The current code for a secret (CLI set-up checks and tests). */
export const currentTotp = (secretBase32: string, now: Date): string => totpFor(secretBase32, 'current').generate({ timestamp: now.getTime() });
