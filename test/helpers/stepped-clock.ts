import type { Clock, TimerHandle } from '../../src/services/probes/clock';

/**
 * Just enough clock to drive a timer-paced writer by hand: `fire` runs every timer set so far
 * (a tick), `turns` runs the zero-delay ones (the next turns of the loop) until none is left and
 * says how many turns that took.
 */
export function steppedClock() {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const clock: Clock = {
    now: () => 0,
    elapsedMs: () => 0,
    setTimer: (fn, ms): TimerHandle => (timers.set((next += 1), { fn, ms }), { id: next }),
    clearTimer: (h) => void timers.delete(h.id),
  };
  const run = (which: (ms: number) => boolean) => {
    for (const [id, t] of [...timers]) {
      if (!which(t.ms)) continue;
      timers.delete(id);
      t.fn();
    }
  };
  const fire = () => run(() => true);
  const turns = () => {
    let n = 0;
    while ([...timers.values()].some((t) => t.ms === 0)) {
      run((ms) => ms === 0);
      n += 1;
    }
    return n;
  };
  return { clock, fire, turns, pending: () => timers.size };
}
