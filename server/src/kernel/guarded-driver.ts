import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryCompiler, TransactionSettings } from 'kysely';
import { StoreBackoffError, tagStoreError, type StorageHealth, type StoreRef } from './storage-faults';

/**
 * Wraps a Kysely dialect's driver so that every error a store raises is tagged with the store and
 * reported to its StorageHealth (issue 12 §1, §3), and every success can end a fault episode.
 * dialect.ts supplies the per-dialect parts; repositories see a plain Kysely.
 */
export interface GuardOptions {
  readonly store: StoreRef;
  readonly health: StorageHealth;
  /**
   * SQLite only: whether the connection is inside a transaction. SQLite rolls a transaction back by
   * itself on SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY and SQLITE_NOMEM; Kysely's ROLLBACK then fails
   * with "cannot rollback - no transaction is active" and that error replaces the real cause.
   */
  readonly inTransaction?: () => boolean;
  /** PostgreSQL only: how long to wait before trying the server again after it went away. */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
}

export function guardDialect(inner: Dialect, options: GuardOptions): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => new GuardedDriver(inner.createDriver(), options),
  };
}

/** Statements whose success proves the store can write again. */
const WRITES = /^\s*(insert|update|delete|replace|create|alter|drop|commit|pragma\s+user_version\s*=)/i;

type Compile = QueryCompiler['compileQuery'];

class GuardedDriver implements Driver {
  private readonly unwrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  /** Consecutive failures to reach the server (PostgreSQL), and when to try again. */
  private connectFailures = 0;
  private retryAt = 0;

  constructor(
    private readonly driver: Driver,
    private readonly options: GuardOptions,
  ) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      // While backing off, fail at once instead of piling connection attempts on a server that is away.
      throw this.failed(new StoreBackoffError(this.options.store, Math.ceil(wait / 1000), null));
    }
    let connection: DatabaseConnection;
    try {
      connection = await this.driver.acquireConnection();
    } catch (error) {
      this.lostServer();
      throw this.failed(error, 'connect');
    }
    const guarded: DatabaseConnection = new Proxy(connection, {
      get: (target, property) => {
        if (property === 'executeQuery') return (query: CompiledQuery) => this.run(connection, query);
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    this.unwrapped.set(guarded, connection);
    return guarded;
  }

  private async run(connection: DatabaseConnection, query: CompiledQuery) {
    try {
      const result = await connection.executeQuery(query);
      this.connectFailures = 0;
      this.options.health.succeeded(this.options.store, WRITES.test(query.sql));
      return result;
    } catch (error) {
      throw this.failed(error);
    }
  }

  private inner(connection: DatabaseConnection): DatabaseConnection {
    return this.unwrapped.get(connection) ?? connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.guard(() => this.driver.beginTransaction(this.inner(connection), settings));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.guard(() => this.driver.commitTransaction(this.inner(connection)));
    this.options.health.succeeded(this.options.store, true);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const { inTransaction } = this.options;
    if (inTransaction) {
      // SQLite already rolled back on its own: a second ROLLBACK would only hide the cause.
      if (!inTransaction()) return;
      await this.guard(() => this.driver.rollbackTransaction(this.inner(connection)));
      return;
    }
    try {
      await this.driver.rollbackTransaction(this.inner(connection));
    } catch (error) {
      // PostgreSQL: the connection broke mid-transaction. Kysely's driver has marked the client for
      // discard, so the server ends the transaction with the connection; the caller keeps the error
      // that caused the rollback instead of "Client has encountered a connection error".
      this.failed(error);
    }
  }

  savepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return this.guard(() => this.driver.savepoint!(this.inner(connection), name, compile));
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return this.guard(() => this.driver.rollbackToSavepoint!(this.inner(connection), name, compile));
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return this.guard(() => this.driver.releaseSavepoint!(this.inner(connection), name, compile));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(this.inner(connection));
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      throw this.failed(error);
    }
  }

  /** Tags the error with the store and reports it; returns it for rethrowing. */
  private failed(error: unknown, phase?: 'connect'): unknown {
    tagStoreError(error, this.options.store, phase === 'connect');
    const fault = this.options.health.failed(this.options.store, error);
    // A connection lost mid-query (57P01): pause new connections briefly; only failed connects escalate.
    if (!phase && fault?.kind === 'unavailable' && !(error instanceof StoreBackoffError)) this.lostServer(false);
    return error;
  }

  /** Exponential backoff from minMs to maxMs while the server refuses connections; a success resets it. */
  private lostServer(escalate = true): void {
    const backoff = this.options.backoff;
    if (!backoff) return;
    if (escalate) this.connectFailures += 1;
    const delay = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.max(0, this.connectFailures - 1));
    this.retryAt = Math.max(this.retryAt, Date.now() + delay);
  }
}
