import { useState, type FormEvent } from 'react';
import { useSearch } from 'wouter';
import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Badge, EmptyState, PageHeader, Section, Spinner } from '../../../components/Feedback';
import { CheckboxField, SelectField, TextField } from '../../../components/Field';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { SsoMappingForm } from '../components/SsoMappingForm';
import { useCreateSsoConnection, useSetSsoEnforcement, useSso, useTestSsoConnection, useUpdateSsoConnection, type SsoConnection } from '../sso-api';

function AddConnectionForm({ orgId }: { orgId: string }) {
  const t = useT();
  const create = useCreateSsoConnection(orgId);
  const [protocol, setProtocol] = useState<'saml' | 'oidc'>('saml');
  const [name, setName] = useState('');
  const [metadataXml, setMetadataXml] = useState('');
  const [metadataUrl, setMetadataUrl] = useState('');
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  // The API's defaults (issue 13 §6): no JIT, no IdP-initiated sign-in, no single logout until chosen.
  const [jit, setJit] = useState(false);
  const [allowIdpInitiated, setAllowIdpInitiated] = useState(false);
  const [sloEnabled, setSloEnabled] = useState(false);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body =
      protocol === 'saml'
        ? { protocol, name, jit, allowIdpInitiated, sloEnabled, ...(metadataXml ? { metadataXml } : { metadataUrl }) }
        : { protocol, name, jit, issuer, clientId, clientSecret };
    create.mutate(body, { onSuccess: () => setName('') });
  };
  return (
    <form className="form" onSubmit={onSubmit} data-testid="sso-add-form">
      <SelectField
        label={t('sso.protocol')}
        value={protocol}
        onValue={(v) => setProtocol(v === 'oidc' ? 'oidc' : 'saml')}
        options={[{ value: 'saml', label: 'SAML 2.0' }, { value: 'oidc', label: 'OpenID Connect' }]}
        data-testid="sso-protocol"
      />
      <TextField label={t('sso.name')} value={name} onValue={setName} required maxLength={100} data-testid="sso-name" />
      {protocol === 'saml' ? (
        <>
          <TextField label={t('sso.metadataUrl')} hint={t('sso.metadataUrlHint')} value={metadataUrl} onValue={setMetadataUrl} type="url" data-testid="sso-metadata-url" />
          <label className="field">
            <span className="field-label">{t('sso.metadataXml')}</span>
            <textarea className="input" rows={5} value={metadataXml} onChange={(e) => setMetadataXml(e.target.value)} data-testid="sso-metadata-xml" />
          </label>
          <CheckboxField label={t('sso.allowIdpInitiated')} hint={t('sso.allowIdpInitiatedHint')} checked={allowIdpInitiated} onChecked={setAllowIdpInitiated} />
          <CheckboxField label={t('sso.slo')} hint={t('sso.sloHint')} checked={sloEnabled} onChecked={setSloEnabled} />
        </>
      ) : (
        <>
          <TextField label={t('sso.issuer')} value={issuer} onValue={setIssuer} type="url" required data-testid="sso-issuer" />
          <TextField label={t('sso.clientId')} value={clientId} onValue={setClientId} required data-testid="sso-client-id" />
          <TextField label={t('sso.clientSecret')} value={clientSecret} onValue={setClientSecret} type="password" required autoComplete="off" data-testid="sso-client-secret" />
        </>
      )}
      <CheckboxField label={t('sso.jit')} hint={t('sso.jitHint')} checked={jit} onChecked={setJit} />
      <ErrorAlert error={create.error} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid="sso-add">
          {t('sso.add')}
        </button>
      </div>
    </form>
  );
}

function Copyable({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="secret-row">
      <span className="muted small">{label}</span>
      <code data-testid={testId}>{value}</code>
      <CopyButton text={value} />
    </div>
  );
}

