import { createHash } from 'node:crypto';
import type { ManagedAccount } from '../../identity';
import { scimBad } from './scim-errors';
import { assertUserShape, serializeKept } from './scim-values';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Json = Record<string, unknown>;
type Role = ManagedAccount['role'];

/** App-role values (Entra app roles, Okta `roles`) ↔ Toride roles. */
const ROLE_VALUES: Record<string, Role> = { admin: 'admin', user: 'member', member: 'member', guest: 'guest' };
const ROLE_OUT: Record<Role, string> = { admin: 'ADMIN', member: 'USER', guest: 'GUEST' };

/** Attributes Toride owns: never kept in the extra-attributes blob. */
const OWNED = new Set(['id', 'meta', 'schemas', 'externalid', 'active', 'roles', 'password', 'groups']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const etagOf = (updatedAt: string, extra: string) => `W/"${createHash('sha256').update(`${updatedAt}|${extra}`).digest('base64url').slice(0, 16)}"`;

const get = (obj: Json, key: string): unknown => {
  const found = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : obj[found];
};

/** SCIM booleans, including Entra's `"True"` / `"False"` strings. */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw scimBad('invalidValue', `${attribute} must be a boolean.`);
}

/** The role from `roles`: the primary entry (Entra: `roles[primary eq "True"].value`), else the first. */
export function roleFrom(roles: unknown): Role | undefined {
  if (roles === undefined || roles === null) return undefined;
  const list = Array.isArray(roles) ? roles : [roles];
  if (list.length === 0) return undefined;
  const entries = list.map((r) => (typeof r === 'string' ? { value: r } : (r as Json)));
  const primary = entries.find((r) => r && get(r, 'primary') !== undefined && scimBoolean(get(r, 'primary'), 'roles.primary')) ?? entries[0];
  const value = primary ? get(primary, 'value') : undefined;
  const role = typeof value === 'string' ? ROLE_VALUES[value.trim().toLowerCase()] : undefined;
  if (!role) throw scimBad('invalidValue', 'roles value must be ADMIN, USER or GUEST.');
  return role;
}

export interface UserInput {
  userName: string;
  email: string;
  name: string;
  externalId: string | null | undefined;
  active: boolean | undefined;
  role: Role | undefined;
  /** Everything else the client sent, kept as is. */
  extra: Json;
  /** `extra` serialized, checked for size before anything is written. */
  extraJson: string;
}

/** A User resource from a client (POST, PUT, or the result of a PATCH) → what Toride stores. */
export function parseUser(body: unknown): UserInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw scimBad('invalidSyntax', 'The body must be a SCIM User object.');
  const user = body as Json;
  // Depth and shape first: nothing below (nor JSON.stringify when storing) may meet a value it cannot handle.
  assertUserShape(user, ENTERPRISE_SCHEMA);
  const schemas = get(user, 'schemas');
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.some((s) => String(s).toLowerCase() === USER_SCHEMA.toLowerCase()))) {
    throw scimBad('invalidSyntax', `schemas must include ${USER_SCHEMA}.`);
  }
  const userName = get(user, 'userName');
  if (typeof userName !== 'string' || userName.trim() === '') throw scimBad('invalidValue', 'userName is required.');
  const emails = get(user, 'emails');
  const emailList = Array.isArray(emails) ? (emails as Json[]).filter((e) => e && typeof get(e, 'value') === 'string') : [];
  const primaryEmail = emailList.find((e) => get(e, 'primary') !== undefined && scimBoolean(get(e, 'primary'), 'emails.primary')) ?? emailList[0];
  const email = EMAIL.test(userName.trim()) ? userName.trim() : primaryEmail ? String(get(primaryEmail, 'value')) : '';
  if (!EMAIL.test(email)) throw scimBad('invalidValue', 'userName (or a primary email) must be an email address.');
  const nameObj = get(user, 'name');
  const parts = nameObj && typeof nameObj === 'object' ? (nameObj as Json) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const joined = [str(get(parts, 'givenName')), str(get(parts, 'familyName'))].filter(Boolean).join(' ');
  const name = str(get(user, 'displayName')) || str(get(parts, 'formatted')) || joined || userName.trim();
  const externalId = get(user, 'externalId');
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string') throw scimBad('invalidValue', 'externalId must be a string.');
  const active = get(user, 'active');
  const extra: Json = {};
  for (const [key, value] of Object.entries(user)) if (!OWNED.has(key.toLowerCase())) extra[key] = value;
  return {
    userName: userName.trim(),
    email,
    name: name.slice(0, 200),
    externalId: externalId as string | null | undefined,
    active: active === undefined || active === null ? undefined : scimBoolean(active, 'active'),
    role: roleFrom(get(user, 'roles')),
    extra,
    extraJson: serializeKept(extra),
  };
}

/** Toride's account plus the kept attributes → the SCIM User resource. */
export function presentUser(account: ManagedAccount, extraJson: string | null, baseUrl: string): Json {
  const extra = extraJson ? (JSON.parse(extraJson) as Json) : {};
  const extensions = Object.keys(extra).filter((k) => k.toLowerCase().startsWith('urn:'));
  const user: Json = {
    schemas: [USER_SCHEMA, ...extensions],
    id: account.id,
    ...(account.externalId !== null ? { externalId: account.externalId } : {}),
    userName: account.email,
    name: { formatted: account.name },
    displayName: account.name,
    emails: [{ value: account.email, type: 'work', primary: true }],
    ...extra,
    active: account.active,
    roles: [{ value: ROLE_OUT[account.role], display: ROLE_OUT[account.role], primary: true }],
    meta: {
      resourceType: 'User',
      created: account.createdAt,
      lastModified: account.updatedAt,
      location: `${baseUrl}/Users/${account.id}`,
      version: etagOf(account.updatedAt, extraJson ?? ''),
    },
  };
  // Toride's own columns win over stale kept copies (an admin may have changed the address or name);
  // the client's spelling of the same address, or a userName that is not an address, stays.
  const kept = typeof extra.userName === 'string' ? extra.userName : null;
  user.userName = kept && (kept.toLowerCase() === account.email || !EMAIL.test(kept)) ? kept : account.email;
  user.displayName = account.name;
  return user;
}
