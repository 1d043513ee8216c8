import { useState, type FormEvent } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { NotFound } from '../../../app/shell/NotFound';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { isApiError } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { StarToggle } from '../components/SocialToggles';
import { useCurrentProject } from '../project-context';
import type { Wiki, WikiListItem } from '../types';
import { useSaveWiki, useWiki, useWikiHistory, useWikiHtml, useWikis, wikiKeys } from '../wiki-api';

interface TreeNode {
  label: string;
  page?: WikiListItem;
  children: Map<string, TreeNode>;
}

/** Backlog's wiki tree: page names split on "/" ("Guides/Setup" sits under "Guides"). */
function buildTree(pages: WikiListItem[]): TreeNode {
  const root: TreeNode = { label: '', children: new Map() };
  for (const page of [...pages].sort((a, b) => a.name.localeCompare(b.name))) {
    let node = root;
    for (const part of page.name.split('/')) {
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = { label: part, children: new Map() }));
      node = child;
    }
    node.page = page;
  }
  return root;
}

function TreeList({ node, base }: { node: TreeNode; base: string }) {
  return (
    <ul className="wiki-tree">
      {[...node.children.values()].map((child) => (
        <li key={child.label}>
          {child.page ? <Link href={`${base}/${child.page.id}`} data-testid="wiki-tree-link">{child.label}</Link> : <span className="muted">{child.label}</span>}
          {child.children.size > 0 ? <TreeList node={child} base={base} /> : null}
        </li>
      ))}
    </ul>
  );
}

function WikiIndex({ base }: { base: string }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const [keyword, setKeyword] = useState('');
  const [applied, setApplied] = useState('');
  const pages = useWikis(org.id, project.projectKey, applied);
  useDocumentTitle(`${t('projects.tab.wiki')} · ${project.name}`);
  if (pages.error && isApiError(pages.error) && pages.error.status === 404) return <Notice>{t('wiki.unavailable')}</Notice>;
  const search = (event: FormEvent) => {
    event.preventDefault();
    setApplied(keyword.trim());
  };
  return (
    <section className="page-section" aria-labelledby="wiki-heading" data-testid="wiki-index">
      <div className="section-toolbar">
        <h2 id="wiki-heading" className="section-title">
          {t('projects.tab.wiki')}
        </h2>
        <Link href={`${base}/new`} className="btn btn-primary" data-testid="wiki-new">
          {t('wiki.new')}
        </Link>
      </div>
      <form className="form-inline" onSubmit={search} role="search">
        <TextField label={t('issues.keyword')} type="search" value={keyword} onValue={setKeyword} />
        <div className="form-inline-action">
          <button type="submit" className="btn">
            {t('issues.search')}
          </button>
        </div>
      </form>
      {pages.isPending ? <Spinner /> : null}
      <ErrorAlert error={pages.error} />
      {pages.data && pages.data.length === 0 ? <EmptyState title={t('wiki.empty')} /> : null}
      {pages.data && pages.data.length > 0 ? <TreeList node={buildTree(pages.data)} base={base} /> : null}
    </section>
  );
}

function WikiEditor({ base, page, onSaved }: { base: string; page?: Wiki; onSaved?: () => void }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const [, navigate] = useLocation();
  const save = useSaveWiki(org.id);
  const [name, setName] = useState(page?.name ?? '');
  const [content, setContent] = useState(page?.content ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: page?.id, projectId: project.id, name: name.trim(), content }, { onSuccess: (saved) => (onSaved ? onSaved() : navigate(`${base}/${saved.id}`)) });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="wiki-form">
      <TextField label={t('wiki.name')} hint={t('wiki.nameHint')} value={name} onValue={setName} required maxLength={255} data-testid="wiki-name" />
      <div className="field">
        <label className="field-label" htmlFor="wiki-content">
          {t('wiki.content')}
        </label>
        <textarea id="wiki-content" className="input" rows={14} value={content} onChange={(e) => setContent(e.target.value)} data-testid="wiki-content" />
      </div>
      <ErrorAlert error={save.error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="wiki-save">
          {save.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

function WikiPage({ base, id }: { base: string; id: number }) {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const page = useWiki(org.id, id);
  const [mode, setMode] = useState<'view' | 'edit' | 'history'>('view');
  const history = useWikiHistory(org.id, id);
  const html = useWikiHtml(org.id, id, page.data?.updated ?? '');
  useDocumentTitle(page.data?.name ?? t('projects.tab.wiki'));
  if (page.isPending) return <Spinner />;
  if (page.error) return isApiError(page.error) && page.error.status === 404 ? <NotFound /> : <ErrorAlert error={page.error} />;
  return (
    <article className="page-section" data-testid="wiki-page">
      <p className="breadcrumb">
        <Link href={base}>{t('projects.tab.wiki')}</Link>
      </p>
      <h2 className="page-title" data-testid="wiki-title">
        {page.data.name}
      </h2>
      <p className="muted small">
        {t('wiki.updatedBy', { name: (page.data.updatedUser ?? page.data.createdUser).name, at: formatDateTime(page.data.updated, locale) })}
      </p>
      <div className="button-row">
        <button type="button" className="btn btn-sm" aria-pressed={mode === 'edit'} onClick={() => setMode(mode === 'edit' ? 'view' : 'edit')} data-testid="wiki-edit">
          {t('wiki.edit')}
        </button>
        <button type="button" className="btn btn-sm" aria-pressed={mode === 'history'} onClick={() => setMode(mode === 'history' ? 'view' : 'history')} data-testid="wiki-history">
          {t('wiki.history')}
        </button>
        <StarToggle target={{ wikiId: page.data.id }} stars={page.data.stars} refresh={wikiKeys.page(org.id, id)} />
      </div>
      {mode === 'edit' ? <WikiEditor base={base} page={page.data} onSaved={() => setMode('view')} /> : null}
      {mode === 'view' ? (
        html.data ? (
          // Rendered from Markdown and sanitised by the server (wiki.render.ts), never raw user HTML.
          <div className="card card-body-padded wiki-body" data-testid="wiki-body" dangerouslySetInnerHTML={{ __html: html.data.html }} />
        ) : (
          <div className="card card-body-padded pre-wrap" data-testid="wiki-body">
            {page.data.content}
          </div>
        )
      ) : null}
      {mode === 'history' ? (
        <ol className="row-list" data-testid="wiki-history-list">
          {history.isPending ? <Spinner /> : null}
          <ErrorAlert error={history.error} />
          {(history.data ?? []).map((h) => (
            <li key={h.version} className="row-item">
              <div className="row-main">
                <span className="row-title">
                  v{h.version} · {h.name}
                </span>
                <span className="row-meta">
                  {h.createdUser.name} · {formatDateTime(h.created, locale)}
                </span>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </article>
  );
}

export function WikiArea({ base }: { base: string }) {
  const t = useT();
  return (
    <Switch>
      <Route path={base}>
        <WikiIndex base={base} />
      </Route>
      <Route path={`${base}/new`}>
        <section className="page-section" aria-labelledby="wiki-new-heading">
          <h2 id="wiki-new-heading" className="section-title">
            {t('wiki.new')}
          </h2>
          <WikiEditor base={base} />
        </section>
      </Route>
      <Route path={`${base}/:id`}>{(params) => (/^\d+$/.test(params.id) ? <WikiPage key={params.id} base={base} id={Number(params.id)} /> : <NotFound />)}</Route>
    </Switch>
  );
}
