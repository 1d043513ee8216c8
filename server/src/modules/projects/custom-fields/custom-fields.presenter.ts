import { FieldType, LIST_TYPES, type FieldDef } from './custom-fields.service';

/** `Project.CustomField` as backlog-js types it; type-specific keys only for their types. */
export function presentCustomField(def: FieldDef) {
  const { row, settings } = def;
  const base = {
    id: row.id,
    projectId: row.project_id,
    typeId: row.type_id,
    version: row.version,
    name: row.name,
    description: row.description,
    required: row.required === 1,
    useIssueType: row.use_issue_type === 1,
    applicableIssueTypes: [...def.issueTypeIds].sort((a, b) => a - b),
    displayOrder: row.display_order,
  };
  if (row.type_id === FieldType.number) {
    return { ...base, min: settings.min == null ? null : Number(settings.min), max: settings.max == null ? null : Number(settings.max), initialValue: settings.initialValue ?? null, unit: settings.unit ?? null };
  }
  if (row.type_id === FieldType.date) {
    const initialDate = settings.initialValueType ? { id: settings.initialValueType, shift: settings.initialShift ?? null, date: settings.initialDate ?? null } : null;
    return { ...base, min: settings.min ?? null, max: settings.max ?? null, initialDate };
  }
  if (LIST_TYPES.includes(row.type_id)) {
    const items = def.items.map((i) => ({ id: i.id, name: i.name, displayOrder: i.display_order }));
    const withInput = row.type_id === FieldType.checkBox || row.type_id === FieldType.radio ? { allowInput: settings.allowInput ?? false } : {};
    return { ...base, items, allowAddItem: settings.allowAddItem ?? false, ...withInput };
  }
  return base;
}
