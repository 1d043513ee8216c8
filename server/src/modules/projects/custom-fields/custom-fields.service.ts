import { badRequest, notFound } from '../../../kernel/errors';
import { requireProject } from '../projects.policy';
import { auditProject } from '../projects.audit';
import { createProjectsRepository } from '../projects.repository';
import type { ProjectScope } from '../projects.service';
import type { Caller, ProjectsDeps } from '../spaces.service';
import type { CustomFieldItemRow, CustomFieldRow, CustomFieldSettings } from './custom-fields.db';
import { createCustomFieldsRepository } from './custom-fields.repository';

/** Backlog's CustomFieldType ids. */
export const FieldType = { text: 1, sentence: 2, number: 3, date: 4, singleList: 5, multipleList: 6, checkBox: 7, radio: 8 } as const;
export const LIST_TYPES: readonly number[] = [FieldType.singleList, FieldType.multipleList, FieldType.checkBox, FieldType.radio];
export const MULTI_TYPES: readonly number[] = [FieldType.multipleList, FieldType.checkBox];
/** Backlog caps a project's custom fields; Toride keeps the same order of magnitude. */
const MAX_FIELDS = 100;
const MAX_ITEMS = 200;

/** A field with everything its wire shape and its value rules need. */
export interface FieldDef {
  readonly row: CustomFieldRow;
  readonly settings: CustomFieldSettings;
  readonly items: readonly CustomFieldItemRow[];
  readonly issueTypeIds: readonly number[];
}

export const appliesTo = (def: FieldDef, issueTypeId: number) => def.row.use_issue_type === 0 || def.issueTypeIds.includes(issueTypeId);

export async function loadFieldDefs(caller: Caller, projectIds: readonly number[]): Promise<FieldDef[]> {
  const repo = createCustomFieldsRepository(caller.db);
  const rows = await repo.listFields(caller.orgId, projectIds);
  const ids = rows.map((r) => r.id);
  const [items, types] = await Promise.all([repo.itemsOf(caller.orgId, ids), repo.issueTypesOf(caller.orgId, ids)]);
  return rows.map((row) => ({
    row,
    settings: JSON.parse(row.settings) as CustomFieldSettings,
    items: items.filter((i) => i.field_id === row.id),
    issueTypeIds: types.filter((t) => t.field_id === row.id).map((t) => t.issue_type_id),
  }));
}

const fieldNotFound = () => notFound('custom_field.not_found', 'No custom field.');

async function findDef(scope: ProjectScope, id: number): Promise<FieldDef> {
  const def = (await loadFieldDefs(scope.caller, [scope.project.id])).find((d) => d.row.id === id);
  if (!def) throw fieldNotFound();
  return def;
}

