import { describe, expect, it } from 'vitest';
import { runFanOut, type FanOutEvent, type RunOutcome } from './fan-out';

// Fake runs resolved by hand: the schedule is observed step by step, with no timers.
function harness(count: number) {
  const targets = Array.from({ length: count }, (_, i) => `t${i}`);
  const pending = new Map<string, (outcome: RunOutcome) => void>();
  const started: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = (target: string, signal: AbortSignal, output: (chunk: string) => void): Promise<RunOutcome> => {
    started.push(target);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    output(`hello from ${target}\n`);
    return new Promise<RunOutcome>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      pending.set(target, resolve);
    }).finally(() => {
      inFlight--;
      pending.delete(target);
    });
  };
  const finish = (target: string, ok = true) => pending.get(target)?.({ ok, code: ok ? 0 : 1, output: '' });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { targets, run, finish, settle, started, pending, max: () => maxInFlight };
}

describe('runFanOut', () => {
  it('runs the canary alone; the rest wait for its success', async () => {
    const h = harness(5);
    const done = runFanOut({ targets: h.targets, concurrency: 3, canary: true, run: h.run });
    await h.settle();
    expect(h.started).toEqual(['t0']);
    h.finish('t0');
    await h.settle();
    expect(h.started).toEqual(['t0', 't1', 't2', 't3']);
    for (const t of ['t1', 't2', 't3']) h.finish(t);
    await h.settle();
    h.finish('t4');
    expect((await done).progress).toMatchObject({ done: 5, failed: 0, remaining: 0 });
    expect(h.max()).toBe(3);
  });

  it('a failed canary stops everything', async () => {
    const h = harness(4);
    const done = runFanOut({ targets: h.targets, canary: true, run: h.run });
    await h.settle();
    h.finish('t0', false);
    const result = await done;
    expect(result.stoppedBy).toBe('canary-failed');
    expect(result.results.map((r) => r.state)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
    expect(h.started).toEqual(['t0']);
  });

  it('never runs more than the concurrency limit (default 10)', async () => {
    const h = harness(25);
    const done = runFanOut({ targets: h.targets, run: h.run });
    while (h.started.length < 25 || h.pending.size > 0) {
      await h.settle();
      for (const t of [...h.pending.keys()].slice(0, 3)) h.finish(t);
    }
    await done;
    expect(h.max()).toBe(10);
  });

  it('stop-on-failure lets running ones finish, starts no more, skips the rest', async () => {
    const h = harness(6);
    const events: FanOutEvent<string>[] = [];
    const done = runFanOut({ targets: h.targets, concurrency: 2, stopOnFailure: true, run: h.run, onEvent: (e) => events.push(e) });
    await h.settle();
    h.finish('t1', false);
    await h.settle();
    expect(h.started).toEqual(['t0', 't1']);
    h.finish('t0', true);
    const result = await done;
    expect(result.results.map((r) => r.state)).toEqual(['done', 'failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(result.stoppedBy).toBe('stop-on-failure');
    expect(events.filter((e) => e.type === 'skipped')).toHaveLength(4);
  });

  it('without stop-on-failure a failure does not stop the others', async () => {
    const h = harness(3);
    const done = runFanOut({ targets: h.targets, concurrency: 1, run: h.run });
    await h.settle();
    h.finish('t0', false);
    await h.settle();
    h.finish('t1');
    await h.settle();
    h.finish('t2');
    expect((await done).progress).toMatchObject({ done: 2, failed: 1, skipped: 0 });
  });

  it('cancel aborts running runs and skips the rest', async () => {
    const h = harness(5);
    const controller = new AbortController();
    const done = runFanOut({ targets: h.targets, concurrency: 2, signal: controller.signal, run: h.run });
    await h.settle();
    controller.abort();
    const result = await done;
    expect(result.results.map((r) => r.state)).toEqual(['cancelled', 'cancelled', 'skipped', 'skipped', 'skipped']);
    expect(result.stoppedBy).toBe('cancelled');
  });

  it('a run that throws is a failure with its message', async () => {
    const result = await runFanOut({ targets: ['a'], run: () => Promise.reject(new Error('no route to host')) });
    expect(result.results[0]).toMatchObject({ state: 'failed', error: 'no route to host' });
  });

  it('emits queued, running, output and done per target, with progress', async () => {
    const events: FanOutEvent<string>[] = [];
    await runFanOut({
      targets: ['a'],
      run: async (_t, _s, output) => {
        output('chunk');
        return { ok: true, code: 0, output: 'chunk' };
      },
      onEvent: (e) => events.push(e),
    });
    expect(events.map((e) => e.type)).toEqual(['queued', 'running', 'output', 'done']);
    expect(events[3]).toMatchObject({ progress: { total: 1, done: 1, failed: 0, remaining: 0 } });
  });

  it('a throwing listener does not break the run, and a bad limit is refused', async () => {
    const result = await runFanOut({
      targets: ['a'],
      run: async () => ({ ok: true, code: 0, output: '' }),
      onEvent: () => {
        throw new Error('window closed');
      },
    });
    expect(result.progress.done).toBe(1);
    await expect(runFanOut({ targets: ['a'], concurrency: 0, run: async () => ({ ok: true, code: 0, output: '' }) })).rejects.toThrow(
      RangeError,
    );
  });
});
