import type { Generated, Selectable } from 'kysely';

/** Custom-field tables of the projects store (migration 20261126T2310-custom-fields). */
export interface CustomFieldTable {
  id: Generated<number>;
  org_id: string;
  project_id: number;
  /** Backlog's CustomFieldType: 1 text, 2 sentence, 3 number, 4 date, 5 single list, 6 multiple list, 7 check box, 8 radio. */
  type_id: number;
  name: string;
  description: string;
  required: number;
  use_issue_type: number;
  display_order: number;
  /** JSON of the type's settings (`CustomFieldSettings`). */
  settings: string;
  version: Generated<number>;
}

export interface CustomFieldItemTable {
  id: Generated<number>;
  org_id: string;
  field_id: number;
  name: string;
  display_order: number;
}

export interface CustomFieldIssueTypeTable {
  org_id: string;
  field_id: number;
  issue_type_id: number;
}

export interface IssueCustomValueTable {
  org_id: string;
  issue_id: number;
  field_id: number;
  item_id: number | null;
  value: string | null;
  other_value: string | null;
}

export interface CustomFieldTables {
  custom_fields: CustomFieldTable;
  custom_field_items: CustomFieldItemTable;
  custom_field_issue_types: CustomFieldIssueTypeTable;
  issue_custom_values: IssueCustomValueTable;
}

export type CustomFieldRow = Selectable<CustomFieldTable>;
export type CustomFieldItemRow = Selectable<CustomFieldItemTable>;
export type IssueCustomValueRow = Selectable<IssueCustomValueTable>;

/** Type settings: number/date bounds and initial values, list options. */
export interface CustomFieldSettings {
  min?: string | null;
  max?: string | null;
  initialValue?: number | null;
  unit?: string | null;
  initialValueType?: number | null;
  initialDate?: string | null;
  initialShift?: number | null;
  allowAddItem?: boolean;
  allowInput?: boolean;
}
