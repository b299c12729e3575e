import { describe, expect, it } from 'vitest';
import type { Sample } from '../../domain/monitoring/sample';
import type { Clock, TimerHandle } from './clock';
import { SampleWriter } from './sample-writer';

/** Just enough clock: timers run when the test calls fire(). */
function steppedClock() {
  const timers = new Map<number, () => void>();
  let next = 0;
  const clock: Clock = {
    now: () => 0,
    elapsedMs: () => 0,
    setTimer: (fn): TimerHandle => (timers.set((next += 1), fn), { id: next }),
    clearTimer: (h) => void timers.delete(h.id),
  };
  const fire = () => {
    for (const [id, fn] of [...timers]) {
      timers.delete(id);
      fn();
    }
  };
  return { clock, fire, pending: () => timers.size };
}

const sample = (at: number): Sample => ({ serverId: 's', kind: 'icmp', at, rttMs: 1 });

describe('SampleWriter', () => {
  it('writes one batch per flush tick, and at once when a batch fills', () => {
    const { clock, fire, pending } = steppedClock();
    const batches: number[] = [];
    const writer = new SampleWriter({ sink: { insertBatch: (b) => (batches.push(b.length), b.length) }, clock, maxBatch: 100 });
    writer.start();
    for (let i = 0; i < 30; i += 1) writer.add(sample(i));
    expect(batches).toEqual([]);
    fire();
    expect(batches).toEqual([30]);
    for (let i = 0; i < 100; i += 1) writer.add(sample(i));
    expect(batches).toEqual([30, 100]);
    fire();
    expect(batches).toEqual([30, 100]);
    writer.add(sample(1));
    writer.close();
    expect(batches).toEqual([30, 100, 1]);
    expect(pending()).toBe(0);
    expect(writer.written).toBe(131);
  });

  it('keeps samples through failed writes, dropping only the oldest beyond its bound', () => {
    const { clock } = steppedClock();
    let failing = true;
    const stored: Sample[] = [];
    const errors: unknown[] = [];
    const writer = new SampleWriter({
      sink: {
        insertBatch: (b) => {
          if (failing) throw new Error('disk full');
          stored.push(...b);
          return b.length;
        },
      },
      clock,
      maxBatch: 1_000,
      maxBuffered: 50,
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 40; i += 1) writer.add(sample(i));
    expect(writer.flush()).toBe(0);
    for (let i = 40; i < 60; i += 1) writer.add(sample(i));
    expect(writer.pending).toBe(50);
    expect(writer.dropped).toBe(10);
    failing = false;
    expect(writer.flush()).toBe(50);
    expect(stored.map((s) => s.at)).toEqual(Array.from({ length: 50 }, (_, i) => i + 10));
    expect(errors).toHaveLength(1);
  });
});
