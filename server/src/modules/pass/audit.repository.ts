import type { Kysely, Transaction } from 'kysely';
import { toCount } from '../../kernel/dialect';
import { GENESIS_HASH } from './audit-chain';
import type { AuditChainRow, AuditDb, AuditEventRow } from './audit.db';

export interface AuditSearch {
  chainKey: string;
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  category?: string | undefined;
  target?: string | undefined;
  outcome?: string | undefined;
  /** Continue after this (at, id), newest first. */
  after?: { at: string; id: string } | undefined;
  limit: number;
}

/**
 * Re-creates a chain's head row after a purge deleted it. With no entries left the new segment
 * starts at the genesis (seq 1 links to it, so a later export verifies from its first line); if
 * entries written during the purge survived it, the head continues after them and the anchor sits
 * just before the first of them, so the chain stays gapless and exports stay verifiable.
 */
async function recreateHead(trx: Transaction<AuditDb>, chainKey: string, orgId: string | null, now: string): Promise<void> {
  const [first, last] = await Promise.all([
    trx.selectFrom('audit_events').select(['seq', 'prev_hash', 'org_id']).where('chain_key', '=', chainKey).orderBy('seq', 'asc').limit(1).executeTakeFirst(),
    trx.selectFrom('audit_events').select(['seq', 'hash']).where('chain_key', '=', chainKey).orderBy('seq', 'desc').limit(1).executeTakeFirst(),
  ]);
  const head = first && last
    ? { head_seq: Number(last.seq), head_hash: last.hash, anchor_seq: Number(first.seq) - 1, anchor_hash: first.prev_hash }
    : { head_seq: 0, head_hash: GENESIS_HASH, anchor_seq: 0, anchor_hash: GENESIS_HASH };
  await trx
    .insertInto('audit_chains')
    .values({ chain_key: chainKey, org_id: first?.org_id ?? orgId, ...head, updated_at: now })
    // Another writer re-created it first: its row is the head (the caller bumps it next).
    .onConflict((oc) => oc.column('chain_key').doNothing())
    .execute();
}

