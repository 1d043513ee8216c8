import { createProjectsRepository } from '../projects.repository';
import type { ProjectScope } from '../projects.service';
import { loadSpaceUsers, type Caller, type ProjectsDeps } from '../spaces.service';
import type { WikiRow } from './wiki.db';
import { projectPageUrl } from '../web-links';

/** `mailNotify=true`: the project's other members get a short mail through the kernel mailer. */
export async function notifyWikiChange(deps: ProjectsDeps, caller: Caller, scope: ProjectScope, page: WikiRow, change: 'created' | 'updated' | 'deleted') {
  const members = await createProjectsRepository(caller.db).listMembers(caller.orgId, scope.project.id);
  const users = await loadSpaceUsers(deps, caller);
  const author = users.get(caller.userId)?.name ?? 'Someone';
  for (const member of members) {
    const user = users.get(member.user_id);
    if (!user?.email || !user.active || member.user_id === caller.userId) continue;
    await deps.kernel.mailer.send({
      orgId: caller.orgId,
      kind: 'projects.wiki',
      to: user.email,
      subject: `[${scope.project.project_key}] Wiki ${change}: ${page.name}`,
      text: `${author} ${change} the wiki page "${page.name}" in ${scope.project.name}.\n\n${change === 'deleted' ? '' : projectPageUrl(deps, caller, user, scope.project.project_key, `/wiki/${page.id}`)}\n`,
    });
  }
}
