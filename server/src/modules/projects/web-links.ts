import { publicUrlOf } from '../../config';
import type { Caller, ProjectsDeps, SpaceUser } from './spaces.service';

/**
 * The web-app address of a project page for one recipient: org members open it under their org,
 * a classic space's own users under their space (web `ClassicArea`), which they sign in to instead.
 * Always absolute (issue 15 §6): a mail client cannot open a path; without `TORIDE_PUBLIC_URL` the
 * address the server listens on is the one users reach (config refuses a public host without it).
 */
export function projectPageUrl(deps: ProjectsDeps, caller: Caller, recipient: SpaceUser, projectKey: string, path: string): string {
  const origin = publicUrlOf(deps.kernel.config);
  const spaceKey = caller.space.space_key;
  const area = recipient.loginId !== undefined ? `/classic/${spaceKey}/orgs/classic:${spaceKey}` : `/orgs/${caller.orgId}`;
  return `${origin}${area}/projects/${projectKey}${path}`;
}
