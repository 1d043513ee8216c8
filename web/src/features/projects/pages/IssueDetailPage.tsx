import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { NotFound } from '../../../app/shell/NotFound';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { SelectField } from '../../../components/Field';
import { isApiError } from '../../../lib/api';
import { formatDate, formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { projectKeys, useAddComment, useComments, useIssue, useResolutions, useStatuses, useUpdateIssue } from '../api';
import { IssueForm, issueParams } from '../components/IssueForm';
import { IssueSharedFiles } from '../components/IssueSharedFiles';
import { StarToggle, WatchToggle } from '../components/SocialToggles';
import { StatusBadge } from '../components/StatusBadge';
import { useCurrentProject } from '../project-context';
import type { Comment, Issue } from '../types';

function ChangeStatusForm({ issue }: { issue: Issue }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const statuses = useStatuses(org.id, project.projectKey);
  const resolutions = useResolutions(org.id);
  const update = useUpdateIssue(org.id, issue.issueKey);
  const [statusId, setStatusId] = useState(String(issue.status.id));
  const [resolutionId, setResolutionId] = useState(issue.resolution ? String(issue.resolution.id) : '');
  const [comment, setComment] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { statusId: Number(statusId), resolutionId: resolutionId ? Number(resolutionId) : null, comment: comment.trim() || undefined },
      { onSuccess: () => setComment('') },
    );
  };
  return (
    <form className="form card card-body-padded" onSubmit={submit} data-testid="change-status-form" aria-label={t('issues.changeStatus')}>
      <div className="form-inline">
        <SelectField
          label={t('issues.status')}
          value={statusId}
          onValue={setStatusId}
          data-testid="change-status"
          options={(statuses.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
        />
        <SelectField
          label={t('issues.resolution')}
          value={resolutionId}
          onValue={setResolutionId}
          data-testid="change-resolution"
          options={[{ value: '', label: t('issues.none') }, ...(resolutions.data ?? []).map((r) => ({ value: String(r.id), label: r.name }))]}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="status-comment">
          {t('issues.commentOptional')}
        </label>
        <textarea id="status-comment" className="input" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <ErrorAlert error={update.error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending} data-testid="change-status-submit">
          {update.isPending ? t('common.saving') : t('issues.changeStatus')}
        </button>
      </div>
    </form>
  );
}

function ChangeLogList({ comment }: { comment: Comment }) {
  const t = useT();
  if (comment.changeLog.length === 0) return null;
  return (
    <ul className="simple-list change-log" data-testid="change-log">
      {comment.changeLog.map((change, i) => (
        <li key={i}>
          <span className="strong">{t('issues.changed', { field: change.field })}</span> {change.originalValue || '—'} → {change.newValue || '—'}
        </li>
      ))}
    </ul>
  );
}

function Comments({ issue }: { issue: Issue }) {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const comments = useComments(org.id, issue.issueKey);
  const add = useAddComment(org.id, issue.issueKey);
  const [content, setContent] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(content, { onSuccess: () => setContent('') });
  };
  return (
    <section className="page-section" aria-labelledby="comments-heading">
      <h2 id="comments-heading" className="section-title">
        {t('issues.comments')}
      </h2>
      {comments.isPending ? <Spinner /> : null}
      <ErrorAlert error={comments.error} />
      <ol className="row-list" data-testid="comments">
        {(comments.data ?? []).map((comment) => (
          <li key={comment.id} id={`comment-${comment.id}`} className="row-item" data-testid="comment">
            <div className="row-main">
              <p className="row-meta">
                <span className="strong">{comment.createdUser.name}</span> · {formatDateTime(comment.created, locale)}
              </p>
              <ChangeLogList comment={comment} />
              {comment.content ? <p className="pre-wrap">{comment.content}</p> : null}
            </div>
          </li>
        ))}
      </ol>
      {comments.data && comments.data.length === 0 ? <p className="muted">{t('issues.noComments')}</p> : null}
      <form className="form" onSubmit={submit} data-testid="comment-form">
        <div className="field">
          <label className="field-label" htmlFor="new-comment">
            {t('issues.addComment')}
          </label>
          <textarea id="new-comment" className="input" rows={4} value={content} onChange={(e) => setContent(e.target.value)} required data-testid="comment-input" />
        </div>
        <ErrorAlert error={add.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={add.isPending || !content.trim()} data-testid="comment-submit">
            {add.isPending ? t('common.saving') : t('issues.postComment')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function IssueDetailPage({ issueKey }: { issueKey: string }) {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const issue = useIssue(org.id, issueKey);
  const update = useUpdateIssue(org.id, issueKey);
  const [editing, setEditing] = useState(false);
  useDocumentTitle(issue.data ? `${issue.data.issueKey} ${issue.data.summary}` : issueKey);
  if (issue.isPending) return <Spinner />;
  if (issue.error) return isApiError(issue.error) && issue.error.status === 404 ? <NotFound /> : <ErrorAlert error={issue.error} />;
  const data = issue.data;
  const fields: [string, string][] = [
    [t('issues.type'), data.issueType.name],
    [t('issues.priority'), data.priority.name],
    [t('issues.assignee'), data.assignee?.name ?? '—'],
    [t('issues.resolution'), data.resolution?.name ?? '—'],
    [t('issues.category'), data.category.map((c) => c.name).join(', ') || '—'],
    [t('issues.milestone'), data.milestone.map((m) => m.name).join(', ') || '—'],
    [t('issues.startDate'), data.startDate ? formatDate(data.startDate, locale) : '—'],
    [t('issues.dueDate'), data.dueDate ? formatDate(data.dueDate, locale) : '—'],
    [t('issues.createdBy'), `${data.createdUser.name} · ${formatDateTime(data.created, locale)}`],
    [t('issues.updated'), formatDateTime(data.updated, locale)],
  ];
  return (
    <article className="page-section issue-detail" data-testid="issue-detail">
      <p className="breadcrumb">
        <Link href={`/orgs/${org.id}/projects/${project.projectKey}`}>{t('projects.tab.issues')}</Link>
      </p>
      <h2 className="page-title title-with-badge">
        <span className="mono-id" data-testid="issue-key">
          {data.issueKey}
        </span>{' '}
        <span data-testid="issue-title">{data.summary}</span> <StatusBadge status={data.status} />
      </h2>
      {editing ? (
        <IssueForm
          issue={data}
          pending={update.isPending}
          error={update.error}
          submitLabel={t('common.save')}
          onCancel={() => setEditing(false)}
          onSubmit={(values) => update.mutate(issueParams(values, true), { onSuccess: () => setEditing(false) })}
        />
      ) : (
        <>
          <div className="button-row">
            <button type="button" className="btn" onClick={() => setEditing(true)} data-testid="issue-edit">
              {t('issues.edit')}
            </button>
            <StarToggle target={{ issueId: data.id }} stars={data.stars} refresh={projectKeys.issue(org.id, data.issueKey)} />
            <WatchToggle issueId={data.id} issueKey={data.issueKey} />
          </div>
          <dl className="issue-fields" data-testid="issue-fields">
            {fields.map(([label, value]) => (
              <div key={label} className="issue-field">
                <dt className="muted small">{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <div className="card card-body-padded pre-wrap" data-testid="issue-description-view">
            {data.description || <span className="muted">{t('issues.noDescription')}</span>}
          </div>
          <IssueSharedFiles issue={data} />
          <ChangeStatusForm key={`${data.status.id}-${data.updated}`} issue={data} />
        </>
      )}
      <Comments issue={data} />
    </article>
  );
}
