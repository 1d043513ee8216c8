import type { Kysely } from 'kysely';
import { HOUR } from '../../kernel/clock';
import { hashToken, newId, randomToken } from '../../kernel/crypto';
import { assertThat, badRequest, conflict, unauthenticated } from '../../kernel/errors';
import type { RequestMeta } from '../../kernel/http/request-context';
import type { Kernel } from '../../kernel/module';
import { currentTotp, newTotpSecret, totpUri, verifyTotp } from '../../kernel/totp';
import { assertPasswordStrong, hashPassword, verifyPassword } from '../../kernel/passwords';
import type { OperatorDb, OperatorRow } from './operator.db';
import { createOperatorRepository } from './operator.repository';

/** Operator sessions are short: an operator console is not a place to stay signed in. */
const OPERATOR_SESSION_MS = 8 * HOUR;

export interface OperatorDeps {
  readonly kernel: Kernel;
  readonly db: Kysely<OperatorDb>;
}

export const operatorCsrfToken = (deps: OperatorDeps, sessionId: string) => deps.kernel.secrets.mac(`operator-csrf:${sessionId}`);

/** `toride operator create`: operators always have TOTP; the secret is shown once, here. */
export async function createOperator(deps: OperatorDeps, input: { email: string; name: string; password: string }) {
  const email = input.email.trim().toLowerCase();
  assertThat(/^[^@\s]+@[^@\s]+$/.test(email), () => badRequest('operator.invalid_email', 'Give a valid email address.'));
  assertThat(input.password.length >= 12, () => badRequest('password.too_short', 'Operator passwords need at least 12 characters.'));
  // Issue 15 §7: the same guessability rule as every account password.
  await assertPasswordStrong(input.password, { email, name: input.name });
  const repos = createOperatorRepository(deps.db);
  assertThat(!(await repos.findByEmail(email)), () => conflict('operator.exists', 'An operator with this email already exists.'));
  const secret = newTotpSecret();
  const row: OperatorRow = {
    id: newId(),
    email,
    name: input.name.trim(),
    password_hash: await hashPassword(input.password),
    totp_secret: deps.kernel.secrets.seal(secret),
    totp_last_counter: null,
    created_at: deps.kernel.clock.now().toISOString(),
    disabled_at: null,
  };
  await repos.insert(row);
  await deps.kernel.audit.record({ action: 'operator.created', outcome: 'success', actor: { type: 'system' }, target: { type: 'operator', id: row.id }, details: { email } });
  return { operator: row, totpSecret: secret, otpauthUri: totpUri(secret, `operator:${email}`), currentCode: currentTotp(secret, deps.kernel.clock.now()) };
}

export async function signInOperator(deps: OperatorDeps, input: { email: string; password: string; code: string }, meta: RequestMeta) {
  await deps.kernel.rateLimiter.consume(`operator-signin:ip:${meta.ip}`, { limit: 20, windowSeconds: 900 });
  const repos = createOperatorRepository(deps.db);
  const email = input.email.trim().toLowerCase();
  const operator = await repos.findByEmail(email);
  const passwordOk = await verifyPassword(operator?.password_hash, input.password);
  const now = deps.kernel.clock.now();
  const counter = operator && passwordOk ? verifyTotp(deps.kernel.secrets.open(operator.totp_secret), input.code, now, operator.totp_last_counter) : null;
  if (!operator || counter === null) {
    await deps.kernel.audit.record({ action: 'operator.sign_in', outcome: 'failure', actor: { type: 'operator', id: operator?.id ?? null, email }, ...meta });
    throw unauthenticated('The email, password or code is not correct.', 'auth.invalid_credentials');
  }
  await repos.update(operator.id, { totp_last_counter: counter });
  const token = randomToken();
  const sessionId = newId();
  await repos.insertSession({
    id: sessionId,
    token_hash: hashToken(token),
    operator_id: operator.id,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + OPERATOR_SESSION_MS).toISOString(),
    ip: meta.ip,
    user_agent: meta.userAgent,
  });
  await deps.kernel.audit.record({ action: 'operator.sign_in', outcome: 'success', actor: { type: 'operator', id: operator.id, name: operator.name, email }, ...meta });
  return { operator, token, sessionId };
}

export async function resolveOperatorSession(deps: OperatorDeps, token: string) {
  const repos = createOperatorRepository(deps.db);
  const session = await repos.findSession(hashToken(token), deps.kernel.clock.now().toISOString());
  if (!session) return null;
  const operator = await repos.findById(session.operator_id);
  return operator ? { session, operator } : null;
}

export const endOperatorSession = (deps: OperatorDeps, sessionId: string) => createOperatorRepository(deps.db).deleteSession(sessionId);

export const findOperator = (deps: OperatorDeps, id: string) => createOperatorRepository(deps.db).findById(id);
