import { badRequest } from '../../../kernel/errors';
import type { BacklogParams } from '../backlog-api/form-body';
import type { Caller } from '../spaces.service';
import type { IssueCustomValueRow } from './custom-fields.db';
import { createCustomFieldsRepository } from './custom-fields.repository';
import { appliesTo, FieldType, LIST_TYPES, loadFieldDefs, MULTI_TYPES, type FieldDef } from './custom-fields.service';

/**
 * Issue values of custom fields as Backlog clients send them: `customField_5=text`,
 * `customField_6[0]=3&customField_6[1]=4` (list item ids), `customField_7_otherValue=free text`.
 * An empty value clears the field.
 */
export interface CustomValueInput {
  readonly fieldId: number;
  readonly values: readonly string[] | null;
  readonly otherValue?: string | null | undefined;
  /** Only `customField_N_otherValue` was sent: the chosen items stay. */
  readonly onlyOther?: boolean | undefined;
}

const KEY = /^customField_(\d+)(_otherValue)?$/;

export function customValuesOf(params: BacklogParams): CustomValueInput[] {
  const byField = new Map<number, { values?: string[] | null; otherValue?: string | null }>();
  for (const [key, raw] of Object.entries(params)) {
    const match = KEY.exec(key);
    if (!match?.[1]) continue;
    const fieldId = Number(match[1]);
    const entry = byField.get(fieldId) ?? {};
    byField.set(fieldId, entry);
    const list = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== '');
    if (match[2]) entry.otherValue = list[0] ?? null;
    else entry.values = list.length ? list : null;
  }
  return [...byField.entries()].map(([fieldId, e]) => ({ fieldId, values: e.values === undefined ? null : e.values, otherValue: e.otherValue, ...(e.values === undefined ? { onlyOther: true } : {}) }));
}

type ValueRows = { item_id: number | null; value: string | null; other_value: string | null }[];
const invalid = (def: FieldDef, why: string) => badRequest('custom_field.invalid_value', `${def.row.name}: ${why}`);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?\d{1,12}(\.\d{1,4})?$/;

/** The rows `input` means for `def`, or an error naming the field. */
function rowsFor(def: FieldDef, input: CustomValueInput, current: ValueRows): ValueRows {
  const type = def.row.type_id;
  const values = input.values ?? [];
  const keepOther = current.find((r) => r.other_value !== null)?.other_value ?? null;
  const other = input.otherValue === undefined ? keepOther : input.otherValue;
  if (other !== null && !(def.settings.allowInput && (type === FieldType.checkBox || type === FieldType.radio))) throw invalid(def, 'this field takes no other value.');
  if (LIST_TYPES.includes(type)) {
    const onlyOther = input.onlyOther === true;
    const itemIds = onlyOther ? current.filter((r) => r.item_id !== null).map((r) => r.item_id as number) : values.map((v) => (/^\d+$/.test(v) ? Number(v) : NaN));
    for (const id of itemIds) if (!def.items.some((i) => i.id === id)) throw invalid(def, 'no such item.');
    if (!MULTI_TYPES.includes(type) && itemIds.length > 1) throw invalid(def, 'takes one item.');
    const rows: ValueRows = [...new Set(itemIds)].map((item_id) => ({ item_id, value: null, other_value: null }));
    if (other !== null) rows.push({ item_id: null, value: null, other_value: other.slice(0, 255) });
    return rows;
  }
  const value = values[0];
  if (value === undefined) return [];
  if (type === FieldType.text && value.length > 255) throw invalid(def, 'at most 255 characters.');
  if (type === FieldType.sentence && value.length > 100_000) throw invalid(def, 'too long.');
  if (type === FieldType.number) {
    if (!NUMBER.test(value)) throw invalid(def, 'must be a number.');
    const n = Number(value);
    if (def.settings.min != null && n < Number(def.settings.min)) throw invalid(def, `must be at least ${def.settings.min}.`);
    if (def.settings.max != null && n > Number(def.settings.max)) throw invalid(def, `must be at most ${def.settings.max}.`);
    return [{ item_id: null, value: String(n), other_value: null }];
  }
  if (type === FieldType.date) {
    if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw invalid(def, 'must be a date yyyy-MM-dd.');
    if (def.settings.min != null && value < def.settings.min) throw invalid(def, `must not be before ${def.settings.min}.`);
    if (def.settings.max != null && value > def.settings.max) throw invalid(def, `must not be after ${def.settings.max}.`);
  }
  return [{ item_id: null, value, other_value: null }];
}

