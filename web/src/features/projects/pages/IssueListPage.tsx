import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { formatDate, formatNumber } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useIssues, useIssueTypes, useProjectUsers, useStatuses, type IssueQuery } from '../api';
import { StatusBadge } from '../components/StatusBadge';
import { useCurrentProject } from '../project-context';
import { ISSUE_PAGE_SIZE } from '../types';

const SORTS = ['updated', 'created', 'summary', 'status', 'priority', 'issueType', 'assignee', 'dueDate'] as const;
/** "Not closed": every status but the last one (Backlog's "Closed" is the last in the default order). */
const OPEN = 'open';

export function IssueListPage() {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const statuses = useStatuses(org.id, project.projectKey);
  const types = useIssueTypes(org.id, project.projectKey);
  const users = useProjectUsers(org.id, project.projectKey);
  useDocumentTitle(`${t('projects.tab.issues')} · ${project.name}`);

  const [status, setStatus] = useState('');
  const [assignee, setAssignee] = useState('');
  const [type, setType] = useState('');
  const [keywordInput, setKeywordInput] = useState('');
  const [keyword, setKeyword] = useState('');
  const [sort, setSort] = useState<(typeof SORTS)[number]>('updated');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [offset, setOffset] = useState(0);

  const statusList = statuses.data ?? [];
  const statusIds = status === OPEN ? statusList.slice(0, -1).map((s) => s.id) : status ? [Number(status)] : undefined;
  const query: IssueQuery = {
    statusId: statusIds,
    assigneeId: assignee ? [Number(assignee)] : undefined,
    issueTypeId: type ? [Number(type)] : undefined,
    keyword,
    sort,
    order,
    offset,
  };
  const issues = useIssues(org.id, project.id, query);
  const reset = <T,>(set: (v: T) => void) => (value: T) => {
    set(value);
    setOffset(0);
  };
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setKeyword(keywordInput.trim());
    setOffset(0);
  };
  const total = issues.data?.total ?? 0;

  return (
    <section className="page-section" aria-labelledby="issues-heading">
      <h2 id="issues-heading" className="sr-only">
        {t('projects.tab.issues')}
      </h2>
      <form className="filter-grid" onSubmit={onSearch} data-testid="issue-filters" aria-label={t('issues.filters')}>
        <SelectField
          label={t('issues.status')}
          value={status}
          onValue={reset(setStatus)}
          data-testid="filter-status"
          options={[{ value: '', label: t('issues.any') }, { value: OPEN, label: t('issues.notClosed') }, ...statusList.map((s) => ({ value: String(s.id), label: s.name }))]}
        />
        <SelectField
          label={t('issues.assignee')}
          value={assignee}
          onValue={reset(setAssignee)}
          data-testid="filter-assignee"
          options={[{ value: '', label: t('issues.any') }, ...(users.data ?? []).map((u) => ({ value: String(u.id), label: u.name }))]}
        />
        <SelectField
          label={t('issues.type')}
          value={type}
          onValue={reset(setType)}
          data-testid="filter-type"
          options={[{ value: '', label: t('issues.any') }, ...(types.data ?? []).map((x) => ({ value: String(x.id), label: x.name }))]}
        />
        <TextField label={t('issues.keyword')} type="search" value={keywordInput} onValue={setKeywordInput} data-testid="filter-keyword" />
        <SelectField
          label={t('issues.sort')}
          value={sort}
          onValue={(v) => reset(setSort)(v as (typeof SORTS)[number])}
          data-testid="issue-sort"
          options={SORTS.map((s) => ({ value: s, label: t(`issues.sort.${s}`) }))}
        />
        <SelectField
          label={t('issues.order')}
          value={order}
          onValue={(v) => reset(setOrder)(v as 'asc' | 'desc')}
          data-testid="issue-order"
          options={[
            { value: 'desc', label: t('issues.order.desc') },
            { value: 'asc', label: t('issues.order.asc') },
          ]}
        />
        <div className="form-inline-action">
          <button type="submit" className="btn" data-testid="issue-search">
            {t('issues.search')}
          </button>
        </div>
      </form>
      {issues.isPending ? <Spinner /> : null}
      <ErrorAlert error={issues.error} />
      {issues.data && issues.data.items.length === 0 ? (
        <EmptyState title={t('issues.empty')}>
          <p>
            <Link href={`/orgs/${org.id}/projects/${project.projectKey}/issues/new`}>{t('projects.tab.addIssue')}</Link>
          </p>
        </EmptyState>
      ) : null}
      {issues.data && issues.data.items.length > 0 ? (
        <>
          <p className="muted small" data-testid="issue-count" aria-live="polite">
            {t('issues.range', { from: formatNumber(offset + 1, locale), to: formatNumber(offset + issues.data.items.length, locale), total: formatNumber(total, locale) })}
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="issue-table">
              <thead>
                <tr>
                  <th scope="col">{t('issues.key')}</th>
                  <th scope="col">{t('issues.type')}</th>
                  <th scope="col">{t('issues.summary')}</th>
                  <th scope="col">{t('issues.assignee')}</th>
                  <th scope="col">{t('issues.status')}</th>
                  <th scope="col">{t('issues.priority')}</th>
                  <th scope="col">{t('issues.dueDate')}</th>
                  <th scope="col">{t('issues.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {issues.data.items.map((issue) => (
                  <tr key={issue.id} data-testid={`issue-row-${issue.issueKey}`}>
                    <td className="nowrap">
                      <Link href={`/orgs/${org.id}/projects/${project.projectKey}/issues/${issue.issueKey}`}>{issue.issueKey}</Link>
                    </td>
                    <td>{issue.issueType.name}</td>
                    <td>
                      <Link href={`/orgs/${org.id}/projects/${project.projectKey}/issues/${issue.issueKey}`}>{issue.summary}</Link>
                    </td>
                    <td>{issue.assignee?.name ?? '—'}</td>
                    <td>
                      <StatusBadge status={issue.status} />
                    </td>
                    <td>{issue.priority.name}</td>
                    <td className="nowrap">{issue.dueDate ? formatDate(issue.dueDate, locale) : '—'}</td>
                    <td className="nowrap">{formatDate(issue.updated, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="button-row" data-testid="issue-paging">
            <button type="button" className="btn btn-sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - ISSUE_PAGE_SIZE))} data-testid="issues-prev">
              {t('issues.prev')}
            </button>
            <button
              type="button"
              className="btn btn-sm"
              disabled={offset + ISSUE_PAGE_SIZE >= total}
              onClick={() => setOffset(offset + ISSUE_PAGE_SIZE)}
              data-testid="issues-next"
            >
              {t('issues.next')}
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
