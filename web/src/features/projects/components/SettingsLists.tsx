import { useState, type FormEvent } from 'react';
import { useT, type MessageKey } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { useCategories, useCustomFields, useIssueTypes, useProjectSettingWrite, useStatuses, useVersions } from '../api';
import { useCurrentProject } from '../project-context';
import { StatusBadge } from './StatusBadge';

/** Backlog's palettes: the API refuses other colours. */
const TYPE_COLORS = ['#e30000', '#990000', '#934981', '#814fbc', '#2779ca', '#007e9a', '#7ea800', '#ff9200', '#ff3265', '#666665'];
const STATUS_COLORS = ['#ea2c00', '#e87758', '#e07b9a', '#868cb7', '#3b9dbd', '#4caf93', '#b0be3c', '#eda62a', '#f42858', '#393939'];

interface Row {
  id: number;
  name: string;
  color?: string;
  detail?: string;
}

function ListEditor({
  what,
  rows,
  pending,
  error,
  colors,
  substitute,
  extraFields,
  typeIds,
  testId,
}: {
  what: 'issueTypes' | 'statuses' | 'categories' | 'versions' | 'customFields';
  rows: Row[];
  pending: boolean;
  error: unknown;
  colors?: string[];
  /** Deleting a type or status moves its issues to another one (Backlog's substitute). */
  substitute?: 'substituteIssueTypeId' | 'substituteStatusId';
  extraFields?: boolean;
  /** Custom fields: the Backlog type ids offered when adding one. */
  typeIds?: number[];
  testId: string;
}) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const write = useProjectSettingWrite(org.id, project.projectKey, what);
  const [name, setName] = useState('');
  const [color, setColor] = useState(colors?.[0] ?? '');
  const [dueDate, setDueDate] = useState('');
  const [typeId, setTypeId] = useState(String(typeIds?.[0] ?? ''));
  const add = (event: FormEvent) => {
    event.preventDefault();
    const params = { name: name.trim(), ...(colors ? { color } : {}), ...(extraFields && dueDate ? { releaseDueDate: dueDate } : {}), ...(typeIds ? { typeId: Number(typeId) } : {}) };
    write.mutate({ method: 'POST', params }, { onSuccess: () => setName('') });
  };
  const remove = (row: Row) => {
    const other = rows.find((r) => r.id !== row.id);
    write.mutate({ method: 'DELETE', id: row.id, params: substitute && other ? { [substitute]: other.id } : {} });
  };
  return (
    <div className="stack">
      {pending ? <Spinner /> : null}
      <ErrorAlert error={error} />
      <ul className="row-list" data-testid={testId}>
        {rows.map((row) => (
          <li key={row.id} className="row-item">
            <div className="row-main">
              <span className="row-title">{row.color ? <StatusBadge status={{ name: row.name, color: row.color }} /> : row.name}</span>
              {row.detail ? <span className="row-meta">{row.detail}</span> : null}
            </div>
            <button
              type="button"
              className="btn btn-sm btn-ghost-danger"
              disabled={write.isPending || (substitute !== undefined && rows.length < 2)}
              onClick={() => remove(row)}
              aria-label={t('projectSettings.removeNamed', { name: row.name })}
            >
              {t('projectSettings.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form className="form-inline" onSubmit={add} data-testid={`${testId}-form`}>
        <TextField label={t('projectSettings.newName')} value={name} onValue={setName} required maxLength={255} />
        {colors ? <SelectField label={t('projectSettings.color')} value={color} onValue={setColor} options={colors.map((c) => ({ value: c, label: c }))} /> : null}
        {extraFields ? <TextField label={t('issues.dueDate')} type="date" value={dueDate} onValue={setDueDate} /> : null}
        {typeIds ? (
          <SelectField
            label={t('projectSettings.fieldType')}
            value={typeId}
            onValue={setTypeId}
            options={typeIds.map((id) => ({ value: String(id), label: t(`projectSettings.fieldType.${id}` as MessageKey) }))}
          />
        ) : null}
        <div className="form-inline-action">
          <button type="submit" className="btn btn-primary" disabled={write.isPending}>
            {t('projectSettings.add')}
          </button>
        </div>
      </form>
      <ErrorAlert error={write.error} />
    </div>
  );
}

export function IssueTypesSettings() {
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const q = useIssueTypes(org.id, project.projectKey);
  const rows = (q.data ?? []).map((x) => ({ id: x.id, name: x.name, color: x.color }));
  return <ListEditor what="issueTypes" rows={rows} pending={q.isPending} error={q.error} colors={TYPE_COLORS} substitute="substituteIssueTypeId" testId="settings-issue-types" />;
}

export function StatusesSettings() {
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const q = useStatuses(org.id, project.projectKey);
  const rows = (q.data ?? []).map((x) => ({ id: x.id, name: x.name, color: x.color }));
  return <ListEditor what="statuses" rows={rows} pending={q.isPending} error={q.error} colors={STATUS_COLORS} substitute="substituteStatusId" testId="settings-statuses" />;
}

export function CategoriesSettings() {
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const q = useCategories(org.id, project.projectKey);
  return <ListEditor what="categories" rows={q.data ?? []} pending={q.isPending} error={q.error} testId="settings-categories" />;
}

export function MilestonesSettings() {
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const q = useVersions(org.id, project.projectKey);
  const rows = (q.data ?? []).map((v) => ({ id: v.id, name: v.name, detail: v.releaseDueDate ? v.releaseDueDate.slice(0, 10) : undefined }));
  return <ListEditor what="versions" rows={rows} pending={q.isPending} error={q.error} extraFields testId="settings-milestones" />;
}

export function CustomFieldsSettings() {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const q = useCustomFields(org.id, project.projectKey);
  const rows = (q.data ?? []).map((f) => ({ id: f.id, name: f.name, detail: t(`projectSettings.fieldType.${f.typeId}` as MessageKey) }));
  return <ListEditor what="customFields" rows={rows} pending={q.isPending} error={q.error} typeIds={[1, 2, 3, 4]} testId="settings-custom-fields" />;
}
