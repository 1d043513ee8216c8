import { hash, verify } from '@node-rs/argon2';
import { badRequest } from './errors';

/** argon2id with OWASP's minimum parameters: 19 MiB, 2 iterations, 1 lane (W9.1). */
const ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2ID);

let decoyHash: Promise<string> | null = null;

/**
 * Verifies against the stored hash; with no hash (unknown email, managed account) it still spends
 * the same time on a decoy, so response times do not reveal which emails have accounts.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    decoyHash ??= hashPassword('decoy password that never matches');
    await verify(await decoyHash, password);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/**
 * Issue 15 §7, NIST SP 800-63B §5.1.1.2: no composition rules; instead refuse what attackers try
 * first — common and breached-pattern passwords (the dictionaries ship inside @zxcvbn-ts, nothing is
 * fetched) and words from the context (the address, the person's and the org's names, the product).
 * zxcvbn score 3 means about 10^8 guesses or more: out of reach of online guessing, which the
 * sign-in throttle and argon2id already slow down.
 */
const MIN_SCORE = 3;

let estimator: Promise<(password: string, userInputs: string[]) => number> | null = null;

/** Built once and lazily: the dictionaries are a few MB and only the password paths need them. */
function strengthEstimator() {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
    const zxcvbn = new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs });
    return (password: string, userInputs: string[]) => zxcvbn.check(password, userInputs).score;
  })();
  return estimator;
}

export interface PasswordContext {
  email?: string | null | undefined;
  name?: string | null | undefined;
  orgName?: string | null | undefined;
  /** More words the password must not be built from (a space key, a user ID). */
  words?: (string | null | undefined)[];
}

/** The context as words: whole values and their pieces ("aiko.tanaka@acme.test" → aiko, tanaka, acme…). */
function contextWords(context: PasswordContext): string[] {
  const email = context.email ?? '';
  const values = [email, email.split('@')[0], context.name, context.orgName, ...(context.words ?? []), 'toride'];
  const words = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    const lower = value.toLowerCase();
    // "Rin Kato" is also typed "rinkato"; short pieces would only make everything look weak.
    for (const word of [lower, lower.replace(/[^\p{L}\p{N}]+/gu, ''), ...lower.split(/[^\p{L}\p{N}]+/u)]) if (word.length >= 3) words.add(word);
  }
  return [...words];
}

/** True when the password is out of reach of guessing with common passwords and the context's words. */
export async function isPasswordStrong(password: string, context: PasswordContext): Promise<boolean> {
  const score = (await strengthEstimator())(password, contextWords(context));
  return score >= MIN_SCORE;
}

/** Throws 400 `auth.weak_password`: the one rule every place that sets a password applies. */
export async function assertPasswordStrong(password: string, context: PasswordContext): Promise<void> {
  if (!(await isPasswordStrong(password, context))) {
    throw badRequest(
      'auth.weak_password',
      'This password is too easy to guess: it is a common password, or is built from your name, email or organization. Use a longer phrase of several unrelated words.',
    );
  }
}
