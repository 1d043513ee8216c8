import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock';
import { newId } from './crypto';
import type { PlatformDb } from './platform-store';

/**
 * Durable jobs. Each job has a row with its next due time; an instance runs a due job only after
 * winning a conditional UPDATE that takes a lease, so with several instances on one database a due
 * job runs once. Next times come from croner on the injectable clock.
 */
export interface JobDefinition {
  name: string;
  /** 5- or 6-field cron expression (UTC). */
  schedule: string;
  /**
   * How long a run may hold its lease before another instance may take over. Keep it short and
   * have a long run call `renewLease` as it goes: a crashed instance's run is then picked up
   * within minutes, a live one never.
   */
  leaseSeconds?: number;
  run(context: JobContext): Promise<void>;
  /**
   * Exact deadlines beside the cron poll (lifecycle, W4.13): a started runner starts this timer
   * with a way to run the job now under its lease, and stops it with the runner.
   */
  timer?: JobTimer;
}

export interface JobTimer {
  /** `runNow` resolves false when the job's lease is held (by another instance or a running tick). */
  start(runNow: () => Promise<boolean>): void;
  stop(): void;
}

export interface JobContext {
  now: Date;
  logger: Logger;
  /**
   * Extends this run's lease by `leaseSeconds` from now. False when the lease is no longer ours
   * (it expired and another instance took the job): the run should stop, the other one resumes.
   */
  renewLease(): Promise<boolean>;
}

export const defineJob = (job: JobDefinition): JobDefinition => job;

export function nextRunAfter(schedule: string, after: Date): Date {
  const next = new Cron(schedule, { timezone: 'UTC', paused: true }).nextRun(after);
  if (!next) throw new Error(`Cron expression "${schedule}" has no future run.`);
  return next;
}

/** The longest pause between tick attempts while the platform store keeps failing (issue 12 §2). */
const MAX_TICK_BACKOFF_MS = 5 * 60 * 1000;

export class JobRunner {
  readonly instanceId = newId();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<number> | null = null;
  /** Failed ticks in a row, and the wall time before which the timer skips ticking. */
  private failedTicks = 0;
  private resumeAt = 0;
  private readonly runningNow = new Set<Promise<boolean>>();

  constructor(
    private readonly db: Kysely<PlatformDb>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly jobs: readonly JobDefinition[],
  ) {}

  /** Inserts rows for new jobs and keeps schedules in step with the code. */
  async register(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.jobs) {
      const nextRunAt = nextRunAfter(job.schedule, now).toISOString();
      await this.db
        .insertInto('jobs')
        .values({ name: job.name, schedule: job.schedule, next_run_at: nextRunAt, run_count: 0 })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      await this.db
        .updateTable('jobs')
        .set({ schedule: job.schedule, next_run_at: nextRunAt })
        .where('name', '=', job.name)
        .where('schedule', '!=', job.schedule)
        .execute();
    }
  }

  /** Runs every job that is due now and not leased elsewhere; returns how many this instance ran. */
  tick(): Promise<number> {
    this.ticking ??= this.runDue().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  start(intervalSeconds: number): void {
    const intervalMs = intervalSeconds * 1000;
    this.timer = setInterval(() => void this.scheduledTick(intervalMs), intervalMs);
    this.timer.unref();
    for (const job of this.jobs) job.timer?.start(() => this.runNow(job.name));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const job of this.jobs) job.timer?.stop();
    // A failing last tick must not fail shutdown; it has been logged.
    await this.ticking?.catch(() => undefined);
    await Promise.allSettled([...this.runningNow]);
  }

  /**
   * A timer tick never rejects: a rejected promise here used to end the process (SQLITE_FULL on a
   * full disk, 57P01 on a PostgreSQL restart). The first failure of a run is logged with its cause;
   * then the runner waits twice as long after each failure (up to 5 min) and says when it recovers.
   */
  private async scheduledTick(intervalMs: number): Promise<void> {
    if (Date.now() < this.resumeAt) return;
    try {
      await this.tick();
      if (this.failedTicks > 0) this.logger.info({ failedTicks: this.failedTicks }, `job ticks recovered after ${this.failedTicks} failed attempts`);
      this.failedTicks = 0;
      this.resumeAt = 0;
    } catch (error) {
      this.failedTicks += 1;
      const delayMs = Math.min(MAX_TICK_BACKOFF_MS, intervalMs * 2 ** (this.failedTicks - 1));
      this.resumeAt = Date.now() + delayMs;
      const entry = { err: error, code: (error as { code?: unknown }).code, failedTicks: this.failedTicks, retryInMs: delayMs };
      if (this.failedTicks === 1) this.logger.error(entry, 'job tick failed; jobs wait and retry with backoff');
      else this.logger.debug(entry, 'job tick failed again');
    }
  }

  /**
   * Runs a job now, due or not, if its lease is free (a deadline timer, W4.13): with several
   * instances one runs it; the cron schedule continues from when it finishes.
   */
  runNow(name: string): Promise<boolean> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) return Promise.resolve(false);
    const run = (async () => {
      if (!(await this.claim(job, { due: false }))) return false;
      await this.execute(job);
      return true;
    })();
    this.runningNow.add(run);
    void run.finally(() => this.runningNow.delete(run)).catch(() => undefined);
    return run;
  }

  private async runDue(): Promise<number> {
    let ran = 0;
    for (const job of this.jobs) {
      if (await this.claim(job)) {
        ran += 1;
        await this.execute(job);
      }
    }
    return ran;
  }

  private leaseUntil(job: JobDefinition, now: Date): string {
    return new Date(now.getTime() + (job.leaseSeconds ?? 600) * 1000).toISOString();
  }

  private async renewLease(job: JobDefinition): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ lease_until: this.leaseUntil(job, this.clock.now()) })
      .where('name', '=', job.name)
      .where('lease_owner', '=', this.instanceId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async claim(job: JobDefinition, options: { due: boolean } = { due: true }): Promise<boolean> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const leaseUntil = this.leaseUntil(job, now);
    let update = this.db
      .updateTable('jobs')
      .set({ lease_owner: this.instanceId, lease_until: leaseUntil, last_started_at: nowIso })
      .where('name', '=', job.name);
    if (options.due) update = update.where('next_run_at', '<=', nowIso);
    const result = await update
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async execute(job: JobDefinition): Promise<void> {
    const startedAt = this.clock.now();
    let status = 'success';
    let errorText: string | null = null;
    try {
      await job.run({ now: startedAt, logger: this.logger.child({ job: job.name }), renewLease: () => this.renewLease(job) });
    } catch (error) {
      status = 'failed';
      errorText = (error as Error).message;
      this.logger.error({ err: error, job: job.name }, 'job failed');
    }
    const finishedAt = this.clock.now();
    await this.db
      .updateTable('jobs')
      .set((eb) => ({
        lease_owner: null,
        lease_until: null,
        last_finished_at: finishedAt.toISOString(),
        last_status: status,
        last_error: errorText,
        run_count: eb('run_count', '+', 1),
        next_run_at: nextRunAfter(job.schedule, finishedAt).toISOString(),
      }))
      .where('name', '=', job.name)
      .where('lease_owner', '=', this.instanceId)
      .execute();
  }
}
