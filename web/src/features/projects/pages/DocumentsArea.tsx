import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { NotFound } from '../../../app/shell/NotFound';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { SelectField, TextField } from '../../../components/Field';
import { isApiError } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useBacklogWrite } from '../api';
import { backlog } from '../backlog';
import { useCurrentProject } from '../project-context';
import type { BacklogUser } from '../types';

interface TreeNode {
  id: string;
  name?: string;
  emoji?: string | null;
  children: TreeNode[];
}

interface BacklogDocument {
  id: string;
  title: string;
  plain: string;
  emoji: string | null;
  createdUser: BacklogUser;
  updatedUser: BacklogUser | null;
  updated: string;
}

const docKeys = (orgId: string) => ['org', orgId, 'documents'] as const;

function useTree(orgId: string, projectKey: string) {
  return useQuery({
    queryKey: [...docKeys(orgId), 'tree', projectKey],
    queryFn: () => backlog.get<{ activeTree?: { children: TreeNode[] } }>(orgId, '/documents/tree', { projectIdOrKey: projectKey }),
    retry: false,
  });
}

const flatten = (nodes: TreeNode[], depth = 0): { node: TreeNode; depth: number }[] =>
  nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);

function TreeList({ nodes, base }: { nodes: TreeNode[]; base: string }) {
  return (
    <ul className="wiki-tree" data-testid="document-tree">
      {nodes.map((node) => (
        <li key={node.id}>
          <Link href={`${base}/${node.id}`} data-testid="document-link">
            {node.emoji ? `${node.emoji} ` : ''}
            {node.name || '—'}
          </Link>
          {node.children.length > 0 ? <TreeList nodes={node.children} base={base} /> : null}
        </li>
      ))}
    </ul>
  );
}

function NewDocument({ base, nodes }: { base: string; nodes: TreeNode[] }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const [, navigate] = useLocation();
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [parentId, setParentId] = useState('');
  const add = useBacklogWrite(
    org.id,
    () => backlog.post<BacklogDocument>(org.id, '/documents', { projectId: project.id, title: title.trim(), content, parentId: parentId || undefined, addLast: true }),
    () => [[...docKeys(org.id)]],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(undefined, { onSuccess: (doc) => navigate(`${base}/${doc.id}`) });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="document-form">
      <TextField label={t('documents.title')} value={title} onValue={setTitle} required maxLength={255} data-testid="document-title-input" />
      <SelectField
        label={t('documents.parent')}
        value={parentId}
        onValue={setParentId}
        options={[{ value: '', label: t('documents.top') }, ...flatten(nodes).map(({ node, depth }) => ({ value: node.id, label: `${'— '.repeat(depth)}${node.name ?? node.id}` }))]}
      />
      <div className="field">
        <label className="field-label" htmlFor="document-content">
          {t('documents.content')}
        </label>
        <textarea id="document-content" className="input" rows={10} value={content} onChange={(e) => setContent(e.target.value)} data-testid="document-content" />
      </div>
      <ErrorAlert error={add.error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending} data-testid="document-save">
          {add.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

function DocumentPage({ base, id }: { base: string; id: string }) {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const [, navigate] = useLocation();
  const doc = useQuery({ queryKey: [...docKeys(org.id), 'one', id], queryFn: () => backlog.get<BacklogDocument>(org.id, `/documents/${encodeURIComponent(id)}`) });
  const remove = useBacklogWrite(org.id, () => backlog.delete(org.id, `/documents/${encodeURIComponent(id)}`), () => [[...docKeys(org.id)]]);
  useDocumentTitle(doc.data?.title ?? t('projects.tab.documents'));
  if (doc.isPending) return <Spinner />;
  if (doc.error) return isApiError(doc.error) && doc.error.status === 404 ? <NotFound /> : <ErrorAlert error={doc.error} />;
  return (
    <article className="page-section" data-testid="document-page">
      <p className="breadcrumb">
        <Link href={base}>{t('projects.tab.documents')}</Link>
      </p>
      <h2 className="page-title" data-testid="document-title">
        {doc.data.emoji ? `${doc.data.emoji} ` : ''}
        {doc.data.title}
      </h2>
      <p className="muted small">{t('wiki.updatedBy', { name: (doc.data.updatedUser ?? doc.data.createdUser).name, at: formatDateTime(doc.data.updated, locale) })}</p>
      <div className="card card-body-padded pre-wrap" data-testid="document-body">
        {doc.data.plain}
      </div>
      <ErrorAlert error={remove.error} />
      <div className="button-row">
        <button type="button" className="btn btn-sm btn-ghost-danger" disabled={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: () => navigate(base) })} data-testid="document-delete">
          {t('documents.delete')}
        </button>
      </div>
    </article>
  );
}

export function DocumentsArea({ base }: { base: string }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const tree = useTree(org.id, project.projectKey);
  useDocumentTitle(`${t('projects.tab.documents')} · ${project.name}`);
  if (tree.error && isApiError(tree.error) && tree.error.status === 404) return <Notice>{t('documents.unavailable')}</Notice>;
  const nodes = tree.data?.activeTree?.children ?? [];
  return (
    <Switch>
      <Route path={base}>
        <section className="page-section" aria-labelledby="documents-heading" data-testid="documents-index">
          <div className="section-toolbar">
            <h2 id="documents-heading" className="section-title">
              {t('projects.tab.documents')}
            </h2>
            <Link href={`${base}/new`} className="btn btn-primary" data-testid="document-new">
              {t('documents.new')}
            </Link>
          </div>
          {tree.isPending ? <Spinner /> : null}
          <ErrorAlert error={tree.error} />
          {tree.data && nodes.length === 0 ? <EmptyState title={t('documents.empty')} /> : null}
          {nodes.length > 0 ? <TreeList nodes={nodes} base={base} /> : null}
        </section>
      </Route>
      <Route path={`${base}/new`}>
        <section className="page-section" aria-labelledby="document-new-heading">
          <h2 id="document-new-heading" className="section-title">
            {t('documents.new')}
          </h2>
          <NewDocument base={base} nodes={nodes} />
        </section>
      </Route>
      <Route path={`${base}/:id`}>{(params) => <DocumentPage key={params.id} base={base} id={params.id} />}</Route>
    </Switch>
  );
}
