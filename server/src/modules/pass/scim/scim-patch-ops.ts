import { scimPatch, type ScimPatchOperation } from 'scim-patch';
import { ScimError, scimBad, type ScimType } from './scim-errors';
import { PATCH_SCHEMA } from './scim-user-mapping';
import { assertShallow } from './scim-values';

type Json = Record<string, unknown>;

/**
 * Validates a PatchOp body and normalises what Entra sends: capitalised ops (`"Replace"`) and
 * string booleans in value filters (`roles[primary eq "True"]`).
 */
export function patchOperations(body: unknown): ScimPatchOperation[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw scimBad('invalidSyntax', 'The body must be a SCIM PatchOp object.');
  const b = body as Json;
  const schemas = b.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_SCHEMA)) throw scimBad('invalidSyntax', `schemas must include ${PATCH_SCHEMA}.`);
  const ops = b.Operations ?? b.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw scimBad('invalidSyntax', 'Operations must be a non-empty array.');
  if (ops.length > 1000) throw scimBad('tooMany', 'At most 1000 operations per request.');
  return ops.map((raw: unknown) => {
    if (!raw || typeof raw !== 'object') throw scimBad('invalidSyntax', 'Each operation must be an object.');
    const op = (raw as Json).op;
    const path = (raw as Json).path;
    const normalized = typeof op === 'string' ? op.toLowerCase() : '';
    if (!['add', 'replace', 'remove'].includes(normalized)) throw scimBad('invalidSyntax', 'op must be add, replace or remove.');
    if (path !== undefined && typeof path !== 'string') throw scimBad('invalidPath', 'path must be a string.');
    if (normalized === 'remove' && !path) throw scimBad('noTarget', 'A remove operation needs a path.');
    // Before scim-patch clones the value (recursively): a value nested too deeply is refused here.
    assertShallow((raw as Json).value, 'An operation value');
    const fixedPath = path?.replace(/\b(eq|ne)\s+"(true|false)"/gi, (_m, cmp: string, bool: string) => `${cmp} ${bool.toLowerCase()}`);
    return { ...(raw as Json), op: normalized, ...(fixedPath !== undefined ? { path: fixedPath } : {}) } as ScimPatchOperation;
  });
}

function libraryPatch<T extends Json>(resource: T, ops: ScimPatchOperation[]): T {
  try {
    return scimPatch(resource as never, ops, { mutateDocument: false, treatMissingAsAdd: true }) as unknown as T;
  } catch (error) {
    if (error instanceof ScimError) throw error;
    const code = (error as { scimCode?: string }).scimCode;
    const known: ScimType[] = ['invalidPath', 'noTarget', 'invalidValue', 'invalidSyntax', 'mutability'];
    const scimType = known.includes(code as ScimType) ? (code as ScimType) : 'invalidValue';
    throw scimBad(scimType, error instanceof Error ? error.message.slice(0, 300) : 'The patch could not be applied.');
  }
}

/**
 * A path that is a whole extension URN (`urn:…:enterprise:2.0:User`) names the extension's complex
 * attribute; scim-patch would read it as attribute `User` of schema `urn:…:enterprise:2.0`. Add and
 * replace set the sub-attributes sent and leave the others (RFC 7644 §3.5.2.1, §3.5.2.3); remove clears it.
 */
function extensionPatch<T extends Json>(resource: T, urn: string, op: ScimPatchOperation): T {
  const next: Json = {};
  let existing: unknown;
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() === urn.toLowerCase()) existing = value;
    else next[key] = value;
  }
  if (op.op === 'remove') return next as T;
  const value = (op as { value?: unknown }).value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw scimBad('invalidValue', `The value for ${urn} must be an object of its attributes.`);
  const base = existing && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Json) : {};
  next[urn] = { ...base, ...(value as Json) };
  return next as T;
}

const isPrimary = (entry: unknown) => {
  const primary = entry && typeof entry === 'object' ? (entry as Json).primary : undefined;
  return primary === true || (typeof primary === 'string' && primary.toLowerCase() === 'true');
};

/**
 * RFC 7644 §3.5.2: an operation that makes a value primary makes the attribute's other values
 * `primary: false`. The values an operation turned primary win over the ones already primary.
 */
function onePrimary<T extends Json>(before: T, after: T): T {
  let result = after;
  for (const [key, list] of Object.entries(after)) {
    if (!Array.isArray(list) || list.filter(isPrimary).length < 2) continue;
    const previous = before[key];
    const old = new Set((Array.isArray(previous) ? previous : []).filter(isPrimary).map((e) => JSON.stringify(e)));
    const indexes = list.map((e, i) => (isPrimary(e) ? i : -1)).filter((i) => i >= 0);
    const fresh = indexes.filter((i) => !old.has(JSON.stringify(list[i])));
    const winner = fresh.at(-1) ?? indexes[0];
    result = { ...result, [key]: list.map((e: unknown, i) => (isPrimary(e) && i !== winner ? { ...(e as Json), primary: false } : e)) };
  }
  return result;
}

/**
 * A path-less add or replace names attributes by its value's keys (RFC 7644 §3.5.2.1); an extension's
 * key is its URN, which scim-patch misreads as above. Each such key becomes an operation on that URN.
 */
function splitExtensions(op: ScimPatchOperation, extensions: readonly string[]): ScimPatchOperation[] {
  const value = (op as { value?: unknown }).value;
  if (op.op === 'remove' || op.path || !value || typeof value !== 'object' || Array.isArray(value)) return [op];
  const rest: Json = {};
  const split: ScimPatchOperation[] = [];
  for (const [key, sub] of Object.entries(value as Json)) {
    const urn = extensions.find((u) => u.toLowerCase() === key.toLowerCase());
    if (urn) split.push({ op: op.op, path: urn, value: sub } as ScimPatchOperation);
    else rest[key] = sub;
  }
  if (split.length === 0) return [op];
  return Object.keys(rest).length > 0 ? [{ ...op, value: rest } as ScimPatchOperation, ...split] : split;
}

/**
 * Applies operations in order to a copy (scim-patch mutates its input unless told not to), one at a
 * time so that each can be checked. `treatMissingAsAdd` stays on, as Entra expects: replacing
 * `emails[type eq "work"].value` on a user without a work email adds one. `extensions` are the schema
 * URNs whose whole-attribute paths this resource type accepts.
 */
export function applyPatch<T extends Json>(resource: T, ops: ScimPatchOperation[], extensions: readonly string[] = []): T {
  let current = resource;
  for (const op of ops.flatMap((o) => splitExtensions(o, extensions))) {
    const urn = op.path ? extensions.find((u) => u.toLowerCase() === op.path?.trim().toLowerCase()) : undefined;
    const next = urn ? extensionPatch(current, urn, op) : libraryPatch(current, [op]);
    current = op.op === 'remove' ? next : onePrimary(current, next);
  }
  return current;
}
