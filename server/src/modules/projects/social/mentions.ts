import { presentUser } from '../backlog-api/backlog.presenter';
import { createProjectsRepository } from '../projects.repository';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';

/**
 * `@userId` mentions, Backlog's form, where `userId` is the user's `userId` as the API presents it (a
 * login id or an email address, so `@mia@example.com` is one mention). Not preceded by a word
 * character, so an address written in running text (`mia@example.com`) mentions nobody.
 */
const MENTION = /(?<![\p{L}\p{N}_.+@-])@([\p{L}\p{N}_.+-][\p{L}\p{N}_.+@-]{0,253})/gu;

/** The handles written in `text`, lower-cased, without a sentence's trailing dots. */
export function mentionHandles(text: string | null | undefined): Set<string> {
  const handles = new Set<string>();
  if (!text || !text.includes('@')) return handles;
  for (const match of text.matchAll(MENTION)) {
    const handle = (match[1] ?? '').replace(/\.+$/, '').toLowerCase();
    if (handle) handles.add(handle);
  }
  return handles;
}

/**
 * Members of the project mentioned in `text` and not already in `except` (handles of an earlier
 * version, so an edit notifies only newly mentioned people). Non-members are never resolved:
 * a mention cannot reveal the issue to someone outside its project.
 */
export async function mentionedMembers(deps: ProjectsDeps, caller: Caller, projectId: number, text: string | null | undefined, except: ReadonlySet<string> = new Set()): Promise<number[]> {
  const handles = [...mentionHandles(text)].filter((h) => !except.has(h));
  if (handles.length === 0) return [];
  const [users, members] = await Promise.all([loadSpaceUsers(deps, caller), createProjectsRepository(caller.db).listMembers(caller.orgId, projectId)]);
  const byHandle = new Map<string, number>();
  for (const member of members) {
    const user = users.get(member.user_id);
    if (user) byHandle.set(presentUser(user).userId.toLowerCase(), user.id);
  }
  return handles.flatMap((h) => (byHandle.has(h) ? [byHandle.get(h) as number] : []));
}