/** All SQL of the audit store. */
export function createAuditRepository(db: Kysely<AuditDb>) {
  /** Chains whose head row this process has created or seen, with their org (to re-create a purged head). */
  const knownChains = new Map<string, string | null>();

  return {
    /** Creates the chain's head row once; later appends only lock and update it. */
    async ensureChain(chainKey: string, orgId: string | null, now: string): Promise<void> {
      if (knownChains.has(chainKey)) return;
      await db
        .insertInto('audit_chains')
        .values({ chain_key: chainKey, org_id: orgId, head_seq: 0, head_hash: GENESIS_HASH, anchor_seq: 0, anchor_hash: GENESIS_HASH, updated_at: now })
        .onConflict((oc) => oc.column('chain_key').doNothing())
        .execute();
      knownChains.set(chainKey, orgId);
    },

    /**
     * Appends one entry. The first statement bumps the chain head, which takes the row's write lock
     * (PostgreSQL) or the database write lock (SQLite) until commit, so concurrent writers of one
     * chain queue up here instead of forking it; the same portable code runs on both dialects.
     */
    async append(chainKey: string, build: (seq: number, prevHash: string) => AuditEventRow): Promise<AuditEventRow> {
      return db.transaction().execute(async (trx) => {
        const bumpHead = () =>
          trx
            .updateTable('audit_chains')
            .set((eb) => ({ head_seq: eb('head_seq', '+', 1) }))
            .where('chain_key', '=', chainKey)
            .returning(['head_seq', 'head_hash'])
            .executeTakeFirst();
        let head = await bumpHead();
        if (!head) {
          // The head row went with an org purge (W4.1, W4.6) after this process cached it: the
          // org's next entry starts a new segment of the chain (see recreateHead).
          // (updated_at is overwritten with the entry's time below, in this transaction.)
          await recreateHead(trx, chainKey, knownChains.get(chainKey) ?? null, new Date().toISOString());
          head = await bumpHead();
          if (!head) throw new Error(`audit chain ${chainKey} has no head row`);
        }
        const row = build(Number(head.head_seq), head.head_hash);
        await trx.insertInto('audit_events').values(row).execute();
        await trx.updateTable('audit_chains').set({ head_hash: row.hash, updated_at: row.at }).where('chain_key', '=', chainKey).execute();
        return row;
      });
    },

    findChain: (chainKey: string): Promise<AuditChainRow | undefined> =>
      db.selectFrom('audit_chains').selectAll().where('chain_key', '=', chainKey).executeTakeFirst(),

    listChains: () => db.selectFrom('audit_chains').select(['chain_key', 'org_id']).orderBy('chain_key').execute(),

    /** Filtered page, newest first, keyed by (at, id). */
    search(query: AuditSearch): Promise<AuditEventRow[]> {
      let q = db.selectFrom('audit_events').selectAll().where('chain_key', '=', query.chainKey);
      if (query.from) q = q.where('at', '>=', query.from);
      if (query.to) q = q.where('at', '<', query.to);
      if (query.actor) {
        const actor = query.actor;
        q = q.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_email', '=', actor.toLowerCase())]));
      }
      if (query.action) q = q.where('action', '=', query.action);
      if (query.category) q = q.where('category', '=', query.category);
      if (query.target) q = q.where('target_id', '=', query.target);
      if (query.outcome) q = q.where('outcome', '=', query.outcome);
      const after = query.after;
      if (after) q = q.where((eb) => eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]));
      return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    },

    /** The contiguous seq range an export of [from, to) covers, so the export verifies as one chain. */
    async seqRange(chainKey: string, from: string | undefined, to: string | undefined): Promise<{ first: number; last: number } | null> {
      let firstQ = db.selectFrom('audit_events').select((eb) => eb.fn.min('seq').as('n')).where('chain_key', '=', chainKey);
      if (from) firstQ = firstQ.where('at', '>=', from);
      let lastQ = db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('n')).where('chain_key', '=', chainKey);
      if (to) lastQ = lastQ.where('at', '<', to);
      const [first, last] = await Promise.all([firstQ.executeTakeFirst(), lastQ.executeTakeFirst()]);
      if (first?.n === null || first?.n === undefined || last?.n === null || last?.n === undefined) return null;
      const range = { first: toCount(first.n), last: toCount(last.n) };
      return range.first <= range.last ? range : null;
    },

    findBySeq: (chainKey: string, seq: number) =>
      db.selectFrom('audit_events').selectAll().where('chain_key', '=', chainKey).where('seq', '=', seq).executeTakeFirst(),

    pageBySeq: (chainKey: string, afterSeq: number, lastSeq: number, limit: number) =>
      db
        .selectFrom('audit_events')
        .selectAll()
        .where('chain_key', '=', chainKey)
        .where('seq', '>', afterSeq)
        .where('seq', '<=', lastSeq)
        .orderBy('seq')
        .limit(limit)
        .execute(),

    /** Newest first across chains (tests and internal checks). */
    list(filter: { chainKey?: string; action?: string; target?: string; limit: number }) {
      let q = db.selectFrom('audit_events').selectAll();
      if (filter.chainKey !== undefined) q = q.where('chain_key', '=', filter.chainKey);
      if (filter.action) q = q.where('action', '=', filter.action);
      if (filter.target) q = q.where('target_id', '=', filter.target);
      return q.orderBy('at', 'desc').orderBy('seq', 'desc').limit(filter.limit).execute();
    },

    /**
     * Deletes the chain's prefix older than `cutoff` and moves the anchor to the last purged entry,
     * under the same head lock as appends. Returns how many entries went and the new anchor.
     */
    purgeBefore(chainKey: string, cutoff: string, now: string): Promise<{ purged: number; anchorSeq: number } | null> {
      return db.transaction().execute(async (trx) => {
        await trx.updateTable('audit_chains').set({ updated_at: now }).where('chain_key', '=', chainKey).execute();
        const through = await trx
          .selectFrom('audit_events')
          .select((eb) => eb.fn.max('seq').as('n'))
          .where('chain_key', '=', chainKey)
          .where('at', '<', cutoff)
          .executeTakeFirst();
        if (through?.n === null || through?.n === undefined) return null;
        const lastSeq = toCount(through.n);
        const last = await trx.selectFrom('audit_events').select('hash').where('chain_key', '=', chainKey).where('seq', '=', lastSeq).executeTakeFirstOrThrow();
        const deleted = await trx.deleteFrom('audit_events').where('chain_key', '=', chainKey).where('seq', '<=', lastSeq).executeTakeFirst();
        await trx.updateTable('audit_chains').set({ anchor_seq: lastSeq, anchor_hash: last.hash }).where('chain_key', '=', chainKey).execute();
        return { purged: Number(deleted.numDeletedRows), anchorSeq: lastSeq };
      });
    },

    /**
     * Erases name, email and salt where the account acted (also anonymous attempts with its address)
     * and its address where it was the subject; the digests (what the chain covers) stay.
     */
    async erasePersonalData(accountId: string, email: string | null): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const asActor = await trx
          .updateTable('audit_events')
          .set({ actor_name: null, actor_email: null, actor_salt: null })
          .where((eb) => {
            const byId = eb.and([eb('actor_type', '=', 'account'), eb('actor_id', '=', accountId)]);
            return email === null ? byId : eb.or([byId, eb('actor_email', '=', email)]);
          })
          .where('actor_salt', 'is not', null)
          .executeTakeFirst();
        if (email === null) return Number(asActor.numUpdatedRows);
        const asSubject = await trx
          .updateTable('audit_events')
          .set({ subject_email: null, subject_salt: null })
          .where('subject_email', '=', email)
          .executeTakeFirst();
        return Number(asActor.numUpdatedRows) + Number(asSubject.numUpdatedRows);
      });
    },

    countForOrg: async (chainKey: string) => {
      const row = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('chain_key', '=', chainKey).executeTakeFirst();
      return toCount(row?.n);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