export interface FieldInput {
  name?: string | undefined;
  description?: string | undefined;
  required?: boolean | undefined;
  applicableIssueTypes?: number[] | undefined;
  min?: string | undefined;
  max?: string | undefined;
  initialValue?: string | undefined;
  unit?: string | undefined;
  initialValueType?: number | undefined;
  initialDate?: string | undefined;
  initialShift?: number | undefined;
  items?: string[] | undefined;
  allowInput?: boolean | undefined;
  allowAddItem?: boolean | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?\d{1,12}(\.\d{1,4})?$/;

/** The type's settings after applying `input` to `base`; bounds must parse and be ordered. */
function settingsFor(typeId: number, base: CustomFieldSettings, input: FieldInput): CustomFieldSettings {
  const next: CustomFieldSettings = { ...base };
  const bound = (value: string | undefined) => (value === undefined ? undefined : value === '' ? null : value);
  if (typeId === FieldType.number || typeId === FieldType.date) {
    const shape = typeId === FieldType.number ? NUMBER : DATE;
    const min = bound(input.min);
    const max = bound(input.max);
    if (min !== undefined) next.min = min;
    if (max !== undefined) next.max = max;
    for (const v of [next.min, next.max]) if (v != null && !shape.test(v)) throw badRequest('custom_field.invalid', `Invalid bound: ${v}.`);
    if (next.min != null && next.max != null) {
      const ordered = typeId === FieldType.number ? Number(next.min) <= Number(next.max) : next.min <= next.max;
      if (!ordered) throw badRequest('custom_field.invalid', 'min must not be greater than max.');
    }
  }
  if (typeId === FieldType.number) {
    if (input.initialValue !== undefined) {
      if (input.initialValue !== '' && !NUMBER.test(input.initialValue)) throw badRequest('custom_field.invalid', 'initialValue must be a number.');
      next.initialValue = input.initialValue === '' ? null : Number(input.initialValue);
    }
    if (input.unit !== undefined) next.unit = input.unit === '' ? null : input.unit.slice(0, 50);
  }
  if (typeId === FieldType.date) {
    if (input.initialValueType !== undefined) {
      if (![1, 2, 3].includes(input.initialValueType)) throw badRequest('custom_field.invalid', 'initialValueType must be 1 (today), 2 (today + shift) or 3 (a date).');
      next.initialValueType = input.initialValueType;
    }
    if (input.initialDate !== undefined) {
      if (input.initialDate !== '' && !DATE.test(input.initialDate)) throw badRequest('custom_field.invalid', 'initialDate must be yyyy-MM-dd.');
      next.initialDate = input.initialDate === '' ? null : input.initialDate;
    }
    if (input.initialShift !== undefined) next.initialShift = input.initialShift;
  }
  if (LIST_TYPES.includes(typeId)) {
    if (input.allowAddItem !== undefined) next.allowAddItem = input.allowAddItem;
    if (input.allowInput !== undefined) {
      if (input.allowInput && typeId !== FieldType.checkBox && typeId !== FieldType.radio) throw badRequest('custom_field.invalid', 'allowInput is only for check boxes and radio buttons.');
      next.allowInput = input.allowInput;
    }
  }
  return next;
}

async function checkIssueTypes(scope: ProjectScope, ids: readonly number[]) {
  const types = await createProjectsRepository(scope.caller.db).listIssueTypes(scope.caller.orgId, scope.project.id);
  for (const id of ids) if (!types.some((t) => t.id === id)) throw badRequest('custom_field.invalid_issue_type', 'No such issue type in this project.');
}

export async function listFields(scope: ProjectScope): Promise<FieldDef[]> {
  return loadFieldDefs(scope.caller, [scope.project.id]);
}

export async function addField(deps: ProjectsDeps, scope: ProjectScope, typeId: number, input: FieldInput & { name: string }): Promise<FieldDef> {
  requireProject(scope, 'project:manage_issue_types');
  const { caller } = scope;
  const repo = createCustomFieldsRepository(caller.db);
  const existing = await repo.countFields(caller.orgId, scope.project.id);
  if (existing >= MAX_FIELDS) throw badRequest('custom_field.too_many', `A project has at most ${MAX_FIELDS} custom fields.`);
  const applicable = input.applicableIssueTypes ?? [];
  await checkIssueTypes(scope, applicable);
  const settings = settingsFor(typeId, {}, input);
  const items = LIST_TYPES.includes(typeId) ? (input.items ?? []).map((n) => n.trim()).filter(Boolean) : [];
  if (items.length > MAX_ITEMS) throw badRequest('custom_field.too_many_items', `A list has at most ${MAX_ITEMS} items.`);
  const row = await caller.db.transaction().execute(async (trx) => {
    const r = createCustomFieldsRepository(trx);
    const field = await r.insertField({
      org_id: caller.orgId,
      project_id: scope.project.id,
      type_id: typeId,
      name: input.name,
      description: input.description ?? '',
      required: input.required ? 1 : 0,
      use_issue_type: applicable.length > 0 ? 1 : 0,
      display_order: existing,
      settings: JSON.stringify(settings),
    });
    await r.replaceIssueTypes(caller.orgId, field.id, applicable);
    for (const [index, name] of items.entries()) await r.insertItem({ org_id: caller.orgId, field_id: field.id, name, display_order: index });
    return field;
  });
  await auditProject(deps, caller, 'custom_field_created', scope.project, { customFieldId: row.id, name: row.name, typeId });
  return findDef(scope, row.id);
}

export async function updateField(deps: ProjectsDeps, scope: ProjectScope, id: number, input: FieldInput): Promise<FieldDef> {
  requireProject(scope, 'project:manage_issue_types');
  const { caller } = scope;
  const def = await findDef(scope, id);
  if (input.applicableIssueTypes) await checkIssueTypes(scope, input.applicableIssueTypes);
  const settings = settingsFor(def.row.type_id, def.settings, input);
  await caller.db.transaction().execute(async (trx) => {
    const r = createCustomFieldsRepository(trx);
    await r.updateField(caller.orgId, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.required !== undefined ? { required: input.required ? 1 : 0 } : {}),
      ...(input.applicableIssueTypes !== undefined ? { use_issue_type: input.applicableIssueTypes.length > 0 ? 1 : 0 } : {}),
      settings: JSON.stringify(settings),
    });
    if (input.applicableIssueTypes !== undefined) await r.replaceIssueTypes(caller.orgId, id, input.applicableIssueTypes);
    // `items` on PATCH adds the names not yet listed (Backlog keeps existing items and their values).
    const known = new Set(def.items.map((i) => i.name));
    let order = def.items.length;
    for (const name of (input.items ?? []).map((n) => n.trim()).filter((n) => n && !known.has(n))) {
      await r.insertItem({ org_id: caller.orgId, field_id: id, name, display_order: order++ });
    }
  });
  await auditProject(deps, caller, 'custom_field_updated', scope.project, { customFieldId: id });
  return findDef(scope, id);
}

