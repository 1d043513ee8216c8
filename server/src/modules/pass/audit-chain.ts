import { createHash } from 'node:crypto';

/**
 * The hash chain, as pure functions shared by the writer, the export and `toride audit verify`.
 * Each entry's hash is SHA-256 over the canonical JSON of its fields plus the previous entry's
 * hash, so editing, deleting or reordering an entry breaks every link after it.
 *
 * The actor's name and email are personal data that must go when the account is deleted (W4.4),
 * while the entry must stay verifiable for 400 days (W4.6). So the chain hashes a salted digest of
 * them, not the values: erasing name, email and salt keeps every link intact, and while they are
 * present, altering either one no longer matches the digest. The per-entry random salt keeps the
 * digest from being reversed by guessing addresses.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields covered by the hash: exactly one JSON Lines export line without `hash`. */
export interface ChainedFields {
  id: string;
  orgId: string | null;
  seq: number;
  at: string;
  product: string;
  category: string;
  action: string;
  outcome: string;
  actor: ChainedActor;
  ip: string | null;
  userAgent: string | null;
  target: { type: string; id: string } | null;
  subject: ChainedSubject | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
  prevHash: string;
}

export interface ChainedActor {
  type: string;
  id: string | null;
  name: string | null;
  email: string | null;
  /** Random per entry; null once the personal fields were erased (or when there were none). */
  salt: string | null;
  /** SHA-256 over name, email and salt; stays after erasure, and is what the chain covers. */
  digest: string | null;
}

/** The email address an event is about (an invitee, a new address), erasable like the actor's. */
export interface ChainedSubject {
  email: string | null;
  salt: string | null;
  digest: string;
}

export type ChainedEntry = ChainedFields & { hash: string };

/** The digest the chain covers instead of the actor's name and email; null when both are absent. */
export function personalDigest(name: string | null, email: string | null, salt: string): string | null {
  if (name === null && email === null) return null;
  return createHash('sha256').update(canonicalJson({ name, email, salt })).digest('hex');
}

/** True when the personal fields were erased after the entry was written. */
export const isErased = (slot: { digest: string | null; salt: string | null }): boolean => slot.digest !== null && slot.salt === null;

/** The personal fields agree with their digests, or were erased (then they must all be gone). */
function personalFieldsIntact({ actor, subject }: ChainedFields): boolean {
  const actorIntact = actor.salt === null ? actor.name === null && actor.email === null : personalDigest(actor.name, actor.email, actor.salt) === actor.digest;
  if (!actorIntact || subject === null) return actorIntact;
  return subject.salt === null ? subject.email === null : personalDigest(null, subject.email, subject.salt) === subject.digest;
}

/** JSON with object keys sorted at every depth: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const hashEntry = (fields: ChainedFields): string => {
  const { type, id, digest } = fields.actor;
  const subject = fields.subject ? { digest: fields.subject.digest } : null;
  return createHash('sha256').update(canonicalJson({ ...fields, actor: { type, id, digest }, subject })).digest('hex');
};

/** `member.updated` → `member`: the category is the action's first segment. */
export const categoryOf = (action: string): string => action.split('.')[0] || 'other';

/** An optional first line of an export: the hash the first exported entry must point to. */
export interface ExportAnchor {
  anchor: { orgId: string | null; seq: number; hash: string };
}

export type VerifyResult =
  | { ok: true; entries: number; firstSeq: number | null; lastSeq: number | null; anchored: boolean }
  | { ok: false; seq: number | null; line: number; reason: 'hash mismatch' | 'prev_hash mismatch' | 'gap' | 'unreadable'; message: string };

const broken = (seq: number | null, line: number, reason: Extract<VerifyResult, { ok: false }>['reason']): VerifyResult => ({
  ok: false,
  seq,
  line,
  reason,
  message: seq === null ? `broken at line ${line}: ${reason}` : `broken at seq ${seq}: ${reason}`,
});

function isEntry(value: unknown): value is ChainedEntry {
  const v = value as Partial<ChainedEntry> | null;
  if (typeof v !== 'object' || v === null) return false;
  const slotsReadable = typeof v.actor === 'object' && v.actor !== null && (v.subject === null || (typeof v.subject === 'object' && v.subject !== undefined));
  return slotsReadable && Number.isInteger(v.seq) && typeof v.hash === 'string' && typeof v.prevHash === 'string';
}

/**
 * Checks a JSON Lines export and names the first broken link. Without an anchor line, the first
 * entry's predecessor is the genesis hash when it is seq 1, else taken on trust (a partial export).
 */
export function verifyChainLines(lines: readonly string[]): VerifyResult {
  let expectedSeq: number | null = null;
  let expectedPrev: string | null = null;
  let anchored = false;
  let count = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  for (const [index, raw] of lines.entries()) {
    const lineNo = index + 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return broken(expectedSeq, lineNo, 'unreadable');
    }
    const anchor = (value as Partial<ExportAnchor> | null)?.anchor;
    if (count === 0 && !anchored && anchor && Number.isInteger(anchor.seq) && typeof anchor.hash === 'string') {
      anchored = true;
      expectedSeq = anchor.seq + 1;
      expectedPrev = anchor.hash;
      continue;
    }
    if (!isEntry(value)) return broken(expectedSeq, lineNo, 'unreadable');
    const { hash, ...fields } = value;
    if (expectedSeq === null) {
      expectedSeq = fields.seq;
      expectedPrev = fields.seq === 1 ? GENESIS_HASH : null;
    }
    if (fields.seq !== expectedSeq) return broken(expectedSeq, lineNo, 'gap');
    if (hashEntry(fields) !== hash || !personalFieldsIntact(fields)) return broken(fields.seq, lineNo, 'hash mismatch');
    if (expectedPrev !== null && fields.prevHash !== expectedPrev) return broken(fields.seq, lineNo, 'prev_hash mismatch');
    count += 1;
    firstSeq ??= fields.seq;
    lastSeq = fields.seq;
    expectedSeq = fields.seq + 1;
    expectedPrev = hash;
  }
  return { ok: true, entries: count, firstSeq, lastSeq, anchored };
}

/** The CLI's one-line verdict. */
export const describeVerification = (result: VerifyResult): string =>
  result.ok ? `OK: ${result.entries} entries, chain intact` : result.message;
