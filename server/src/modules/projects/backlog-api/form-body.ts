import { badRequest } from '../../../kernel/errors';

/**
 * Backlog clients send `application/x-www-form-urlencoded` bodies (DELETE too) and query strings
 * encoded the way `qs` does with `arrayFormat: "brackets"`: `projectId[]=1&projectId[]=2`, and
 * indexed custom fields `customField_5[0]=3&customField_5[1]=4`. This reads both shapes into
 * `{ projectId: ['1','2'], customField_5: ['3','4'] }`; plain keys stay strings (the last one wins,
 * as a scalar field can hold one value).
 */
export type BacklogParams = Record<string, string | string[]>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A guard against `a[99999999]=x` turning into a huge sparse array. */
const MAX_INDEX = 1000;
const BRACKETS = /^([^[\]]+)\[(\d*)\]$/;

export function parseBacklogParams(text: string): BacklogParams {
  const arrays = new Map<string, { pushed: string[]; indexed: Map<number, string> }>();
  const scalars = new Map<string, string>();
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const match = BRACKETS.exec(rawKey);
    const key = match?.[1] ?? rawKey;
    if (FORBIDDEN_KEYS.has(key) || key === '') continue;
    if (!match) {
      scalars.set(key, value);
      continue;
    }
    const entry = arrays.get(key) ?? { pushed: [], indexed: new Map<number, string>() };
    arrays.set(key, entry);
    const index = match[2];
    if (index === '' || index === undefined) entry.pushed.push(value);
    else if (Number(index) <= MAX_INDEX) entry.indexed.set(Number(index), value);
  }
  const result: BacklogParams = {};
  for (const [key, value] of scalars) if (!arrays.has(key)) result[key] = value;
  for (const [key, entry] of arrays) {
    const ordered = [...entry.indexed.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    result[key] = [...ordered, ...entry.pushed];
  }
  return result;
}

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** JSON bodies are accepted too (scripts): `key[]` names lose their brackets, values become strings. */
export function normalizeJsonParams(body: unknown): BacklogParams {
  const result: BacklogParams = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return result;
  for (const [rawKey, value] of Object.entries(body as Record<string, unknown>)) {
    const key = rawKey.endsWith('[]') ? rawKey.slice(0, -2) : rawKey;
    if (FORBIDDEN_KEYS.has(key) || value === undefined) continue;
    // Only values and lists of values: `String()` of an object or a nested list would be "[object Object]"
    // or a flattened guess, silently stored (issue 12 §7).
    if (Array.isArray(value)) {
      if (!value.every(isScalar)) throw badRequest('request.invalid', `Invalid parameter: ${key.slice(0, 64)}: must be a list of values.`);
      result[key] = value.map((v) => (v === null ? '' : String(v)));
    } else if (isScalar(value)) result[key] = value === null ? '' : String(value);
    else throw badRequest('request.invalid', `Invalid parameter: ${key.slice(0, 64)}: must be a value or a list of values.`);
  }
  return result;
}
