import { publicUrlOf } from '../../../config';
import { badRequest, conflict, forbidden, notFound } from '../../../kernel/errors';
import { newId, randomToken } from '../../../kernel/crypto';
import { isUniqueViolation } from '../../../kernel/dialect';
import { hashPassword } from '../../../kernel/passwords';
import type { Caller, ProjectsDeps } from '../spaces.service';
import { CLASSIC_ACCOUNT_PREFIX, type ClassicRoleType, type ClassicUserRow } from './classic.db';
import { createClassicRepository } from './classic.repository';
import { endClassicCredentials } from './classic-auth.service';

const notClassic = () => badRequest('classic.not_enabled', "You can't use this API at new plan space.");
const userNotFound = () => notFound('user.not_found', 'No user.');

async function requireClassicAdmin(caller: Caller) {
  const space = await createClassicRepository(caller.db).findSpace(caller.orgId);
  if (!space) throw notClassic();
  if (caller.roleType !== 1) throw forbidden('Only administrators can manage the users of the space.', 'project.forbidden');
  return space;
}

export interface ClassicUserInput {
  userId: string;
  name: string;
  mailAddress: string;
  roleType: ClassicRoleType;
}

/**
 * W6.6 / W8.2: an admin adds a space-local user within the space's user limit. The initial password is
 * generated and mailed to the user (a password sent by the client is not used), and must be changed at
 * first sign-in.
 */
export async function createClassicUser(deps: ProjectsDeps, caller: Caller, input: ClassicUserInput): Promise<ClassicUserRow> {
  const space = await requireClassicAdmin(caller);
  const repo = createClassicRepository(caller.db);
  if ((await repo.countUsers(caller.orgId)) >= space.user_limit) throw badRequest('classic.user_limit', `The space allows at most ${space.user_limit} users.`);
  const password = randomToken(12);
  const now = deps.kernel.clock.now().toISOString();
  const passwordHash = await hashPassword(password);
  let row: ClassicUserRow;
  try {
    row = await caller.db.transaction().execute(async (trx) => {
      const r = createClassicRepository(trx);
      const { id } = await r.insertSpaceUser(caller.orgId, `${CLASSIC_ACCOUNT_PREFIX}${newId()}`, now);
      const user: ClassicUserRow = {
        space_user_id: id,
        org_id: caller.orgId,
        login_id: input.userId,
        name: input.name,
        mail_address: input.mailAddress,
        role_type: input.roleType,
        password_hash: passwordHash,
        must_change_password: 1,
        created_at: now,
        updated_at: now,
      };
      await r.insertUser(user);
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('classic.duplicate_user', 'A user with this userId already exists.');
    throw error;
  }
  await deps.kernel.mailer.send({
    orgId: caller.orgId,
    kind: 'projects.classic_account',
    to: input.mailAddress,
    subject: `Your account in ${caller.access.org.name}'s project space`,
    text: `An administrator created an account for you in the project space of ${caller.access.org.name}.\n\nSign in: ${publicUrlOf(deps.kernel.config)}/classic/${caller.space.space_key}/sign-in\nUser ID: ${input.userId}\nInitial password: ${password}\n\nYou must choose a new password when you first sign in. This account works only in this project space.\n`,
  });
  await audit(deps, caller, 'projects.classic_user_created', row);
  return row;
}

export async function updateClassicUser(deps: ProjectsDeps, caller: Caller, spaceUserId: number, input: Partial<ClassicUserInput> & { password?: string | undefined }) {
  await requireClassicAdmin(caller);
  const repo = createClassicRepository(caller.db);
  const user = await repo.findUser(caller.orgId, spaceUserId);
  if (!user) throw userNotFound();
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.mailAddress !== undefined ? { mail_address: input.mailAddress } : {}),
    ...(input.roleType !== undefined ? { role_type: input.roleType } : {}),
    // A password set by an admin is again only an initial one: the user must change it.
    ...(input.password !== undefined ? { password_hash: await hashPassword(input.password), must_change_password: 1 } : {}),
    updated_at: deps.kernel.clock.now().toISOString(),
  };
  await repo.updateUser(caller.orgId, spaceUserId, changes);
  // A password set by an admin signs the user out everywhere (their keys stay: they are not passwords).
  if (input.password !== undefined) await endClassicCredentials(caller.db, caller.orgId, spaceUserId);
  const updated = (await repo.findUser(caller.orgId, spaceUserId)) ?? user;
  await audit(deps, caller, 'projects.classic_user_updated', updated, { changed: Object.keys(changes).filter((k) => k !== 'updated_at' && k !== 'password_hash') });
  return updated;
}

export async function deleteClassicUser(deps: ProjectsDeps, caller: Caller, spaceUserId: number) {
  await requireClassicAdmin(caller);
  const repo = createClassicRepository(caller.db);
  const user = await repo.findUser(caller.orgId, spaceUserId);
  if (!user) throw userNotFound();
  // The user's sessions and API keys die with them (W6.5-like), in the same transaction.
  await caller.db.transaction().execute(async (trx) => {
    await endClassicCredentials(trx, caller.orgId, spaceUserId, { keys: true });
    await createClassicRepository(trx).deleteUser(caller.orgId, spaceUserId);
  });
  await audit(deps, caller, 'projects.classic_user_deleted', user);
  return user;
}

async function audit(deps: ProjectsDeps, caller: Caller, action: string, user: ClassicUserRow, details: Record<string, unknown> = {}) {
  const account = caller.access.account;
  await deps.kernel.audit.record({
    orgId: caller.orgId,
    product: 'projects',
    action,
    outcome: 'success',
    // A classic Administrator is no platform account: named like the space's own sign-in names them.
    actor: caller.classic
      ? { type: 'anonymous', id: `classic:${caller.userId}`, name: account.name, email: account.email }
      : { type: 'account', id: account.id, name: account.name, email: account.email },
    target: { type: 'classic_user', id: String(user.space_user_id) },
    ip: caller.meta.ip,
    userAgent: caller.meta.userAgent,
    requestId: caller.meta.requestId,
    details: { userId: user.login_id, roleType: user.role_type, ...details },
  });
}