function ConnectionCard({ orgId, conn }: { orgId: string; conn: SsoConnection }) {
  const t = useT();
  const test = useTestSsoConnection(orgId);
  const update = useUpdateSsoConnection(orgId);
  const runTest = () => test.mutate(conn.id, { onSuccess: ({ url }) => window.open(url, '_blank', 'noopener') });
  return (
    <Section title={conn.name} description={conn.protocol === 'saml' ? 'SAML 2.0' : 'OpenID Connect'} headingLevel={3}>
      <div data-testid={`sso-connection-${conn.name}`}>
        {conn.saml ? (
          <>
            <Copyable label={t('sso.spEntityId')} value={conn.saml.spEntityId} testId="sso-sp-entity-id" />
            <Copyable label={t('sso.acsUrl')} value={conn.saml.acsUrl} testId="sso-acs-url" />
            {conn.saml.sloEnabled ? <Copyable label={t('sso.sloUrl')} value={conn.saml.sloUrl} testId="sso-slo-url" /> : null}
            <p className="muted small">
              {t('sso.idp')}: {conn.saml.idpEntityId} · {conn.saml.certificates.map((c) => c.sha256.slice(0, 23)).join(', ')}
            </p>
            {conn.saml.metadataUrl ? (
              <p className="muted small" data-testid="sso-metadata-status">
                {t('sso.metadataFetched', { url: conn.saml.metadataUrl, at: conn.saml.metadataFetchedAt ?? '-' })}
              </p>
            ) : null}
            {conn.saml.metadataError ? <Notice tone="warning">{t('sso.metadataError', { error: conn.saml.metadataError })}</Notice> : null}
            <CheckboxField
              label={t('sso.allowIdpInitiated')}
              hint={t('sso.allowIdpInitiatedHint')}
              checked={conn.saml.allowIdpInitiated}
              onChecked={(allowIdpInitiated) => update.mutate({ id: conn.id, allowIdpInitiated })}
              disabled={update.isPending}
            />
            <CheckboxField
              label={t('sso.slo')}
              hint={conn.saml.idpSloUrl ? t('sso.sloHint') : t('sso.sloNoIdpEndpoint')}
              checked={conn.saml.sloEnabled}
              onChecked={(sloEnabled) => update.mutate({ id: conn.id, sloEnabled })}
              disabled={update.isPending}
            />
          </>
        ) : null}
        {conn.oidc ? (
          <>
            <Copyable label={t('sso.redirectUri')} value={conn.oidc.redirectUri} testId="sso-redirect-uri" />
            <p className="muted small">
              {t('sso.issuer')}: {conn.oidc.issuer} · {t('sso.clientId')}: {conn.oidc.clientId}
            </p>
          </>
        ) : null}
        <CheckboxField label={t('sso.jit')} hint={t('sso.jitHint')} checked={conn.jit} onChecked={(jit) => update.mutate({ id: conn.id, jit })} disabled={update.isPending} />
        <SsoMappingForm mapping={conn.mapping} pending={update.isPending} onSave={(mapping) => update.mutate({ id: conn.id, mapping })} />
        <div className="button-row">
          <button type="button" className="btn" onClick={runTest} disabled={test.isPending} data-testid="sso-test">
            {t('sso.test')}
          </button>
          {conn.lastTest ? (
            <Badge tone={conn.lastTest.ok ? 'success' : 'danger'}>{conn.lastTest.ok ? t('sso.testOk') : t('sso.testFailed')}</Badge>
          ) : (
            <Badge>{t('sso.untested')}</Badge>
          )}
        </div>
        {conn.lastTest ? (
          <pre className="small" data-testid="sso-test-result">
            {JSON.stringify(conn.lastTest.result, null, 2)}
          </pre>
        ) : null}
        <ErrorAlert error={test.error ?? update.error} />
      </div>
    </Section>
  );
}

/** W6.7/W8.3: SAML and OIDC connections, test connection, enforcement with the break-glass check. */
export function SsoPage() {
  const t = useT();
  const org = useCurrentOrg();
  useDocumentTitle(t('sso.title'));
  const sso = useSso(org.id);
  const enforce = useSetSsoEnforcement(org.id);
  const tested = new URLSearchParams(useSearch()).get('test');
  if (!sso.data) return sso.error ? <ErrorAlert error={sso.error} /> : <Spinner />;
  const data = sso.data;
  return (
    <div className="page" data-testid="sso-page">
      <PageHeader title={t('sso.title')} description={t('sso.description', { org: org.name })} />
      {tested ? <Notice tone="success">{t('sso.testFinished')}</Notice> : null}
      <Section title={t('sso.enforcement')} description={t('sso.enforcementBody')}>
        <p data-testid="sso-break-glass">{t('sso.breakGlass', { count: String(data.breakGlassAdmins) })}</p>
        <CheckboxField label={t('sso.enforce')} checked={data.enforced} onChecked={(on) => enforce.mutate(on)} disabled={enforce.isPending} />
        <ErrorAlert error={enforce.error} />
      </Section>
      <Section title={t('sso.connections')}>
        {data.connections.length === 0 ? <EmptyState title={t('sso.empty')} /> : data.connections.map((conn) => <ConnectionCard key={conn.id} orgId={org.id} conn={conn} />)}
      </Section>
      <Section title={t('sso.addTitle')}>
        <AddConnectionForm orgId={org.id} />
      </Section>
    </div>
  );
}
