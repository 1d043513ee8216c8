import { useRef, useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { TextField } from '../../../components/Field';
import { useFileWrite } from '../files-api';
import { useCurrentProject } from '../project-context';

/** Upload one file into the folder shown (multipart, part "file", field "dir"). */
export function UploadForm({ folder }: { folder: readonly string[] }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const write = useFileWrite(org.id, project.projectKey);
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    write.mutate(
      { upload: file, folder },
      {
        onSuccess: () => {
          setFile(null);
          if (input.current) input.current.value = '';
        },
      },
    );
  };
  return (
    <form className="form-inline" onSubmit={submit} data-testid="file-upload-form">
      <div className="field">
        <label className="field-label" htmlFor="shared-file-input">
          {t('files.chooseFile')}
        </label>
        <input id="shared-file-input" ref={input} type="file" className="input" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="file-input" />
      </div>
      <div className="form-inline-action">
        <button type="submit" className="btn btn-primary" disabled={!file || write.isPending} data-testid="file-upload">
          {write.isPending ? t('files.uploading') : t('files.upload')}
        </button>
      </div>
      <ErrorAlert error={write.error} />
    </form>
  );
}

/** Make a folder inside the folder shown. */
export function NewFolderForm({ folder }: { folder: readonly string[] }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const write = useFileWrite(org.id, project.projectKey);
  const [name, setName] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    write.mutate({ mkdir: name.trim(), folder }, { onSuccess: () => setName('') });
  };
  return (
    <form className="form-inline" onSubmit={submit} data-testid="folder-form">
      <TextField label={t('files.folderName')} hint={t('files.folderNameHint')} value={name} onValue={setName} required maxLength={255} pattern={'[^\\/\\\\]+'} data-testid="folder-name" />
      <div className="form-inline-action">
        <button type="submit" className="btn" disabled={write.isPending} data-testid="folder-create">
          {t('files.newFolder')}
        </button>
      </div>
      <ErrorAlert error={write.error} />
    </form>
  );
}
