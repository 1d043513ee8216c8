import { createHash } from 'node:crypto';

/**
 * The hash chain, as pure functions shared by the writer, the export and `toride audit verify`.
 * Each entry's hash is SHA-256 over the canonical JSON of its fields plus the previous entry's
 * hash, so editing, deleting or reordering an entry breaks every link after it.
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
  actor: { type: string; id: string | null; name: string | null; email: string | null };
  ip: string | null;
  userAgent: string | null;
  target: { type: string; id: string } | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
  prevHash: string;
}

export type ChainedEntry = ChainedFields & { hash: string };

/** JSON with object keys sorted at every depth: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const hashEntry = (fields: ChainedFields): string => createHash('sha256').update(canonicalJson(fields)).digest('hex');

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
  return typeof v === 'object' && v !== null && Number.isInteger(v.seq) && typeof v.hash === 'string' && typeof v.prevHash === 'string';
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
    // Public digests of public data: nothing secret leaks through comparison timing.
    // eslint-disable-next-line security/detect-possible-timing-attacks
    if (hashEntry(fields) !== hash) return broken(fields.seq, lineNo, 'hash mismatch');
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
