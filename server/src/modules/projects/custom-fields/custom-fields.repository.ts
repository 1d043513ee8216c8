import type { Kysely, Updateable } from 'kysely';
import type { ProjectsDb } from '../projects.db';
import type { CustomFieldTable } from './custom-fields.db';

/** Every SQL statement for custom fields, their items, applicability and issue values. Reads filter by org (W7.7). */
export function createCustomFieldsRepository(db: Kysely<ProjectsDb>) {
  return {
    listFields: (orgId: string, projectIds: readonly number[]) =>
      projectIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('custom_fields').selectAll().where('org_id', '=', orgId).where('project_id', 'in', projectIds).orderBy('display_order').orderBy('id').execute(),

    findFieldsByIds: (orgId: string, ids: readonly number[]) =>
      ids.length === 0 ? Promise.resolve([]) : db.selectFrom('custom_fields').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute(),

    findField: (orgId: string, projectId: number, id: number) =>
      db.selectFrom('custom_fields').selectAll().where('org_id', '=', orgId).where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst(),

    insertField: (row: Omit<CustomFieldTable, 'id' | 'version'>) => db.insertInto('custom_fields').values(row).returningAll().executeTakeFirstOrThrow(),

    updateField: (orgId: string, id: number, changes: Updateable<CustomFieldTable>) =>
      db
        .updateTable('custom_fields')
        .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute(),

    deleteField: (orgId: string, id: number) => db.deleteFrom('custom_fields').where('org_id', '=', orgId).where('id', '=', id).execute(),

    countFields: async (orgId: string, projectId: number) => {
      const row = await db.selectFrom('custom_fields').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).where('project_id', '=', projectId).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    itemsOf: (orgId: string, fieldIds: readonly number[]) =>
      fieldIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('custom_field_items').selectAll().where('org_id', '=', orgId).where('field_id', 'in', fieldIds).orderBy('display_order').orderBy('id').execute(),

    insertItem: (row: { org_id: string; field_id: number; name: string; display_order: number }) =>
      db.insertInto('custom_field_items').values(row).returningAll().executeTakeFirstOrThrow(),

    renameItem: (orgId: string, fieldId: number, itemId: number, name: string) =>
      db.updateTable('custom_field_items').set({ name }).where('org_id', '=', orgId).where('field_id', '=', fieldId).where('id', '=', itemId).execute(),

    deleteItem: (orgId: string, fieldId: number, itemId: number) =>
      db.deleteFrom('custom_field_items').where('org_id', '=', orgId).where('field_id', '=', fieldId).where('id', '=', itemId).execute(),

    issueTypesOf: (orgId: string, fieldIds: readonly number[]) =>
      fieldIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('custom_field_issue_types').selectAll().where('org_id', '=', orgId).where('field_id', 'in', fieldIds).execute(),

    replaceIssueTypes: async (orgId: string, fieldId: number, issueTypeIds: readonly number[]) => {
      await db.deleteFrom('custom_field_issue_types').where('org_id', '=', orgId).where('field_id', '=', fieldId).execute();
      if (issueTypeIds.length === 0) return;
      await db
        .insertInto('custom_field_issue_types')
        .values([...new Set(issueTypeIds)].map((issue_type_id) => ({ org_id: orgId, field_id: fieldId, issue_type_id })))
        .execute();
    },

    valuesOf: (orgId: string, issueIds: readonly number[]) =>
      issueIds.length === 0 ? Promise.resolve([]) : db.selectFrom('issue_custom_values').selectAll().where('org_id', '=', orgId).where('issue_id', 'in', issueIds).execute(),

    replaceValue: async (orgId: string, issueId: number, fieldId: number, rows: readonly { item_id: number | null; value: string | null; other_value: string | null }[]) => {
      await db.deleteFrom('issue_custom_values').where('org_id', '=', orgId).where('issue_id', '=', issueId).where('field_id', '=', fieldId).execute();
      if (rows.length === 0) return;
      await db
        .insertInto('issue_custom_values')
        .values(rows.map((r) => ({ org_id: orgId, issue_id: issueId, field_id: fieldId, ...r })))
        .execute();
    },
  };
}
