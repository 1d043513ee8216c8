import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { SelectField, TextField } from '../../../components/Field';
import type { Params } from '../backlog';
import { useCategories, useIssueTypes, usePriorities, useProjectUsers, useVersions } from '../api';
import { useCurrentProject } from '../project-context';
import type { Issue } from '../types';

export interface IssueFormValues {
  summary: string;
  issueTypeId: string;
  priorityId: string;
  description: string;
  assigneeId: string;
  startDate: string;
  dueDate: string;
  categoryId: string;
  milestoneId: string;
}

const valuesOf = (issue?: Issue): IssueFormValues => ({
  summary: issue?.summary ?? '',
  issueTypeId: issue ? String(issue.issueType.id) : '',
  priorityId: issue ? String(issue.priority.id) : '',
  description: issue?.description ?? '',
  assigneeId: issue?.assignee ? String(issue.assignee.id) : '',
  startDate: issue?.startDate?.slice(0, 10) ?? '',
  dueDate: issue?.dueDate?.slice(0, 10) ?? '',
  categoryId: issue?.category[0] ? String(issue.category[0].id) : '',
  milestoneId: issue?.milestone[0] ? String(issue.milestone[0].id) : '',
});

/** Form values as Backlog params; on edit, emptied fields are cleared (`a=`), unchanged ones are left out. */
export function issueParams(values: IssueFormValues, editing: boolean): Params {
  const optional = (value: string) => (value ? value : editing ? null : undefined);
  const list = (value: string) => (value ? [Number(value)] : undefined);
  return {
    summary: values.summary.trim(),
    issueTypeId: Number(values.issueTypeId),
    priorityId: Number(values.priorityId),
    description: values.description,
    assigneeId: optional(values.assigneeId),
    startDate: optional(values.startDate),
    dueDate: optional(values.dueDate),
    categoryId: list(values.categoryId),
    milestoneId: list(values.milestoneId),
  };
}

export function IssueForm({
  issue,
  pending,
  error,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  issue?: Issue;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (values: IssueFormValues) => void;
  onCancel?: () => void;
}) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const types = useIssueTypes(org.id, project.projectKey);
  const priorities = usePriorities(org.id);
  const users = useProjectUsers(org.id, project.projectKey);
  const categories = useCategories(org.id, project.projectKey);
  const versions = useVersions(org.id, project.projectKey);
  const [values, setValues] = useState<IssueFormValues>(() => valuesOf(issue));
  const set = (field: keyof IssueFormValues) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const typeId = values.issueTypeId || String(types.data?.[0]?.id ?? '');
  const priorityId = values.priorityId || String(priorities.data?.find((p) => p.id === 3)?.id ?? priorities.data?.[1]?.id ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ ...values, issueTypeId: typeId, priorityId });
  };
  const none = { value: '', label: t('issues.none') };

  return (
    <form className="form" onSubmit={submit} data-testid="issue-form">
      <TextField label={t('issues.summary')} value={values.summary} onValue={set('summary')} required maxLength={255} data-testid="issue-summary" />
      <div className="form-inline">
        <SelectField label={t('issues.type')} value={typeId} onValue={set('issueTypeId')} data-testid="issue-type" options={(types.data ?? []).map((x) => ({ value: String(x.id), label: x.name }))} />
        <SelectField label={t('issues.priority')} value={priorityId} onValue={set('priorityId')} data-testid="issue-priority" options={(priorities.data ?? []).map((x) => ({ value: String(x.id), label: x.name }))} />
        <SelectField
          label={t('issues.assignee')}
          value={values.assigneeId}
          onValue={set('assigneeId')}
          data-testid="issue-assignee"
          options={[none, ...(users.data ?? []).map((u) => ({ value: String(u.id), label: u.name }))]}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="issue-description">
          {t('issues.description')}
        </label>
        <textarea id="issue-description" className="input" rows={8} value={values.description} onChange={(e) => set('description')(e.target.value)} data-testid="issue-description" />
      </div>
      <div className="form-inline">
        <TextField label={t('issues.startDate')} type="date" value={values.startDate} onValue={set('startDate')} data-testid="issue-start-date" />
        <TextField label={t('issues.dueDate')} type="date" value={values.dueDate} onValue={set('dueDate')} data-testid="issue-due-date" />
        <SelectField
          label={t('issues.category')}
          value={values.categoryId}
          onValue={set('categoryId')}
          data-testid="issue-category"
          options={[none, ...(categories.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))]}
        />
        <SelectField
          label={t('issues.milestone')}
          value={values.milestoneId}
          onValue={set('milestoneId')}
          data-testid="issue-milestone"
          options={[none, ...(versions.data ?? []).filter((v) => !v.archived).map((v) => ({ value: String(v.id), label: v.name }))]}
        />
      </div>
      <ErrorAlert error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending || !typeId || !priorityId} data-testid="issue-submit">
          {pending ? t('common.saving') : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
