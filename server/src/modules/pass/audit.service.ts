import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AuditEntry, AuditSink } from '../../kernel/audit';
import { DAY, type Clock } from '../../kernel/clock';
import { newId } from '../../kernel/crypto';
import { badRequest } from '../../kernel/errors';
import { canonicalJson, categoryOf, hashEntry, personalDigest, type ChainedActor, type ChainedFields, type ChainedSubject, type ExportAnchor } from './audit-chain';
import type { AuditEventRow } from './audit.db';
import { csvHeader, exportCsvLine, exportJsonLine, presentAuditEvent, presentAuditRecord } from './audit.presenter';
import type { AuditRepository, AuditSearch } from './audit.repository';

/** W4.6: audit entries are kept 400 days (the 13-month promise), then purged. */
export const AUDIT_RETENTION_DAYS = 400;
export const PLATFORM_CHAIN = 'platform';

export const chainKeyOf = (orgId: string | null | undefined): string => orgId ?? PLATFORM_CHAIN;

export interface AuditDeps {
  readonly repo: AuditRepository;
  readonly clock: Clock;
}

/** The kernel's audit sink, on the audit store: every entry joins its org's (or the platform's) chain. */
export function createAuditWriter(deps: AuditDeps): AuditSink {
  return {
    async record(entry: AuditEntry) {
      await appendEntry(deps, entry);
    },
    async list(filter) {
      const rows = await deps.repo.list({
        ...(filter.orgId !== undefined ? { chainKey: chainKeyOf(filter.orgId) } : {}),
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.target ? { target: filter.target } : {}),
        limit: filter.limit ?? 100,
      });
      return rows.map(presentAuditRecord);
    },
  };
}

export async function appendEntry(deps: AuditDeps, entry: AuditEntry): Promise<AuditEventRow> {
  const orgId = entry.orgId ?? null;
  const chainKey = chainKeyOf(orgId);
  await deps.repo.ensureChain(chainKey, orgId, deps.clock.now().toISOString());
  // Round-trip through canonical JSON so the stored details are exactly the hashed ones.
  const details = entry.details ? (JSON.parse(canonicalJson(entry.details)) as Record<string, unknown>) : null;
  return deps.repo.append(chainKey, (seq, prevHash) => {
    // Time is read under the chain lock, so `at` never goes backwards along a chain.
    const fields: ChainedFields = {
      id: newId(),
      orgId,
      seq,
      at: deps.clock.now().toISOString(),
      product: entry.product ?? 'platform',
      category: categoryOf(entry.action),
      action: entry.action,
      outcome: entry.outcome,
      actor: chainedActor(entry.actor),
      ip: entry.ip ?? null,
      userAgent: entry.userAgent ?? null,
      target: entry.target ?? null,
      subject: chainedSubject(entry.subjectEmail ?? null),
      requestId: entry.requestId ?? null,
      details,
      prevHash,
    };
    return {
      id: fields.id,
      chain_key: chainKey,
      seq,
      org_id: orgId,
      at: fields.at,
      product: fields.product,
      category: fields.category,
      action: fields.action,
      outcome: fields.outcome,
      actor_type: fields.actor.type,
      actor_id: fields.actor.id,
      actor_name: fields.actor.name,
      actor_email: fields.actor.email,
      actor_salt: fields.actor.salt,
      actor_digest: fields.actor.digest,
      subject_email: fields.subject?.email ?? null,
      subject_salt: fields.subject?.salt ?? null,
      subject_digest: fields.subject?.digest ?? null,
      target_type: fields.target?.type ?? null,
      target_id: fields.target?.id ?? null,
      ip: fields.ip,
      user_agent: fields.userAgent,
      request_id: fields.requestId,
      details: details ? canonicalJson(details) : null,
      prev_hash: prevHash,
      hash: hashEntry(fields),
    };
  });
}

const newSalt = () => randomBytes(16).toString('hex');

function chainedActor(actor: AuditEntry['actor']): ChainedActor {
  const name = actor.name ?? null;
  const email = actor.email ?? null;
  const salt = name === null && email === null ? null : newSalt();
  return { type: actor.type, id: actor.id ?? null, name, email, salt, digest: salt === null ? null : personalDigest(name, email, salt) };
}

