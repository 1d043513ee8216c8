import type { Logger } from 'pino';
import { AppError } from '../../../kernel/errors';
import { defineJob, type JobDefinition } from '../../../kernel/jobs';
import type { SsoConnectionRow } from './sso.db';
import { outboundPolicy, ssoRepo, type SsoDeps } from './sso.deps';
import { fetchIdpMetadata, type IdpMetadata } from './sso.metadata';
import { fingerprint } from './sso.schemas';

/**
 * Metadata by URL is fetched again on a schedule (issue 13 §7), so an IdP's certificate rollover
 * reaches Toride before the old certificate stops being used. A changed signing certificate is applied
 * — that is what publishing metadata at a URL means — and never silently: it is audited and mailed to
 * the org's admins, who can tell a planned rollover from a metadata URL that now serves someone else's
 * keys. A failed fetch keeps the last good metadata and records why.
 */
export const METADATA_REFRESH_JOB = 'pass.sso-metadata-refresh';
/** Every six hours: IdPs publish a new certificate days or weeks before they switch to it. */
const SCHEDULE = '23 */6 * * *';

export interface RefreshResult {
  checked: number;
  changed: number;
  certificateChanges: number;
  failed: number;
}

export async function refreshAllMetadata(deps: SsoDeps, logger?: Logger): Promise<RefreshResult> {
  const result: RefreshResult = { checked: 0, changed: 0, certificateChanges: 0, failed: 0 };
  for (const conn of await ssoRepo(deps).listMetadataUrlConnections()) {
    result.checked += 1;
    try {
      const outcome = await refreshConnection(deps, conn);
      if (outcome === 'failed') result.failed += 1;
      if (outcome === 'changed' || outcome === 'certificates') result.changed += 1;
      if (outcome === 'certificates') result.certificateChanges += 1;
    } catch (error) {
      // One broken connection must not stop the others.
      result.failed += 1;
      logger?.error({ err: error, connectionId: conn.id }, 'SSO metadata refresh failed');
    }
  }
  return result;
}

type Outcome = 'unchanged' | 'changed' | 'certificates' | 'failed';

async function refreshConnection(deps: SsoDeps, conn: SsoConnectionRow): Promise<Outcome> {
  const repo = ssoRepo(deps);
  const now = deps.kernel.clock.now().toISOString();
  let metadata: IdpMetadata;
  try {
    ({ metadata } = await fetchIdpMetadata(conn.metadata_url!, outboundPolicy(deps)));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const reason = `${error.code}: ${error.message}`.slice(0, 500);
    await repo.updateConnection(conn.org_id, conn.id, { metadata_error: reason });
    // Once per kind of failure, not every six hours while it lasts.
    if (conn.metadata_error !== reason) await record(deps, conn, 'sso.metadata.refresh_failed', 'failure', { reason: error.code, message: error.message.slice(0, 300) });
    return 'failed';
  }
  const before = { entityId: conn.idp_entity_id, ssoUrl: conn.idp_sso_url, sloUrl: conn.idp_slo_url, certs: JSON.parse(conn.idp_certs ?? '[]') as string[] };
  const oldPrints = new Set(before.certs.map(fingerprint));
  const newPrints = new Set(metadata.certs.map(fingerprint));
  const added = [...newPrints].filter((p) => !oldPrints.has(p));
  const removed = [...oldPrints].filter((p) => !newPrints.has(p));
  const fields = [
    before.entityId !== metadata.entityId && 'entityId',
    before.ssoUrl !== metadata.ssoUrl && 'ssoUrl',
    before.sloUrl !== metadata.sloUrl && 'sloUrl',
    (added.length > 0 || removed.length > 0) && 'certificates',
  ].filter((f): f is string => Boolean(f));
  await repo.updateConnection(conn.org_id, conn.id, {
    idp_entity_id: metadata.entityId,
    idp_sso_url: metadata.ssoUrl,
    idp_slo_url: metadata.sloUrl,
    idp_certs: JSON.stringify(metadata.certs),
    metadata_fetched_at: now,
    metadata_error: null,
    ...(fields.length > 0 ? { updated_at: now } : {}),
  });
  if (fields.length === 0) return 'unchanged';
  if (added.length === 0 && removed.length === 0) {
    await record(deps, conn, 'sso.metadata.refreshed', 'success', { fields });
    return 'changed';
  }
  const details = { fields, added, removed, entityId: metadata.entityId, metadataUrl: conn.metadata_url, alert: true };
  await record(deps, conn, 'sso.metadata.certificate_changed', 'success', details);
  await mailAdmins(deps, conn, added, removed);
  return 'certificates';
}

async function record(deps: SsoDeps, conn: SsoConnectionRow, action: string, outcome: 'success' | 'failure', details: Record<string, unknown>) {
  await deps.kernel.audit.record({
    orgId: conn.org_id,
    action,
    outcome,
    actor: { type: 'system' },
    target: { type: 'sso_connection', id: conn.id },
    details: { connectionName: conn.name, ...details },
  });
}

async function mailAdmins(deps: SsoDeps, conn: SsoConnectionRow, added: string[], removed: string[]) {
  const list = (prints: string[]) => (prints.length > 0 ? prints.map((p) => `  ${p}`).join('\n') : '  -');
  const text =
    `The signing certificate of the SSO connection "${conn.name}" changed in the IdP metadata at ${conn.metadata_url}. Toride now trusts the new set.\n` +
    `If your IdP did not plan a certificate rollover, turn the connection off and check the metadata URL.\n` +
    `Added (SHA-256):\n${list(added)}\nRemoved (SHA-256):\n${list(removed)}\n\n` +
    `SSO 接続「${conn.name}」の IdP メタデータ (${conn.metadata_url}) で署名証明書が変わりました。Toride は新しい証明書を信頼しています。\n` +
    `IdP 側で証明書の更新を予定していなかった場合は、接続を無効にしてメタデータ URL を確認してください。\n`;
  for (const admin of await deps.identity.externalSignIn.listAdmins(conn.org_id)) {
    if (!admin.email) continue;
    await deps.kernel.mailer.send({ to: admin.email, subject: 'Toride: SSO signing certificate changed / SSO 署名証明書の変更', text });
  }
}

export const metadataRefreshJob = (deps: SsoDeps): JobDefinition =>
  defineJob({
    name: METADATA_REFRESH_JOB,
    schedule: SCHEDULE,
    leaseSeconds: 300,
    run: async ({ logger }) => {
      const result = await refreshAllMetadata(deps, logger);
      if (result.changed > 0 || result.failed > 0) logger.info(result, 'SSO metadata refresh');
    },
  });
