import { describe, expect, it } from 'vitest';
import { PendingRing } from './pending-ring';

const item = (seq: number) => ({ seq });

describe('PendingRing', () => {
  it('finds, deletes and counts items by sequence number', () => {
    const ring = new PendingRing<{ seq: number }>();
    for (let seq = 2 ** 30; seq < 2 ** 30 + 100; seq += 1) ring.add(item(seq));
    expect(ring.size).toBe(100);
    expect(ring.get(2 ** 30 + 42)).toEqual({ seq: 2 ** 30 + 42 });
    // The same slot, another number: not the item.
    expect(ring.get(2 ** 30 + 42 + ring.capacity)).toBeUndefined();
    expect(ring.get(Number.NaN)).toBeUndefined();
    expect(ring.delete(2 ** 30 + 42)).toBe(true);
    expect(ring.delete(2 ** 30 + 42)).toBe(false);
    expect(ring.get(2 ** 30 + 42)).toBeUndefined();
    expect(ring.size).toBe(99);
  });

  it('grows when two items in flight meet in one slot, and keeps every item findable', () => {
    const ring = new PendingRing<{ seq: number }>();
    const first = ring.capacity;
    const seqs = Array.from({ length: 5 * first }, (_, i) => 2 ** 30 + i * 3);
    for (const seq of seqs) ring.add(item(seq));
    expect(ring.capacity).toBeGreaterThan(first);
    for (const seq of seqs) expect(ring.get(seq)?.seq).toBe(seq);
    expect(ring.size).toBe(seqs.length);
  });

  it('keeps a sliding window in one table: deleting the old as the new arrive never grows it', () => {
    const ring = new PendingRing<{ seq: number }>();
    const capacity = ring.capacity;
    let deleted = 0;
    for (let seq = 2 ** 30; seq < 2 ** 30 + 100_000; seq += 1) {
      ring.add(item(seq));
      if (seq - 500 >= 2 ** 30 && ring.delete(seq - 500)) deleted += 1;
    }
    expect(deleted).toBe(100_000 - 500);
    expect(ring.capacity).toBe(capacity);
    expect(ring.size).toBe(500);
  });

  it('visits each item once, lets the visitor delete it, and empties on takeAll', () => {
    const ring = new PendingRing<{ seq: number }>();
    for (let seq = 10; seq < 30; seq += 1) ring.add(item(seq));
    const seen: number[] = [];
    ring.forEach((it) => {
      seen.push(it.seq);
      if (it.seq % 2 === 0) ring.delete(it.seq);
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 10 + i));
    expect(ring.size).toBe(10);
    expect(
      ring
        .takeAll()
        .map((it) => it.seq)
        .sort((a, b) => a - b),
    ).toEqual([11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
    expect(ring.size).toBe(0);
    expect(ring.get(11)).toBeUndefined();
  });

  it('refuses a number already pending and one outside the counter range, naming the field', () => {
    const ring = new PendingRing<{ seq: number }>();
    ring.add(item(7));
    expect(() => ring.add(item(7))).toThrow(/seq 7 is already pending/);
    expect(() => ring.add(item(-1))).toThrow(/seq: a whole number/);
    expect(() => ring.add(item(2 ** 31))).toThrow(/seq: a whole number/);
    expect(() => ring.add(item(1.5))).toThrow(/seq: a whole number/);
  });
});