function chainedSubject(email: string | null): ChainedSubject | null {
  if (email === null) return null;
  const salt = newSalt();
  return { email, salt, digest: personalDigest(null, email, salt) ?? '' };
}

/**
 * W4.4: a deleted account's name and email leave every audit entry it acted in or was the subject
 * of; the entries stay, as a "deleted user", and the chain still verifies (it covers only digests).
 */
export async function erasePersonalData(deps: AuditDeps, accountId: string, email: string | null): Promise<number> {
  return deps.repo.erasePersonalData(accountId, email?.toLowerCase() ?? null);
}

const encodeCursor = (row: { at: string; id: string }) => Buffer.from(JSON.stringify([row.at, row.id])).toString('base64url');

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { at: value[0], id: value[1] };
  } catch {
    // fall through to the error below
  }
  throw badRequest('audit.invalid_cursor', 'The cursor is not valid. Start again without it.');
}

export async function searchAudit(deps: AuditDeps, orgId: string, query: Omit<AuditSearch, 'chainKey' | 'after'> & { cursor?: string | undefined }) {
  const { cursor, ...filters } = query;
  const rows = await deps.repo.search({
    ...filters,
    chainKey: chainKeyOf(orgId),
    after: cursor ? decodeCursor(cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(presentAuditEvent), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

/**
 * Streams the org's chain between `from` and `to` page by page, so exports of any size use bounded
 * memory. JSON Lines starts with the anchor the first entry links to, so the file verifies alone.
 */
export async function exportAudit(deps: AuditDeps, orgId: string, options: { format: 'csv' | 'jsonl'; from?: string | undefined; to?: string | undefined }): Promise<Readable> {
  const chainKey = chainKeyOf(orgId);
  const range = await deps.repo.seqRange(chainKey, options.from, options.to);
  const anchor = range ? await anchorBefore(deps, chainKey, orgId, range.first) : null;
  const repo = deps.repo;
  async function* lines(): AsyncGenerator<string> {
    if (options.format === 'csv') yield csvHeader();
    else if (anchor) yield `${JSON.stringify(anchor)}\n`;
    if (!range) return;
    let after = range.first - 1;
    for (;;) {
      const rows = await repo.pageBySeq(chainKey, after, range.last, 500);
      for (const row of rows) yield options.format === 'csv' ? exportCsvLine(row) : exportJsonLine(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < 500) return;
      after = Number(last.seq);
    }
  }
  return Readable.from(lines());
}

async function anchorBefore(deps: AuditDeps, chainKey: string, orgId: string, firstSeq: number): Promise<ExportAnchor | null> {
  const previous = await deps.repo.findBySeq(chainKey, firstSeq - 1);
  if (previous) return { anchor: { orgId, seq: Number(previous.seq), hash: previous.hash } };
  const chain = await deps.repo.findChain(chainKey);
  if (chain && Number(chain.anchor_seq) === firstSeq - 1) return { anchor: { orgId, seq: Number(chain.anchor_seq), hash: chain.anchor_hash } };
  return null;
}

/** W4.6 retention: purges each chain's entries older than 400 days and audits the purge in that chain. */
export async function purgeExpiredAudit(deps: AuditDeps, now: Date): Promise<{ chains: number; purged: number }> {
  const cutoff = new Date(now.getTime() - AUDIT_RETENTION_DAYS * DAY).toISOString();
  let chains = 0;
  let purged = 0;
  for (const chain of await deps.repo.listChains()) {
    const result = await deps.repo.purgeBefore(chain.chain_key, cutoff, now.toISOString());
    if (!result) continue;
    chains += 1;
    purged += result.purged;
    await appendEntry(deps, {
      orgId: chain.org_id,
      action: 'audit.purged',
      outcome: 'success',
      actor: { type: 'system', name: 'retention' },
      details: { purged: result.purged, throughSeq: result.anchorSeq, cutoff, retentionDays: AUDIT_RETENTION_DAYS },
    });
  }
  return { chains, purged };
}
