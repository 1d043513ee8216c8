/** Everything that depends on "now" reads this clock, so lifecycle rules can be tested to the second. */
export interface Clock {
  now(): Date;
  /**
   * Calls `fn` once this clock reaches `at` (ms since the epoch); returns a cancel function. Test
   * clocks implement it (their time moves by `set`/`advance`); real clocks leave it out and
   * `atTime` (kernel/deadline-timer.ts) uses a real timer.
   */
  onReach?(at: number, fn: () => void): () => void;
}

export const systemClock: Clock = { now: () => new Date() };

export interface TestClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
  onReach(at: number, fn: () => void): () => void;
}

export function createTestClock(start: Date | string = '2026-01-01T00:00:00.000Z'): TestClock {
  let current = new Date(start).getTime();
  // Timers on the test clock (deadline timers, W4.13): they fire when set/advance reaches them.
  let timers: { at: number; fn: () => void }[] = [];
  const fireDue = () => {
    const due = timers.filter((t) => t.at <= current).sort((a, b) => a.at - b.at);
    timers = timers.filter((t) => t.at > current);
    for (const t of due) t.fn();
  };
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at).getTime();
      fireDue();
    },
    advance: (ms) => {
      current += ms;
      fireDue();
    },
    onReach: (at, fn) => {
      const timer = { at, fn };
      // Already reached: fire on the next turn, as a real zero-delay timer would.
      if (at <= current) queueMicrotask(() => timers.includes(timer) && ((timers = timers.filter((t) => t !== timer)), fn()));
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
  };
}

export const isoNow = (clock: Clock) => clock.now().toISOString();
export const isoAfter = (clock: Clock, ms: number) => new Date(clock.now().getTime() + ms).toISOString();

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
