import { useState, type FormEvent } from 'react';
import { useLocale, useT } from '../../../app/i18n';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { EmptyState, Section, Spinner } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { formatDateTime } from '../../../lib/format';
import { useDeleteOAuthApp, useOAuthApps, useRegisterOAuthApp, type OAuthApp, type RegisteredOAuthApp } from './space-settings-api';

/** Client id and secret right after registration; the secret is never shown again (only its hash is kept). */
function Credentials({ app, onDone }: { app: RegisteredOAuthApp; onDone: () => void }) {
  const t = useT();
  return (
    <div className="secret-once" role="status" data-testid="oauth-app-secret">
      <p className="secret-once-title">{t('spaceSettings.oauthSecretTitle', { name: app.name })}</p>
      <p className="muted small">{t('spaceSettings.oauthSecretBody')}</p>
      <p className="small strong">{t('spaceSettings.clientId')}</p>
      <div className="secret-row">
        <code className="secret" data-testid="oauth-app-client-id">
          {app.clientId}
        </code>
        <CopyButton text={app.clientId} label={t('spaceSettings.copyClientId')} />
      </div>
      <p className="small strong">{t('spaceSettings.clientSecret')}</p>
      <div className="secret-row">
        <code className="secret" data-testid="oauth-app-client-secret">
          {app.clientSecret}
        </code>
        <CopyButton text={app.clientSecret} label={t('spaceSettings.copyClientSecret')} />
      </div>
      <div className="button-row">
        <button type="button" className="btn btn-sm" onClick={onDone} data-testid="oauth-app-secret-done">
          {t('scim.secretDone')}
        </button>
      </div>
    </div>
  );
}

function RegisterForm({ orgId, onRegistered }: { orgId: string; onRegistered: (app: RegisteredOAuthApp) => void }) {
  const t = useT();
  const register = useRegisterOAuthApp(orgId);
  const [name, setName] = useState('');
  const [redirectUri, setRedirectUri] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate(
      { name: name.trim(), redirectUri: redirectUri.trim() },
      {
        onSuccess: (app) => {
          setName('');
          setRedirectUri('');
          onRegistered(app);
        },
      },
    );
  };
  return (
    <form className="form" onSubmit={onSubmit} data-testid="oauth-app-form">
      <TextField label={t('spaceSettings.appName')} value={name} onValue={setName} required maxLength={100} data-testid="oauth-app-name" />
      <TextField
        label={t('spaceSettings.redirectUri')}
        hint={t('spaceSettings.redirectUriHint')}
        type="url"
        value={redirectUri}
        onValue={setRedirectUri}
        required
        maxLength={2000}
        data-testid="oauth-app-redirect"
      />
      <ErrorAlert error={register.error} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={register.isPending} data-testid="oauth-app-register">
          {t('spaceSettings.registerApp')}
        </button>
      </div>
    </form>
  );
}

/** OAuth 2.0 apps that may act in the org's Backlog-compatible space (Backlog's "Developer" settings). */
export function OAuthAppsSection({ orgId, orgName }: { orgId: string; orgName: string }) {
  const t = useT();
  const { locale } = useLocale();
  const apps = useOAuthApps(orgId);
  const remove = useDeleteOAuthApp(orgId);
  const [registered, setRegistered] = useState<RegisteredOAuthApp | null>(null);
  const [deleting, setDeleting] = useState<OAuthApp | null>(null);

  let list;
  if (apps.isPending) list = <Spinner />;
  else if (apps.isError) list = <ErrorAlert error={apps.error} />;
  else if (apps.data.apps.length === 0) list = <EmptyState title={t('spaceSettings.noApps')} />;
  else
    list = (
      <div className="table-wrap">
        <table className="table" data-testid="oauth-apps-table">
          <caption className="sr-only">{t('spaceSettings.appsCaption', { org: orgName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('spaceSettings.appName')}</th>
              <th scope="col">{t('spaceSettings.clientId')}</th>
              <th scope="col">{t('spaceSettings.redirectUri')}</th>
              <th scope="col">{t('spaceSettings.colCreated')}</th>
              <th scope="col">
                <span className="sr-only">{t('spaceSettings.colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {apps.data.apps.map((app) => (
              <tr key={app.id} data-testid={`oauth-app-row-${app.name}`}>
                <td className="strong">{app.name}</td>
                <td>
                  <code>{app.clientId}</code>
                </td>
                <td>{app.redirectUri}</td>
                <td>{formatDateTime(app.createdAt, locale)}</td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="btn btn-sm btn-ghost-danger"
                    onClick={() => setDeleting(app)}
                    aria-label={`${t('spaceSettings.deleteApp')} ${app.name}`}
                    data-testid={`oauth-app-delete-${app.name}`}
                  >
                    {t('spaceSettings.deleteApp')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <Section title={t('spaceSettings.appsTitle')} description={t('spaceSettings.appsBody')}>
      {registered ? <Credentials app={registered} onDone={() => setRegistered(null)} /> : null}
      <RegisterForm orgId={orgId} onRegistered={setRegistered} />
      {list}
      <ConfirmDialog
        open={deleting !== null}
        title={t('spaceSettings.deleteAppTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('spaceSettings.deleteApp')}
        danger
        pending={remove.isPending}
        error={remove.error}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
      >
        <p>{t('spaceSettings.deleteAppBody')}</p>
      </ConfirmDialog>
    </Section>
  );
}
