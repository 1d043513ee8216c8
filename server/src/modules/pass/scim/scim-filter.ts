import { parse, type Filter } from 'scim2-parse-filter';
import { scimBad } from './scim-errors';

/**
 * SCIM filters (RFC 7644 §3.4.2.2) over resources already in memory. `scim2-parse-filter` parses;
 * the evaluation is ours because its `eq` is case-sensitive, while SCIM strings are caseExact=false
 * except `id`, `externalId` (and `meta.version`).
 */
const CASE_EXACT = new Set(['id', 'externalid', 'meta.version']);
const MAX_FILTER_LENGTH = 2000;

export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw scimBad('invalidFilter', 'The filter is too long.');
  try {
    return parse(text);
  } catch {
    throw scimBad('invalidFilter', `The filter could not be parsed: ${text.slice(0, 200)}`);
  }
}

/** `urn:…:User:employeeNumber` → [urn:…:User, employeeNumber]; `name.givenName` → [name, givenName]. */
export function splitPath(path: string): string[] {
  const urn = /^(urn:[^.]*:[^:.]+):(.+)$/i.exec(path);
  if (urn?.[1] && urn[2] && !urn[2].includes(':')) return [urn[1], ...urn[2].split('.')];
  return path.split('.');
}

function child(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const lower = key.toLowerCase();
  const found = Object.keys(value).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : (value as Record<string, unknown>)[found];
}

/** Every value at a path; multi-valued attributes fan out (`emails.value` is each email's value). */
function valuesAt(resource: unknown, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const key of splitPath(path)) {
    const next: unknown[] = [];
    for (const item of current) {
      const value = child(item, key);
      if (Array.isArray(value)) next.push(...value);
      else if (value !== undefined) next.push(value);
    }
    current = next;
  }
  return current;
}

function present(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function compare(op: string, actual: unknown, expected: unknown, caseExact: boolean): boolean {
  // A complex multi-valued item (an email object) compares through its `value` sub-attribute.
  if (actual !== null && typeof actual === 'object' && !Array.isArray(actual)) actual = child(actual, 'value');
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = caseExact ? actual : actual.toLowerCase();
    const e = caseExact ? expected : expected.toLowerCase();
    switch (op) {
      case 'eq': return a === e;
      case 'ne': return a !== e;
      case 'co': return a.includes(e);
      case 'sw': return a.startsWith(e);
      case 'ew': return a.endsWith(e);
      case 'gt': return a > e;
      case 'ge': return a >= e;
      case 'lt': return a < e;
      case 'le': return a <= e;
    }
  }
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    // Entra sends `"True"`/`"False"` as strings now and then.
    const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() === 'true' : v);
    if (op === 'eq') return norm(actual) === norm(expected);
    if (op === 'ne') return norm(actual) !== norm(expected);
    throw scimBad('invalidFilter', `The operator ${op} does not apply to boolean attributes.`);
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    switch (op) {
      case 'eq': return actual === expected;
      case 'ne': return actual !== expected;
      case 'gt': return actual > expected;
      case 'ge': return actual >= expected;
      case 'lt': return actual < expected;
      case 'le': return actual <= expected;
    }
    throw scimBad('invalidFilter', `The operator ${op} does not apply to numbers.`);
  }
  if (expected === null) return op === 'eq' ? !present(actual) : op === 'ne' ? present(actual) : false;
  return op === 'ne';
}

export function matches(filter: Filter, resource: unknown): boolean {
  switch (filter.op) {
    case 'and':
      return 'filters' in filter && filter.filters.every((f) => matches(f, resource));
    case 'or':
      return 'filters' in filter && filter.filters.some((f) => matches(f, resource));
    case 'not':
      return 'filter' in filter && !matches(filter.filter, resource);
    case '[]':
      return 'valFilter' in filter && valuesAt(resource, filter.attrPath).some((item) => matches(filter.valFilter, item));
    case 'pr':
      return 'attrPath' in filter && valuesAt(resource, filter.attrPath).some(present);
    default: {
      if (!('compValue' in filter)) throw scimBad('invalidFilter', 'Unsupported filter.');
      const caseExact = CASE_EXACT.has(filter.attrPath.toLowerCase());
      const values = valuesAt(resource, filter.attrPath);
      if (values.length === 0) return filter.op === 'ne' ? filter.compValue !== null : filter.op === 'eq' && filter.compValue === null;
      if (filter.op === 'ne') return values.every((v) => compare('ne', v, filter.compValue, caseExact));
      return values.some((v) => compare(filter.op, v, filter.compValue, caseExact));
    }
  }
}
