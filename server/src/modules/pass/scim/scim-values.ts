import { scimBad } from './scim-errors';

type Json = Record<string, unknown>;

/**
 * Nesting allowed in a SCIM resource, counting the resource itself: resource → extension → complex →
 * (multi-valued) array → value → sub-attribute fits with room to spare. RFC 7643 §2.3.8 forbids complex
 * attributes inside complex attributes, so anything deeper is not SCIM; refusing it up front also keeps
 * recursive code (JSON.stringify, scim-patch's clone) from overflowing the stack after a write (issue 13 §8).
 */
export const MAX_DEPTH = 6;
/** Values in one resource (a 1 MB body of `[[[…` holds 500 000). */
const MAX_NODES = 5_000;
/** The attributes Toride keeps as sent, serialized. */
export const MAX_KEPT_BYTES = 64 * 1024;

/** Iterative, so that a value nested 500 000 deep is refused without recursing into it. */
export function assertShallow(value: unknown, what: string, maxDepth = MAX_DEPTH): void {
  const stack: [unknown, number][] = [[value, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (++nodes > MAX_NODES) throw scimBad('invalidValue', `${what} has too many values.`);
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) throw scimBad('invalidValue', `${what} is nested too deeply (at most ${maxDepth} levels).`);
    for (const child of Array.isArray(current) ? current : Object.values(current as Json)) stack.push([child, depth + 1]);
  }
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringOrNull = (v: unknown) => v === undefined || v === null || typeof v === 'string';

/** A complex attribute whose sub-attributes are all strings (name, enterprise manager). */
function assertStrings(value: unknown, attribute: string, allowed: (key: string) => boolean = () => true): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw scimBad('invalidValue', `${attribute} must be an object.`);
  for (const [key, sub] of Object.entries(value)) {
    if (allowed(key) && !isStringOrNull(sub)) throw scimBad('invalidValue', `${attribute}.${key} must be a string.`);
  }
}

/** A multi-valued attribute: an array of objects whose `value`, `type`, `display` are strings. */
function assertMultiValued(value: unknown, attribute: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw scimBad('invalidValue', `${attribute} must be an array.`);
  for (const entry of value) {
    if (!isObject(entry)) throw scimBad('invalidValue', `Each of ${attribute} must be an object.`);
    for (const [key, sub] of Object.entries(entry)) {
      if (['value', 'type', 'display'].includes(key.toLowerCase()) && !isStringOrNull(sub)) throw scimBad('invalidValue', `${attribute}.${key} must be a string.`);
    }
  }
}

const ENTERPRISE_STRINGS = new Set(['employeenumber', 'costcenter', 'organization', 'division', 'department']);

/**
 * The shape of what a client sent, beside depth: the attributes the served schemas declare must have
 * their declared type (RFC 7643 §2.3, §4.1, §4.3), so that nothing misshapen is stored and served back.
 */
export function assertUserShape(user: Json, enterpriseSchema: string): void {
  assertShallow(user, 'The User');
  const byName = new Map(Object.entries(user).map(([k, v]) => [k.toLowerCase(), v]));
  for (const attribute of ['userName', 'displayName', 'nickName', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'profileUrl']) {
    if (!isStringOrNull(byName.get(attribute.toLowerCase()))) throw scimBad('invalidValue', `${attribute} must be a string.`);
  }
  assertStrings(byName.get('name'), 'name');
  for (const attribute of ['emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'entitlements', 'x509Certificates']) {
    assertMultiValued(byName.get(attribute.toLowerCase()), attribute);
  }
  const enterprise = byName.get(enterpriseSchema.toLowerCase());
  if (enterprise !== undefined && enterprise !== null) {
    if (!isObject(enterprise)) throw scimBad('invalidValue', `${enterpriseSchema} must be an object.`);
    assertStrings(enterprise, enterpriseSchema, (key) => ENTERPRISE_STRINGS.has(key.toLowerCase()));
    // Entra sends the manager as a bare id in PATCH; others as `{ value, displayName }`.
    const manager = Object.entries(enterprise).find(([k]) => k.toLowerCase() === 'manager')?.[1];
    if (typeof manager !== 'string') assertStrings(manager, `${enterpriseSchema}:manager`);
  }
}

/** The attributes Toride keeps, serialized once here so that nothing can fail after a write. */
export function serializeKept(extra: Json): string {
  const json = JSON.stringify(extra);
  if (Buffer.byteLength(json) > MAX_KEPT_BYTES) throw scimBad('invalidValue', `The attributes kept as sent exceed ${MAX_KEPT_BYTES / 1024} KB.`);
  return json;
}
