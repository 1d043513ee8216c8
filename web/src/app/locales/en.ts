import { common } from './en/common';
import { auth } from './en/auth';
import { org } from './en/org';
import { account } from './en/account';
import { operator } from './en/operator';
import { errors } from './en/errors';
import { audit } from './en/audit';
import { projects } from './en/projects';
import { projectCollab } from './en/project-collab';
import { lifecycle } from './en/lifecycle';
import { managed } from './en/managed';
import { scim } from './en/scim';
import { sso } from './en/sso';
import { classic } from './en/classic';
import { spaceSettings } from './en/space-settings';

export const en = { ...common, ...auth, ...org, ...account, ...operator, ...audit, ...projects, ...projectCollab, ...lifecycle, ...managed, ...scim, ...sso, ...classic, ...spaceSettings, ...errors };
