import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestClock, MINUTE, SECOND } from './clock';
import { DeadlineTimer } from './deadline-timer';

/** The deadline timer on the test clock (issue 16 §2, W4.13): at the instant, not before; no hot loop. */
const logger = pino({ level: 'silent' });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function setup(deadlines: { next: Date | null }, run: () => Promise<boolean>) {
  const clock = createTestClock('2027-01-01T00:00:00.000Z');
  const runs: string[] = [];
  const timer = new DeadlineTimer({ clock, logger, nextDeadline: async () => deadlines.next });
  timer.start(async () => {
    runs.push(clock.now().toISOString());
    return run();
  });
  return { clock, runs, timer };
}

describe('DeadlineTimer (W4.13)', () => {
  it('runs at the deadline, not a millisecond before; re-armed by rearm() to a new one', async () => {
    const deadlines = { next: new Date('2027-01-01T00:00:30.000Z') as Date | null };
    const { clock, runs, timer } = setup(deadlines, async () => {
      deadlines.next = null;
      return true;
    });
    await settle();
    clock.set('2027-01-01T00:00:29.999Z');
    await settle();
    expect(runs).toEqual([]);
    clock.set('2027-01-01T00:00:30.000Z');
    await settle();
    expect(runs).toEqual(['2027-01-01T00:00:30.000Z']);
    deadlines.next = new Date('2027-01-01T00:00:40.000Z');
    await timer.rearm();
    clock.set('2027-01-01T00:00:40.000Z');
    await settle();
    expect(runs).toEqual(['2027-01-01T00:00:30.000Z', '2027-01-01T00:00:40.000Z']);
    timer.stop();
  });

  it('a deadline set far ahead is still found: the timer re-reads at least once a minute', async () => {
    const deadlines = { next: null as Date | null };
    const { clock, runs, timer } = setup(deadlines, async () => {
      deadlines.next = null;
      return true;
    });
    await settle();
    deadlines.next = new Date('2027-01-01T00:01:30.000Z'); // written by another instance: no rearm() here
    clock.set('2027-01-01T00:01:00.000Z');
    await settle();
    clock.set('2027-01-01T00:01:30.000Z');
    await settle();
    expect(runs).toEqual(['2027-01-01T00:01:30.000Z']);
    timer.stop();
  });

  it('retries soon when the lease is held elsewhere; a run that leaves the deadline due waits for the recheck', async () => {
    const deadlines = { next: new Date('2027-01-01T00:00:10.000Z') as Date | null };
    let leased = true;
    const { clock, runs, timer } = setup(deadlines, async () => !leased);
    await settle();
    clock.set('2027-01-01T00:00:10.000Z');
    await settle();
    expect(runs).toHaveLength(1);
    leased = false;
    clock.advance(SECOND);
    await settle();
    // Ran (the deadline stays due: the run failed) — then no hot loop: nothing until the recheck.
    expect(runs).toEqual(['2027-01-01T00:00:10.000Z', '2027-01-01T00:00:11.000Z']);
    clock.advance(SECOND);
    await settle();
    expect(runs).toHaveLength(2);
    clock.advance(MINUTE);
    await settle();
    expect(runs).toHaveLength(3);
    timer.stop();
    clock.advance(10 * MINUTE);
    await settle();
    expect(runs).toHaveLength(3);
  });
});
