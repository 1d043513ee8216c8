import { scimPatch, type ScimPatchOperation } from 'scim-patch';
import { ScimError, scimBad, type ScimType } from './scim-errors';
import { PATCH_SCHEMA } from './scim-user-mapping';

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
    const fixedPath = path?.replace(/\b(eq|ne)\s+"(true|false)"/gi, (_m, cmp: string, bool: string) => `${cmp} ${bool.toLowerCase()}`);
    return { ...(raw as Json), op: normalized, ...(fixedPath !== undefined ? { path: fixedPath } : {}) } as ScimPatchOperation;
  });
}

/**
 * Applies operations to a copy (scim-patch mutates its input unless told not to). `treatMissingAsAdd`
 * stays on, as Entra expects: replacing `emails[type eq "work"].value` on a user without a work email adds one.
 */
export function applyPatch<T extends Json>(resource: T, ops: ScimPatchOperation[]): T {
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
