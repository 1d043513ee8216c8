import { createProjectsRepository } from '../projects.repository';
import type { ProjectScope } from '../projects.service';
import { loadSpaceUsers, type Caller, type ProjectsDeps, type SpaceUser } from '../spaces.service';
import type { WikiRow } from './wiki.db';
import { projectPageUrl } from '../web-links';

const CHANGE_JA = { created: '作成', updated: '更新', deleted: '削除' } as const;

/** `mailNotify=true`: the project's other members get a short mail through the kernel mailer. */
export async function notifyWikiChange(deps: ProjectsDeps, caller: Caller, scope: ProjectScope, page: WikiRow, change: 'created' | 'updated' | 'deleted') {
  const members = await createProjectsRepository(caller.db).listMembers(caller.orgId, scope.project.id);
  const users = await loadSpaceUsers(deps, caller);
  const author = users.get(caller.userId)?.name ?? 'Someone';
  const link = (user: SpaceUser) => (change === 'deleted' ? '' : projectPageUrl(deps, caller, user, scope.project.project_key, `/wiki/${page.id}`));
  for (const member of members) {
    const user = users.get(member.user_id);
    if (!user?.email || !user.active || member.user_id === caller.userId) continue;
    await deps.kernel.mailer.send({
      orgId: caller.orgId,
      kind: 'projects.wiki',
      to: user.email,
      // Issue 15 §6: in the recipient's language.
      ...(user.locale === 'ja'
        ? {
            subject: `[${scope.project.project_key}] Wiki ${CHANGE_JA[change]}: ${page.name}`,
            text: `${author} さんが ${scope.project.name} の Wiki ページ「${page.name}」を${CHANGE_JA[change]}しました。\n\n${link(user)}\n`,
          }
        : {
            subject: `[${scope.project.project_key}] Wiki ${change}: ${page.name}`,
            text: `${author} ${change} the wiki page "${page.name}" in ${scope.project.name}.\n\n${link(user)}\n`,
          }),
    });
  }
}