/** A value's display text, for change logs. */
function displayOf(def: FieldDef, rows: ValueRows): string | null {
  if (rows.length === 0) return null;
  if (LIST_TYPES.includes(def.row.type_id)) {
    const names = rows.flatMap((r) => (r.item_id === null ? [] : [def.items.find((i) => i.id === r.item_id)?.name ?? String(r.item_id)]));
    const other = rows.find((r) => r.other_value !== null)?.other_value;
    return [...names, ...(other ? [other] : [])].join(', ') || null;
  }
  return rows[0]?.value ?? null;
}

export interface CustomValuePlan {
  readonly writes: { fieldId: number; rows: ValueRows }[];
  readonly changes: { field: string; newValue: string | null; originalValue: string | null; attributeId: number; attributeTypeId: number }[];
}

/**
 * Checks `inputs` against the project's fields for an issue of `issueTypeId` (ids of other projects
 * or orgs are unknown fields) and, on create, that every required applicable field gets a value.
 */
export async function planCustomValues(caller: Caller, projectId: number, issueTypeId: number, inputs: readonly CustomValueInput[], issueId: number | null): Promise<CustomValuePlan> {
  const defs = await loadFieldDefs(caller, [projectId]);
  const current = issueId === null ? [] : await createCustomFieldsRepository(caller.db).valuesOf(caller.orgId, [issueId]);
  const writes: CustomValuePlan['writes'] = [];
  const changes: CustomValuePlan['changes'][number][] = [];
  for (const input of inputs) {
    const def = defs.find((d) => d.row.id === input.fieldId);
    if (!def) throw badRequest('custom_field.not_found', `No custom field ${input.fieldId} in this project.`);
    if (!appliesTo(def, issueTypeId)) throw invalid(def, 'does not apply to this issue type.');
    const before: ValueRows = current.filter((r) => r.field_id === def.row.id);
    const rows = rowsFor(def, input, before);
    if (def.row.required === 1 && rows.length === 0) throw invalid(def, 'is required.');
    writes.push({ fieldId: def.row.id, rows });
    const [originalValue, newValue] = [displayOf(def, before), displayOf(def, rows)];
    if (originalValue !== newValue) changes.push({ field: def.row.name, newValue, originalValue, attributeId: def.row.id, attributeTypeId: def.row.type_id });
  }
  if (issueId === null) {
    for (const def of defs) {
      if (def.row.required === 1 && appliesTo(def, issueTypeId) && !writes.some((w) => w.fieldId === def.row.id)) throw invalid(def, 'is required.');
    }
  }
  return { writes, changes };
}

export async function writeCustomValues(db: Caller['db'], orgId: string, issueId: number, plan: CustomValuePlan): Promise<void> {
  const repo = createCustomFieldsRepository(db);
  for (const w of plan.writes) await repo.replaceValue(orgId, issueId, w.fieldId, w.rows);
}

export type CustomFieldValueJson = { id: number; fieldTypeId: number; name: string; value: unknown; otherValue?: string | null };

/** `Issue.customFields`: every field of the issue's project that applies to its type, set or not. */
export function presentCustomValues(defs: readonly FieldDef[], issue: { id: number; project_id: number; issue_type_id: number }, values: readonly IssueCustomValueRow[]): CustomFieldValueJson[] {
  return defs
    .filter((d) => d.row.project_id === issue.project_id && appliesTo(d, issue.issue_type_id))
    .map((def) => {
      const own = values.filter((v) => v.issue_id === issue.id && v.field_id === def.row.id);
      const type = def.row.type_id;
      const base = { id: def.row.id, fieldTypeId: type, name: def.row.name };
      if (LIST_TYPES.includes(type)) {
        const items = own.flatMap((v) => {
          const item = def.items.find((i) => i.id === v.item_id);
          return item ? [{ id: item.id, name: item.name, displayOrder: item.display_order }] : [];
        });
        const value = MULTI_TYPES.includes(type) ? items : (items[0] ?? null);
        if (type === FieldType.checkBox || type === FieldType.radio) return { ...base, value, otherValue: own.find((v) => v.other_value !== null)?.other_value ?? null };
        return { ...base, value };
      }
      const raw = own[0]?.value ?? null;
      return { ...base, value: raw === null ? null : type === FieldType.number ? Number(raw) : raw };
    });
}
