import { describe, expect, it } from 'vitest';
import type { Sample } from '../../domain/monitoring/sample';
import { steppedClock } from '../../../test/helpers/stepped-clock';
import { SampleWriter } from './sample-writer';

const sample = (at: number): Sample => ({ serverId: 's', kind: 'icmp', at, rttMs: 1 });
const recorder = () => {
  const batches: number[][] = [];
  return { batches, sink: { insertBatch: (b: readonly Sample[]) => (batches.push(b.map((s) => s.at)), b.length) } };
};

describe('SampleWriter', () => {
  it('writes what a tick finds, and a full slice at the next turn without waiting for the tick', () => {
    const { clock, fire, turns, pending } = steppedClock();
    const { batches, sink } = recorder();
    const writer = new SampleWriter({ sink, clock, maxBatch: 100 });
    writer.start();
    for (let i = 0; i < 30; i += 1) writer.add(sample(i));
    expect(turns()).toBe(0);
    fire();
    expect(batches.map((b) => b.length)).toEqual([30]);
    for (let i = 0; i < 100; i += 1) writer.add(sample(i));
    // Not inside add(): at the next turn of the loop.
    expect(batches).toHaveLength(1);
    turns();
    expect(batches.map((b) => b.length)).toEqual([30, 100]);
    writer.add(sample(1));
    writer.close();
    expect(batches.map((b) => b.length)).toEqual([30, 100, 1]);
    expect(pending()).toBe(0);
    expect(writer.written).toBe(131);
  });

  it('writes a tick in slices of at most maxBatch, one per turn, every sample once and in order', () => {
    const { clock, fire, turns } = steppedClock();
    const { batches, sink } = recorder();
    const writer = new SampleWriter({ sink, clock, maxBatch: 100, maxBuffered: 10_000 });
    // Added while no timer runs (a stalled loop): 1,050 wait for the tick.
    for (let i = 0; i < 1_050; i += 1) writer.add(sample(i));
    writer.start();
    fire();
    // The tick writes the first slice itself; each further slice takes a turn of its own.
    expect(batches).toHaveLength(1);
    expect(turns()).toBe(10);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50]);
    expect(batches.flat()).toEqual(Array.from({ length: 1_050 }, (_, i) => i));
    expect(writer.written).toBe(1_050);
    expect(writer.pending).toBe(0);
  });

  it('takes samples added between slices in order after those already waiting', () => {
    const { clock, fire, turns } = steppedClock();
    const { batches, sink } = recorder();
    const writer = new SampleWriter({ sink, clock, maxBatch: 100 });
    writer.start();
    for (let i = 0; i < 250; i += 1) writer.add(sample(i));
    fire();
    for (let i = 250; i < 300; i += 1) writer.add(sample(i));
    turns();
    fire();
    turns();
    expect(batches.flat()).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(100);
  });

  it("writes everything on close in the middle of a tick's slices, in order, and plans nothing after", () => {
    const { clock, fire, turns, pending } = steppedClock();
    const { batches, sink } = recorder();
    const writer = new SampleWriter({ sink, clock, maxBatch: 100 });
    for (let i = 0; i < 450; i += 1) writer.add(sample(i));
    writer.start();
    fire();
    // The tick's first slice is written and the next one planned; the host stops now.
    expect(batches.map((b) => b.length)).toEqual([100]);
    for (let i = 450; i < 470; i += 1) writer.add(sample(i));
    writer.close();
    expect(batches.flat()).toEqual(Array.from({ length: 470 }, (_, i) => i));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(100);
    expect(writer.written).toBe(470);
    expect(pending()).toBe(0);
    expect(turns()).toBe(0);
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

  it('after a failed slice tries again at the next tick, not at every turn, and loses nothing', () => {
    const { clock, fire, turns } = steppedClock();
    let failing = true;
    let tries = 0;
    const stored: number[] = [];
    const writer = new SampleWriter({
      sink: {
        insertBatch: (b) => {
          tries += 1;
          if (failing) throw new Error('disk full');
          stored.push(...b.map((s) => s.at));
          return b.length;
        },
      },
      clock,
      maxBatch: 10,
      onError: () => undefined,
    });
    writer.start();
    for (let i = 0; i < 35; i += 1) writer.add(sample(i));
    turns();
    expect(tries).toBe(1);
    for (let i = 35; i < 60; i += 1) writer.add(sample(i));
    expect(turns()).toBe(0);
    expect(tries).toBe(1);
    failing = false;
    fire();
    turns();
    expect(stored).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('closes in steps at turns of their own, one in four while samples wait, and whole on close', () => {
    const { clock, fire, turns } = steppedClock();
    const log: string[] = [];
    let closeLeft = 0;
    const sink = {
      insertBatch: (b: readonly Sample[], budget?: number) => (log.push(`slice ${b.length} ${String(budget)}`), b.length),
      closeSome: (budget: number) => {
        log.push(`close ${budget}`);
        closeLeft = Number.isFinite(budget) ? Math.max(0, closeLeft - 1) : 0;
        return closeLeft > 0;
      },
    };
    const writer = new SampleWriter({ sink, clock, maxBatch: 10, closeSlice: 25 });
    writer.start();
    for (let i = 0; i < 55; i += 1) writer.add(sample(i));
    closeLeft = 3;
    fire();
    // The tick's first slice at once, then one turn each, a close step taking one turn in four
    // while samples wait (a writer behind must not put the close off), then one after another.
    expect(log).toEqual(['slice 10 0']);
    turns();
    expect(log).toEqual([
      'slice 10 0',
      'slice 10 0',
      'slice 10 0',
      'close 25',
      'slice 10 0',
      'slice 10 0',
      'slice 5 0',
      'close 25',
      'close 25',
    ]);
    log.length = 0;
    closeLeft = 3;
    writer.add(sample(99));
    fire();
    turns();
    expect(log).toEqual(['slice 1 0', 'close 25', 'close 25', 'close 25']);
    log.length = 0;
    closeLeft = 5;
    for (let i = 0; i < 3; i += 1) writer.add(sample(i));
    writer.close();
    expect(log).toEqual(['slice 3 0', 'close Infinity']);
  });

  it('spends no turn on the close while the sink says none is pending', () => {
    const { clock, fire, turns } = steppedClock();
    const log: string[] = [];
    const sink = {
      insertBatch: (b: readonly Sample[]) => (log.push(`slice ${b.length}`), b.length),
      closeSome: () => (log.push('close'), false),
      closePending: () => false,
    };
    const writer = new SampleWriter({ sink, clock, maxBatch: 10 });
    writer.start();
    for (let i = 0; i < 35; i += 1) writer.add(sample(i));
    fire();
    expect(turns()).toBe(3);
    expect(log).toEqual(['slice 10', 'slice 10', 'slice 10', 'slice 5']);
  });
});
