import type { Logger } from 'pino';
import type { Clock } from './clock';
import type { JobTimer } from './jobs';

/** setTimeout's longest delay (~24.8 days); longer waits are re-armed. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Calls `fn` when `clock` reaches `at`: a test clock's own timers, else a real (unref'd) timer. */
export function atTime(clock: Clock, at: number, fn: () => void): () => void {
  if (clock.onReach) return clock.onReach(at, fn);
  const delay = Math.max(0, at - clock.now().getTime());
  if (delay > MAX_TIMEOUT_MS) {
    let cancel = () => undefined as void;
    const handle = setTimeout(() => {
      cancel = atTime(clock, at, fn);
    }, MAX_TIMEOUT_MS);
    handle.unref();
    return () => {
      clearTimeout(handle);
      cancel();
    };
  }
  const handle = setTimeout(fn, delay);
  handle.unref();
  return () => clearTimeout(handle);
}

export interface DeadlineTimerOptions {
  /** The earliest deadline still to act on, or null when there is none. */
  nextDeadline(): Promise<Date | null>;
  clock: Clock;
  logger: Logger;
  /**
   * Re-reads the next deadline at least this often, so a deadline set on another instance is
   * armed here too (the acting instance re-arms at once).
   */
  recheckMs?: number;
  /**
   * First retry when the job's lease is held (another instance, or this one's run that is just
   * ending); doubles up to `recheckMs`, so a long run elsewhere costs a few claims a minute.
   */
  retryMs?: number;
}

/**
 * A timer to the earliest due deadline (W4.13: nothing late). At that instant it runs the job
 * under its lease (kernel/jobs.ts `runNow`): with several instances one runs it, and the holder's
 * run picks up whatever fell due meanwhile. Re-armed after each run, on `rearm()` (state changes)
 * and at start-up; the job's cron poll stays as a safety net.
 */
export class DeadlineTimer implements JobTimer {
  private runNow: (() => Promise<boolean>) | null = null;
  private cancel: (() => void) | null = null;
  private generation = 0;
  private readonly recheckMs: number;
  private readonly retryMs: number;
  private retryDelay: number;
  /** The deadline the last run acted on: if it is still due afterwards, wait before trying again. */
  private lastRanFor: number | null = null;

  constructor(private readonly options: DeadlineTimerOptions) {
    this.recheckMs = options.recheckMs ?? 60_000;
    this.retryMs = options.retryMs ?? 100;
    this.retryDelay = this.retryMs;
  }

  start(runNow: () => Promise<boolean>): void {
    this.runNow = runNow;
    void this.arming();
  }

  stop(): void {
    this.runNow = null;
    this.generation += 1;
    this.cancel?.();
    this.cancel = null;
  }

  /** Deadlines changed (a state change): reads the next one and arms the timer to it (no-op until started). */
  rearm(): Promise<void> {
    // A new deadline may already be due: act on it now, even if a failed run waits for its recheck.
    this.lastRanFor = null;
    return this.arming();
  }

  private async arming(): Promise<void> {
    if (!this.runNow) return;
    const generation = ++this.generation;
    let next: Date | null = null;
    try {
      next = await this.options.nextDeadline();
    } catch (error) {
      this.options.logger.error({ err: error }, 'deadline timer: reading the next deadline failed');
    }
    if (generation !== this.generation || !this.runNow) return;
    const now = this.options.clock.now().getTime();
    let at = now + this.recheckMs;
    let due = false;
    if (next) {
      const deadline = next.getTime();
      // Still due after a run acted on it (that run failed): try again at the recheck, not in a hot loop.
      const stuck = this.lastRanFor !== null && deadline <= this.lastRanFor;
      if (stuck) due = true;
      else if (deadline <= at) {
        at = deadline;
        due = true;
      }
    }
    this.arm(at, generation, due ? next!.getTime() : null);
  }

  private arm(at: number, generation: number, deadline: number | null) {
    this.cancel?.();
    this.cancel = atTime(this.options.clock, at, () => void this.fire(generation, deadline));
  }

  private async fire(generation: number, deadline: number | null): Promise<void> {
    if (generation !== this.generation || !this.runNow) return;
    this.cancel = null;
    if (deadline !== null) {
      let ran = false;
      try {
        ran = await this.runNow();
      } catch (error) {
        this.options.logger.error({ err: error }, 'deadline timer: the run failed');
        ran = true;
      }
      if (generation !== this.generation || !this.runNow) return;
      if (!ran) {
        // Leased elsewhere: that run also handles what is due; try again soon in case it ended just before.
        const retryAt = this.options.clock.now().getTime() + this.retryDelay;
        this.retryDelay = Math.min(this.retryDelay * 2, this.recheckMs);
        this.arm(retryAt, generation, deadline);
        return;
      }
      this.retryDelay = this.retryMs;
      this.lastRanFor = deadline;
    } else {
      this.lastRanFor = null;
    }
    await this.arming();
  }
}