export async function deleteField(deps: ProjectsDeps, scope: ProjectScope, id: number): Promise<FieldDef> {
  requireProject(scope, 'project:manage_issue_types');
  const def = await findDef(scope, id);
  await createCustomFieldsRepository(scope.caller.db).deleteField(scope.caller.orgId, id);
  await auditProject(deps, scope.caller, 'custom_field_deleted', scope.project, { customFieldId: id, name: def.row.name });
  return def;
}

const itemNotFound = () => notFound('custom_field.item_not_found', 'No such item.');

/** Adding items: project admins always, members too when the field allows it (`allowAddItem`). */
export async function addItem(deps: ProjectsDeps, scope: ProjectScope, id: number, name: string): Promise<FieldDef> {
  const def = await findDef(scope, id);
  requireProject(scope, def.settings.allowAddItem ? 'issue:update' : 'project:manage_issue_types');
  if (!LIST_TYPES.includes(def.row.type_id)) throw badRequest('custom_field.not_a_list', 'This custom field has no items.');
  if (def.items.length >= MAX_ITEMS) throw badRequest('custom_field.too_many_items', `A list has at most ${MAX_ITEMS} items.`);
  const order = Math.max(-1, ...def.items.map((i) => i.display_order)) + 1;
  const item = await createCustomFieldsRepository(scope.caller.db).insertItem({ org_id: scope.caller.orgId, field_id: id, name, display_order: order });
  await auditProject(deps, scope.caller, 'custom_field_updated', scope.project, { customFieldId: id, itemAdded: item.id });
  return findDef(scope, id);
}

export async function renameItem(deps: ProjectsDeps, scope: ProjectScope, id: number, itemId: number, name: string): Promise<FieldDef> {
  requireProject(scope, 'project:manage_issue_types');
  const def = await findDef(scope, id);
  if (!def.items.some((i) => i.id === itemId)) throw itemNotFound();
  await createCustomFieldsRepository(scope.caller.db).renameItem(scope.caller.orgId, id, itemId, name);
  await auditProject(deps, scope.caller, 'custom_field_updated', scope.project, { customFieldId: id, itemRenamed: itemId });
  return findDef(scope, id);
}

/** Deleting an item removes it from every issue that chose it (the value rows cascade). */
export async function deleteItem(deps: ProjectsDeps, scope: ProjectScope, id: number, itemId: number): Promise<FieldDef> {
  requireProject(scope, 'project:manage_issue_types');
  const def = await findDef(scope, id);
  if (!def.items.some((i) => i.id === itemId)) throw itemNotFound();
  await createCustomFieldsRepository(scope.caller.db).deleteItem(scope.caller.orgId, id, itemId);
  await auditProject(deps, scope.caller, 'custom_field_updated', scope.project, { customFieldId: id, itemDeleted: itemId });
  return findDef(scope, id);
}
