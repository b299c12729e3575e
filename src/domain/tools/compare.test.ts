import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare';

describe('compareRuns', () => {
  it('recommends the source with the lower average when loss is level', () => {
    const c = compareRuns({ label: 'eu-sw1', lossPct: 0, avgMs: 42.3 }, { label: 'us-sw1', lossPct: 0, avgMs: 118 });
    expect(c.better).toBe(0);
    expect(c.deltaMs).toBeCloseTo(75.7);
    expect(c.verdict).toMatch(/^eu-sw1 adds less latency: 42\.3 ms on average, 75\.7 ms less than us-sw1/);
    expect(compareRuns({ label: 'a', lossPct: 0, avgMs: 9 }, { label: 'b', lossPct: 0.5, avgMs: 3 }).better).toBe(1);
  });

  it('puts loss before latency', () => {
    const c = compareRuns({ label: 'fast', lossPct: 20, avgMs: 5 }, { label: 'steady', lossPct: 0, avgMs: 30 });
    expect(c.better).toBe(1);
    expect(c.verdict).toMatch(/^steady adds less: 30\.0 ms with 0% loss, against 5\.00 ms with 20% loss from fast/);
  });

  it('calls differences under half a millisecond level, and handles runs without answers', () => {
    expect(compareRuns({ label: 'a', lossPct: 0, avgMs: 0.05 }, { label: 'b', lossPct: 0, avgMs: 0.3 })).toMatchObject({
      better: null,
      verdict: expect.stringMatching(/^Level/),
    });
    expect(compareRuns({ label: 'a', lossPct: 100, avgMs: null }, { label: 'b', lossPct: 0, avgMs: 1 })).toMatchObject({ better: 1 });
    expect(compareRuns({ label: 'a', lossPct: 100, avgMs: null }, { label: 'b', lossPct: 100, avgMs: null }).better).toBeNull();
  });
});
