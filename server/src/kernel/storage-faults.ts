import type { Logger } from 'pino';
import { AppError } from './errors';

/**
 * Storage faults (issue 12 §1, §3): a full disk, a read-only store, a busy database or a database
 * that went away are conditions of the deployment, not bugs. Clients get 503 with `Retry-After` and
 * a stable code; the log names the store and the real cause (SQLITE_FULL, 57P01…) once per episode;
 * readiness fails while a store cannot write.
 */
export type StorageFaultKind = 'full' | 'read_only' | 'busy' | 'unavailable';

export interface StoreRef {
  readonly module: string;
  readonly region: string;
  /** A file path (SQLite) or `schema x` (PostgreSQL): what an operator looks at. */
  readonly location: string;
}

export interface StorageFault {
  readonly kind: StorageFaultKind;
  /** The driver's own code: SQLITE_FULL, 57P01, ECONNREFUSED… */
  readonly code: string;
  readonly retryAfterSeconds: number;
}

export const storeKeyOf = (store: Pick<StoreRef, 'module' | 'region'>) => `${store.module}@${store.region}`;

const RETRY_AFTER: Record<StorageFaultKind, number> = { full: 60, read_only: 60, busy: 2, unavailable: 5 };

const CLIENT_MESSAGE: Record<StorageFaultKind, string> = {
  full: 'The service cannot store data right now (storage is full). Try again later.',
  read_only: 'The service cannot store data right now (storage is read-only). Try again later.',
  busy: 'The service is busy. Try again in a moment.',
  unavailable: 'The service cannot reach its database right now. Try again later.',
};

const OPERATOR_HINT: Record<StorageFaultKind, string> = {
  full: 'free space on the disk or volume that holds it (or raise the database quota)',
  read_only: 'make the file, its folder and the file system writable again, or point the region at the primary database',
  busy: 'another process holds a long write lock, or the database is overloaded',
  unavailable: 'check that the database server runs and is reachable; Toride reconnects by itself',
};

