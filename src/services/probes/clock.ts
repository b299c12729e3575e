/**
 * Time as the probes see it, injected so tests drive the scheduler exactly. `now` is wall-clock
 * UTC ms (sample times); `elapsedMs` is monotonic (round trips, immune to clock steps).
 */
export interface Clock {
  now(): number;
  elapsedMs(): number;
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

export function systemClock(): Clock {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 0;
  return {
    now: () => Date.now(),
    elapsedMs: () => performance.now(),
    setTimer(fn, ms) {
      next += 1;
      const id = next;
      timers.set(
        id,
        setTimeout(
          () => {
            timers.delete(id);
            fn();
          },
          Math.max(0, ms),
        ),
      );
      return { id };
    },
    clearTimer(handle) {
      const t = timers.get(handle.id);
      if (t !== undefined) clearTimeout(t);
      timers.delete(handle.id);
    },
  };
}
