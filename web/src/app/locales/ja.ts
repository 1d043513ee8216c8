import { common } from './ja/common';
import { auth } from './ja/auth';
import { org } from './ja/org';
import { account } from './ja/account';
import { operator } from './ja/operator';
import { errors } from './ja/errors';
import { audit } from './ja/audit';
import { projects } from './ja/projects';
import { projectCollab } from './ja/project-collab';
import { lifecycle } from './ja/lifecycle';
import { managed } from './ja/managed';
import { scim } from './ja/scim';
import { sso } from './ja/sso';
import { classic } from './ja/classic';
import { spaceSettings } from './ja/space-settings';
import type { en } from './en';

export const ja: Record<keyof typeof en, string> = { ...common, ...auth, ...org, ...account, ...operator, ...audit, ...projects, ...projectCollab, ...lifecycle, ...managed, ...scim, ...sso, ...classic, ...spaceSettings, ...errors };
