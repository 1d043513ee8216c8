import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { pathOf, useFolder } from '../files-api';
import { useCurrentProject } from '../project-context';

/** Browse the project's folders and tick files; `onPick` gets the ticked files' ids. */
export function SharedFilePicker({ linked, pending, onPick, onCancel }: { linked: ReadonlySet<number>; pending: boolean; onPick: (ids: number[]) => void; onCancel: () => void }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const [folder, setFolder] = useState<string[]>([]);
  const [picked, setPicked] = useState<Map<number, string>>(new Map());
  const list = useFolder(org.id, project.projectKey, folder);
  const rows = [...(list.data ?? [])].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1));
  const toggle = (id: number, path: string, on: boolean) => {
    const next = new Map(picked);
    if (on) next.set(id, path);
    else next.delete(id);
    setPicked(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onPick([...picked.keys()]);
  };
  return (
    <form className="form card card-body-padded" onSubmit={submit} aria-labelledby="file-picker-heading" data-testid="file-picker">
      <h4 id="file-picker-heading" className="section-title">
        {t('files.pickTitle')}
      </h4>
      <p className="muted small" aria-live="polite">
        {t('files.inFolder', { folder: `/${folder.join('/')}` })}
      </p>
      <div className="button-row">
        {folder.length > 0 ? (
          <button type="button" className="btn btn-sm" onClick={() => setFolder(folder.slice(0, -1))} data-testid="picker-up">
            {t('files.up')}
          </button>
        ) : null}
      </div>
      {list.isPending ? <Spinner /> : null}
      <ErrorAlert error={list.error} />
      <ul className="picker-list" data-testid="picker-list">
        {rows.length === 0 && list.data ? <li className="picker-empty muted">{t('files.empty')}</li> : null}
        {rows.map((file) =>
          file.type === 'directory' ? (
            <li key={file.id} className="picker-item">
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => setFolder([...folder, file.name])} data-testid="picker-folder">
                <span aria-hidden="true">📁 </span>
                {file.name}
              </button>
            </li>
          ) : (
            <li key={file.id} className="picker-item">
              <input
                id={`pick-file-${file.id}`}
                type="checkbox"
                className="checkbox"
                checked={linked.has(file.id) || picked.has(file.id)}
                disabled={linked.has(file.id)}
                onChange={(e) => toggle(file.id, pathOf(file), e.target.checked)}
                data-testid={`picker-file-${file.name}`}
              />
              <label htmlFor={`pick-file-${file.id}`}>
                <span className="picker-name">{file.name}</span>
                {linked.has(file.id) ? <span className="picker-email">{t('files.alreadyLinked')}</span> : null}
              </label>
            </li>
          ),
        )}
      </ul>
      {picked.size > 0 ? <p className="small">{t('files.picked', { files: [...picked.values()].join(', ') })}</p> : null}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={picked.size === 0 || pending} data-testid="picker-link">
          {t('files.linkPicked')}
        </button>
      </div>
    </form>
  );
}
