export { customFieldRoutes } from './custom-fields.routes';
export { customValuesOf, planCustomValues, presentCustomValues, writeCustomValues, type CustomValueInput, type CustomValuePlan } from './custom-values';
export { loadFieldDefs, type FieldDef } from './custom-fields.service';
export type { CustomFieldTables } from './custom-fields.db';
