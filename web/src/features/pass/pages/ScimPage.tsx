import { useState, type FormEvent } from 'react';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, PageHeader, Section, Spinner } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateScimToken, useRevokeScimToken, useRotateScimToken, useScimTokens, type IssuedScimToken, type ScimToken } from '../scim-api';

/** The secret, shown once after creation or rotation (only its hash is stored). */
function SecretOnce({ issued, onDone }: { issued: IssuedScimToken; onDone: () => void }) {
  const t = useT();
  return (
    <div className="secret-once" role="status" data-testid="scim-secret">
      <p className="secret-once-title">{t('scim.secretTitle', { label: issued.token.label })}</p>
      <p className="muted small">{t('scim.secretBody')}</p>
      <div className="secret-row">
        <code className="secret" data-testid="scim-secret-value">
          {issued.secret}
        </code>
        <CopyButton text={issued.secret} />
      </div>
      <div className="button-row">
        <button type="button" className="btn btn-sm" onClick={onDone} data-testid="scim-secret-done">
          {t('scim.secretDone')}
        </button>
      </div>
    </div>
  );
}

function CreateTokenForm({ orgId, onIssued }: { orgId: string; onIssued: (issued: IssuedScimToken) => void }) {
  const t = useT();
  const create = useCreateScimToken(orgId);
  const [label, setLabel] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(label, {
      onSuccess: (issued) => {
        setLabel('');
        onIssued(issued);
      },
    });
  };
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="scim-create-form">
      <TextField label={t('scim.labelField')} hint={t('scim.labelHint')} value={label} onValue={setLabel} required maxLength={100} data-testid="scim-label-input" />
      <ErrorAlert error={create.error} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid="scim-create">
          {t('scim.create')}
        </button>
      </div>
    </form>
  );
}

function TokenRow({ token, onRotate, onRevoke }: { token: ScimToken; onRotate: (t: ScimToken) => void; onRevoke: (t: ScimToken) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const live = token.revokedAt === null;
  return (
    <tr data-testid={`scim-token-row-${token.label}`}>
      <td className="strong">{token.label}</td>
      <td>
        <code>…{token.hint}</code>
      </td>
      <td>{formatDateTime(token.rotatedAt ?? token.createdAt, locale)}</td>
      <td data-testid={`scim-token-last-used-${token.label}`}>{token.lastUsedAt ? formatDateTime(token.lastUsedAt, locale) : t('scim.neverUsed')}</td>
      <td>{live ? t('scim.live') : t('scim.revokedAt', { at: formatDateTime(token.revokedAt, locale) })}</td>
      <td className="cell-actions">
        {live ? (
          <>
            <button type="button" className="btn btn-sm" onClick={() => onRotate(token)} data-testid={`scim-rotate-${token.label}`} aria-label={`${t('scim.rotate')} ${token.label}`}>
              {t('scim.rotate')}
            </button>
            <button
              type="button"
              className="btn btn-sm btn-ghost-danger"
              onClick={() => onRevoke(token)}
              data-testid={`scim-revoke-${token.label}`}
              aria-label={`${t('scim.revoke')} ${token.label}`}
            >
              {t('scim.revoke')}
            </button>
          </>
        ) : null}
      </td>
    </tr>
  );
}

/** Issue 4 §5: SCIM provisioning for the org's IdP (Okta, Entra ID) — base URL and bearer tokens. Admins only. */
export function ScimPage() {
  const t = useT();
  const org = useCurrentOrg();
  useDocumentTitle(t('scim.title'));
  const tokens = useScimTokens(org.id);
  const rotate = useRotateScimToken(org.id);
  const revoke = useRevokeScimToken(org.id);
  const [issued, setIssued] = useState<IssuedScimToken | null>(null);
  const [rotating, setRotating] = useState<ScimToken | null>(null);
  const [revoking, setRevoking] = useState<ScimToken | null>(null);

  let list;
  if (tokens.isPending) list = <Spinner />;
  else if (tokens.isError) list = <ErrorAlert error={tokens.error} />;
  else if (tokens.data.tokens.length === 0) list = <EmptyState title={t('scim.empty')} />;
  else
    list = (
      <div className="table-wrap">
        <table className="table" data-testid="scim-tokens-table">
          <caption className="sr-only">{t('scim.tableCaption', { org: org.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('scim.colLabel')}</th>
              <th scope="col">{t('scim.colHint')}</th>
              <th scope="col">{t('scim.colIssued')}</th>
              <th scope="col">{t('scim.colLastUsed')}</th>
              <th scope="col">{t('scim.colStatus')}</th>
              <th scope="col">
                <span className="sr-only">{t('scim.colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.tokens.map((token) => (
              <TokenRow key={token.id} token={token} onRotate={setRotating} onRevoke={setRevoking} />
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <div className="page" data-testid="scim-page">
      <PageHeader title={t('scim.title')} description={t('scim.description', { org: org.name })} />
      {org.myRole !== 'admin' ? (
        <Notice tone="warning">
          <p>{t('error.auth.forbidden')}</p>
        </Notice>
      ) : (
        <>
          <Section title={t('scim.baseUrlTitle')} description={t('scim.baseUrlBody')}>
            {tokens.data ? (
              <div className="secret-row">
                <code data-testid="scim-base-url">{tokens.data.baseUrl}</code>
                <CopyButton text={tokens.data.baseUrl} />
              </div>
            ) : null}
          </Section>
          <Section title={t('scim.tokensTitle')} description={t('scim.tokensBody')}>
            {issued ? <SecretOnce issued={issued} onDone={() => setIssued(null)} /> : null}
            <CreateTokenForm orgId={org.id} onIssued={setIssued} />
            {list}
          </Section>
        </>
      )}
      <ConfirmDialog
        open={rotating !== null}
        title={t('scim.rotateTitle', { label: rotating?.label ?? '' })}
        confirmLabel={t('scim.rotate')}
        pending={rotate.isPending}
        error={rotate.error}
        onCancel={() => setRotating(null)}
        onConfirm={() =>
          rotating &&
          rotate.mutate(rotating.id, {
            onSuccess: (result) => {
              setRotating(null);
              setIssued(result);
            },
          })
        }
      >
        <p>{t('scim.rotateBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={revoking !== null}
        title={t('scim.revokeTitle', { label: revoking?.label ?? '' })}
        confirmLabel={t('scim.revoke')}
        danger
        pending={revoke.isPending}
        error={revoke.error}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
      >
        <p>{t('scim.revokeBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