/** PostgreSQL SQLSTATEs that describe the deployment rather than the query. */
const PG_CODES: Record<string, StorageFaultKind> = {
  '53100': 'full', // disk_full
  '25006': 'read_only', // read_only_sql_transaction: a standby after a failover
  '53300': 'busy', // too_many_connections
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '55P03': 'busy', // lock_not_available
  '57014': 'busy', // query_canceled (statement timeout)
  '57P01': 'unavailable', // admin_shutdown: pg_terminate_backend, a restart
  '57P02': 'unavailable', // crash_shutdown
  '57P03': 'unavailable', // cannot_connect_now: starting up or in recovery
  '3D000': 'unavailable', // the database does not exist (yet)
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/** pg reports a lost connection with a message and no code. */
const LOST_CONNECTION = /connection terminated|not queryable|timeout exceeded when trying to connect|connection timeout|server closed the connection/i;

/** Errors raised by a store's driver remember which store raised them (a WeakMap: no new fields in logs). */
const origins = new WeakMap<object, { store: StoreRef; connect: boolean }>();

/** `connect`: the error came from opening a connection, so whatever its code, the store is unreachable. */
export function tagStoreError<E>(error: E, store: StoreRef, connect = false): E {
  if (error !== null && typeof error === 'object' && !origins.has(error)) origins.set(error, { store, connect });
  return error;
}

export function storeOfError(error: unknown): StoreRef | undefined {
  for (const link of causeChain(error)) {
    const origin = origins.get(link);
    if (origin) return origin.store;
  }
  return undefined;
}

function* causeChain(error: unknown): Generator<object> {
  let link: unknown = error;
  for (let depth = 0; depth < 5 && link !== null && typeof link === 'object'; depth += 1) {
    yield link;
    link = (link as { cause?: unknown }).cause;
  }
}

/**
 * Which storage fault an error is, if any. SQLite codes, ENOSPC and EROFS are unambiguous; network
 * errors and PostgreSQL codes count only when a store's driver raised them (an outbound webhook's
 * ECONNREFUSED is not a storage fault).
 */
export function classifyStorageError(error: unknown): StorageFault | undefined {
  if (error instanceof AppError) return undefined;
  for (const link of causeChain(error)) {
    const code = typeof (link as { code?: unknown }).code === 'string' ? (link as { code: string }).code : undefined;
    const retry = (link as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    const fault = (kind: StorageFaultKind, faultCode = code ?? 'CONNECTION_LOST'): StorageFault => ({
      kind,
      code: faultCode,
      retryAfterSeconds: typeof retry === 'number' && retry > 0 ? Math.ceil(retry) : RETRY_AFTER[kind],
    });
    if (code?.startsWith('SQLITE_')) {
      const kind = sqliteKind(code);
      if (kind) return fault(kind);
      continue;
    }
    if (code === 'ENOSPC' || code === 'EDQUOT') return fault('full');
    if (code === 'EROFS') return fault('read_only');
    const origin = origins.get(link);
    if (!origin) continue;
    if (code && PG_CODES[code]) return fault(PG_CODES[code]);
    if (code && (NETWORK_CODES.has(code) || code.startsWith('08') || code === 'TORIDE_STORE_BACKOFF')) return fault('unavailable');
    if (!code && LOST_CONNECTION.test((link as { message?: string }).message ?? '')) return fault('unavailable');
    // 55000 "not accepting connections", 28P01 bad password…: the store cannot be reached either way.
    if (origin.connect) return fault('unavailable', code ?? 'CONNECT_FAILED');
  }
  return undefined;
}

function sqliteKind(code: string): StorageFaultKind | undefined {
  if (code.startsWith('SQLITE_FULL')) return 'full';
  if (code.startsWith('SQLITE_READONLY')) return 'read_only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return 'unavailable';
  return undefined;
}

/**
 * The 503 a client sees for a storage fault, or undefined for any other error. Error handlers call
 * it first: `const error = storageFaultOf(raw) ?? raw`.
 */
export function storageFaultOf(error: unknown): AppError | undefined {
  const fault = classifyStorageError(error);
  if (!fault) return undefined;
  const seconds = String(fault.retryAfterSeconds);
  return new AppError(503, `storage.${fault.kind}`, CLIENT_MESSAGE[fault.kind], { retryAfterSeconds: fault.retryAfterSeconds }, { 'retry-after': seconds });
}

/** Thrown without touching the database while a store backs off after losing its server. */
export class StoreBackoffError extends Error {
  readonly code = 'TORIDE_STORE_BACKOFF';
  constructor(
    store: StoreRef,
    readonly retryAfterSeconds: number,
    override readonly cause: unknown,
  ) {
    super(`Store ${storeKeyOf(store)} is reconnecting; next attempt in ${retryAfterSeconds} s.`);
    this.name = 'StoreBackoffError';
  }
}

interface Episode {
  readonly fault: StorageFault;
  readonly store: StoreRef;
  readonly since: number;
  failures: number;
  /** When the store last proved it works again; null while it fails. */
  clearedAt: number | null;
  recoveryLogged: boolean;
}

/**
 * A store that fails again within this time after recovering continues its episode silently: a
 * store that flaps (small writes pass, large ones fail) logs one line, not one per request.
 */
const QUIET_MS = 60_000;

export interface StoreFaultState {
  readonly store: string;
  readonly kind: StorageFaultKind;
  readonly code: string;
  readonly since: string;
  readonly failures: number;
}

/**
 * Fault episodes per store. The first failure of an episode is logged with the store, its location
 * and the driver's code; the rest are only counted, and the end of the episode is logged with the
 * count. A full or read-only store recovers on a successful write (reads keep working meanwhile).
 */
export class StorageHealth {
  private readonly episodes = new Map<string, Episode>();

  constructor(private readonly logger: Logger | null = null) {}

  failed(store: StoreRef, error: unknown): StorageFault | undefined {
    const fault = classifyStorageError(error);
    if (!fault) return undefined;
    const key = storeKeyOf(store);
    const current = this.episodes.get(key);
    const now = Date.now();
    if (current && current.fault.kind === fault.kind && (current.clearedAt === null || now - current.clearedAt < QUIET_MS)) {
      current.failures += 1;
      current.clearedAt = null;
      return fault;
    }
    this.episodes.set(key, { fault, store, since: now, failures: 1, clearedAt: null, recoveryLogged: false });
    const entry = { store: key, location: store.location, code: fault.code, fault: fault.kind, err: error };
    const text = `store ${key} (${store.location}): ${fault.code} — ${fault.kind.replace('_', '-')}; answering 503 until it recovers. Fix: ${OPERATOR_HINT[fault.kind]}`;
    if (fault.kind === 'busy') this.logger?.warn(entry, text);
    else this.logger?.error(entry, text);
    return fault;
  }

  succeeded(store: StoreRef, wrote: boolean): void {
    if (this.episodes.size === 0) return;
    const key = storeKeyOf(store);
    const episode = this.episodes.get(key);
    if (!episode || episode.clearedAt !== null) return;
    // A full or read-only store still answers reads: only a write proves it recovered.
    if ((episode.fault.kind === 'full' || episode.fault.kind === 'read_only') && !wrote) return;
    episode.clearedAt = Date.now();
    if (episode.recoveryLogged) return;
    episode.recoveryLogged = true;
    const seconds = Math.round((episode.clearedAt - episode.since) / 100) / 10;
    this.logger?.info(
      { store: key, location: store.location, code: episode.fault.code, fault: episode.fault.kind, failures: episode.failures, seconds },
      `store ${key} recovered from ${episode.fault.code} after ${seconds} s (${episode.failures} failed statements)`,
    );
  }

  /** The store's current fault; none once it works again. */
  faultOf(store: Pick<StoreRef, 'module' | 'region'>): StorageFault | undefined {
    const episode = this.episodes.get(storeKeyOf(store));
    return episode && episode.clearedAt === null ? episode.fault : undefined;
  }

  faults(): StoreFaultState[] {
    return [...this.episodes.entries()]
      .filter(([, e]) => e.clearedAt === null)
      .map(([store, e]) => ({ store, kind: e.fault.kind, code: e.fault.code, since: new Date(e.since).toISOString(), failures: e.failures }));
  }
}
