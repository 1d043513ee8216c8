import { sql, type ExpressionBuilder } from 'kysely';
import { badRequest } from '../../../kernel/errors';
import type { BacklogParams } from '../backlog-api/form-body';
import type { ProjectsDb } from '../projects.db';
import type { Caller } from '../spaces.service';
import { createCustomFieldsRepository } from './custom-fields.repository';
import { FieldType, LIST_TYPES } from './custom-fields.service';

/** One `customField_N` condition of `GET /issues`: list items, a text substring, or numeric/date bounds. */
export interface CustomFieldFilter {
  readonly fieldId: number;
  readonly itemIds?: readonly number[];
  readonly text?: string;
  readonly min?: string;
  readonly max?: string;
  readonly numeric?: boolean;
}

const KEY = /^customField_(\d+)(_min|_max)?$/;

/** Reads `customField_N`, `customField_N[]`, `customField_N_min`, `customField_N_max`; unknown field ids answer 400. */
export async function customFiltersOf(caller: Caller, params: BacklogParams): Promise<CustomFieldFilter[] | undefined> {
  const wanted = new Map<number, { values?: string[]; min?: string; max?: string }>();
  for (const [key, raw] of Object.entries(params)) {
    const match = KEY.exec(key);
    if (!match?.[1]) continue;
    const entry = wanted.get(Number(match[1])) ?? {};
    wanted.set(Number(match[1]), entry);
    const list = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== '');
    if (match[2] === '_min') entry.min = list[0];
    else if (match[2] === '_max') entry.max = list[0];
    else entry.values = list;
  }
  if (wanted.size === 0) return undefined;
  const rows = await createCustomFieldsRepository(caller.db).findFieldsByIds(caller.orgId, [...wanted.keys()]);
  return [...wanted.entries()].map(([fieldId, entry]) => {
    const row = rows.find((r) => r.id === fieldId);
    if (!row) throw badRequest('custom_field.not_found', `No custom field ${fieldId}.`);
    if (LIST_TYPES.includes(row.type_id)) {
      const itemIds = (entry.values ?? []).map((v) => (/^\d{1,15}$/.test(v) ? Number(v) : NaN));
      if (itemIds.some(Number.isNaN)) throw badRequest('request.invalid', `Invalid parameter: customField_${fieldId} takes item ids.`);
      return { fieldId, itemIds };
    }
    const filter: CustomFieldFilter = { fieldId, numeric: row.type_id === FieldType.number, ...(entry.min !== undefined ? { min: entry.min } : {}), ...(entry.max !== undefined ? { max: entry.max } : {}) };
    const text = entry.values?.[0];
    for (const bound of [entry.min, entry.max]) if (bound !== undefined && !(filter.numeric ? /^-?\d{1,12}(\.\d{1,4})?$/ : /^\d{4}-\d{2}-\d{2}$/).test(bound)) throw badRequest('request.invalid', `Invalid parameter: bound of customField_${fieldId}.`);
    return text === undefined ? filter : { ...filter, text };
  });
}

/** The condition on `issues` for one filter (an EXISTS on `issue_custom_values`). */
export function customFieldCondition(eb: ExpressionBuilder<ProjectsDb, 'issues'>, f: CustomFieldFilter) {
  let sub = eb.selectFrom('issue_custom_values').select('issue_custom_values.issue_id').whereRef('issue_custom_values.issue_id', '=', 'issues.id').where('issue_custom_values.field_id', '=', f.fieldId);
  if (f.itemIds?.length) sub = sub.where('issue_custom_values.item_id', 'in', f.itemIds);
  if (f.text !== undefined) {
    const escaped = f.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    sub = sub.where(sql<boolean>`lower(issue_custom_values.value) like ${`%${escaped}%`} escape '\\'`);
  }
  const value = f.numeric ? sql`cast(issue_custom_values.value as numeric)` : sql`issue_custom_values.value`;
  const bound = (b: string) => (f.numeric ? sql`cast(${b} as numeric)` : sql`${b}`);
  if (f.min !== undefined) sub = sub.where(sql<boolean>`${value} >= ${bound(f.min)}`);
  if (f.max !== undefined) sub = sub.where(sql<boolean>`${value} <= ${bound(f.max)}`);
  return eb.exists(sub);
}
