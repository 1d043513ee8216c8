import type { Filter } from 'scim2-parse-filter';
import { scimBad } from './scim-errors';
import { matches, parseFilter, splitPath } from './scim-filter';
import { LIST_SCHEMA } from './scim-user-mapping';

export const MAX_COUNT = 200;
const DEFAULT_COUNT = 100;

export interface ListQuery {
  filter: Filter | null;
  startIndex: number;
  count: number;
  attributes: string[] | null;
  excludedAttributes: string[] | null;
}

const list = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.split(',').map((a) => a.trim()).filter(Boolean) : null;

function integer(value: unknown, name: string): number | null {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !/^-?\d{1,9}$/.test(value)) throw scimBad('invalidValue', `${name} must be an integer.`);
  return Number(value);
}

/** RFC 7644 §3.4.2.4: startIndex < 1 means 1; a negative count means 0; we cap count at MAX_COUNT. */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const startIndex = Math.max(1, integer(query.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_COUNT, Math.max(0, integer(query.count, 'count') ?? DEFAULT_COUNT));
  const filter = typeof query.filter === 'string' && query.filter.trim() !== '' ? parseFilter(query.filter) : null;
  return { filter, startIndex, count, attributes: list(query.attributes), excludedAttributes: list(query.excludedAttributes) };
}

/** `attributes` / `excludedAttributes` (top-level and `a.b` sub-attributes); `id` and `schemas` always stay. */
export function project(resource: Record<string, unknown>, q: Pick<ListQuery, 'attributes' | 'excludedAttributes'>): Record<string, unknown> {
  const always = new Set(['id', 'schemas']);
  if (q.attributes) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(resource)) if (always.has(key)) out[key] = resource[key];
    for (const path of q.attributes) {
      const [top, sub] = splitPath(path);
      const key = Object.keys(resource).find((k) => k.toLowerCase() === top?.toLowerCase());
      if (!key) continue;
      const value = resource[key];
      if (sub && value && typeof value === 'object' && !Array.isArray(value)) {
        const subKey = Object.keys(value).find((k) => k.toLowerCase() === sub.toLowerCase());
        if (subKey) out[key] = { ...((out[key] as object) ?? {}), [subKey]: (value as Record<string, unknown>)[subKey] };
      } else out[key] = value;
    }
    return out;
  }
  if (q.excludedAttributes) {
    const excluded = new Set(q.excludedAttributes.map((a) => a.toLowerCase()));
    return Object.fromEntries(Object.entries(resource).filter(([k]) => always.has(k) || !excluded.has(k.toLowerCase())));
  }
  return resource;
}

/** Filter, page and wrap as a ListResponse. */
export function listResponse(resources: Record<string, unknown>[], q: ListQuery) {
  const matched = q.filter ? resources.filter((r) => matches(q.filter as Filter, r)) : resources;
  const page = matched.slice(q.startIndex - 1, q.startIndex - 1 + q.count);
  return {
    schemas: [LIST_SCHEMA],
    totalResults: matched.length,
    startIndex: q.startIndex,
    itemsPerPage: page.length,
    Resources: page.map((r) => project(r, q)),
  };
}
