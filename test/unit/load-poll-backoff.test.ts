import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLoadPoller, SLOT_GATHER_MS, type LoadPoller } from '../../src/services/actions/load-poller';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import type { ExecResult } from '../../src/services/ssh/exec';
import { SshError } from '../../src/services/ssh/ssh-error';
import type { StoredServer } from '../../src/services/store/servers-repo';
import { makeAlertsBench, T0, type AlertsBench } from '../helpers/alerts-fixtures';

// The load poller's schedule on a fake clock, against a real SQLite store and the real alert
// engine: a server whose SSH refuses is tried after 1, 2, 4 … cycles (up to 10 minutes), one that
// answers (even with a failing command) every cycle; success, an SSH settings edit or a new
// password start it over; the load-poll alert still raises after its failures in a row and clears
// on the first good poll. What SSH answers is scripted per server; the real refusal through the
// real pool and sshd is in test/integration/load-poll-backoff-sshd.test.ts.

const INTERVAL = 30_000;
type Answer = 'refuse' | 'ok' | 'exit-1';

let bench: AlertsBench;
let poller: LoadPoller;
let answers: Map<string, Answer>;
let execs: string[];
let polls: { serverId: string; ok: boolean; error: string | null }[];

const report = JSON.stringify({
  load: [0.5, 0.25, 0.1],
  memory: { totalKb: 1000, availableKb: 400 },
  uptimeSec: 1234,
  channels: 0,
  pendingUpdates: 0,
});
const result = (code: number, stdout: string): ExecResult => ({
  code,
  signal: null,
  stdout,
  stderr: '',
  timedOut: false,
  failure: null,
  durationMs: 1,
});

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  bench = makeAlertsBench(3);
  answers = new Map(bench.servers.map((s) => [s.id, 'ok']));
  execs = [];
  polls = [];
  poller = createLoadPoller({
    store: bench.store,
    clock: () => Date.now(),
    recipes: defaultRecipeBook,
    exec: (server: StoredServer) => {
      execs.push(server.id);
      const answer = answers.get(server.id);
      if (answer === 'refuse') {
        return Promise.reject(new SshError('connect-failed', `${server.ip}:22 refused the connection (nothing listens on that port).`));
      }
      return Promise.resolve(answer === 'ok' ? result(0, report) : result(1, ''));
    },
    actions: { runAutomatic: () => ({ id: 'never' }) as never, isRunning: () => false },
    emitFleet: () => undefined,
    intervalMs: INTERVAL,
    random: () => 0,
    onPoll: (serverId, ok, error, at) => {
      polls.push({ serverId, ok, error });
      bench.engine.pollResult(serverId, ok, error, at);
    },
  });
});

afterEach(() => {
  poller.stop();
  bench.close();
  vi.useRealTimers();
});

/**
 * Starts the poller and runs its first cycle. With three servers the slots are 0, 10 and 20 s into
 * each cycle; the clock is then kept 25 s into a cycle, so `runCycles(n)` runs exactly n whole cycles.
 */
async function begin(): Promise<void> {
  poller.start();
  await vi.advanceTimersByTimeAsync(25_000);
}

/** Runs whole cycles (every slot of each) and returns how many times each server was polled. */
async function runCycles(n: number): Promise<Map<string, number>> {
  const before = execs.length;
  await vi.advanceTimersByTimeAsync(n * INTERVAL);
  const counts = new Map<string, number>();
  for (const id of execs.slice(before)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** The cycle numbers (from 0) in which a server was polled, over `n` cycles from now. */
async function cyclesPolled(serverId: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let cycle = 0; cycle < n; cycle += 1) {
    if (((await runCycles(1)).get(serverId) ?? 0) > 0) out.push(cycle);
  }
  return out;
}

const [first, second, third] = [0, 1, 2];
const id = (i: number) => bench.servers[i]!.id;

describe('load polls back off from a server whose SSH refuses', () => {
  it('tries it after 1, 2, 4, 8, 16 cycles then every 20 (10 minutes), while the others stay at every cycle', async () => {
    answers.set(id(first), 'refuse');
    await begin();
    // Cycle 0 tried it; then cycles 1 … 100.
    const tried = [0, ...(await cyclesPolled(id(first), 100)).map((c) => c + 1)];
    expect(tried.slice(1).map((c, i) => c - tried[i]!)).toEqual([1, 2, 4, 8, 16, 20, 20, 20]);
    // The healthy servers were polled in every one of those 101 cycles, once each.
    expect(execs.filter((s) => s === id(second))).toHaveLength(101);
    expect(execs.filter((s) => s === id(third))).toHaveLength(101);
    // Every try is reported; the last error stays where it is shown today.
    expect(polls.filter((p) => p.serverId === id(first))).toHaveLength(tried.length);
    expect(poller.history(id(first)).error).toBe(
      `Load of sw1 could not be read: ${bench.servers[0]!.ip}:22 refused the connection (nothing listens on that port).`,
    );
    expect(poller.backoffOf(id(first))).toMatchObject({ failures: tried.length });
    expect(poller.backoffOf(id(second))).toBeNull();
  });

  it('a command that runs and fails (SSH works) is polled every cycle', async () => {
    answers.set(id(first), 'exit-1');
    await begin();
    expect((await runCycles(10)).get(id(first))).toBe(10);
    expect(poller.history(id(first)).error).toMatch(/exited with code 1/);
    expect(poller.backoffOf(id(first))).toBeNull();
  });

  it('once the server answers again it is back to every cycle', async () => {
    answers.set(id(first), 'refuse');
    await begin();
    await runCycles(40);
    answers.set(id(first), 'ok');
    // At most 20 cycles until the next try, which succeeds; from then on every cycle.
    const tried = await cyclesPolled(id(first), 30);
    const back = tried[0]!;
    expect(back).toBeLessThan(20);
    expect(tried).toEqual(Array.from({ length: 30 - back }, (_, i) => back + i));
    expect(poller.history(id(first)).error).toBeNull();
    expect(poller.backoffOf(id(first))).toBeNull();
  });

  it('an edit of its SSH settings is tried in the next cycle', async () => {
    answers.set(id(first), 'refuse');
    await begin();
    await runCycles(40);
    expect(poller.backoffOf(id(first))!.skipCycles).toBeGreaterThan(1);
    const current = bench.store.servers.get(id(first))!;
    bench.store.servers.update({ ...current, ssh: { ...current.ssh, port: 2222 } });
    expect((await runCycles(1)).get(id(first))).toBe(1);
    // Still refused on the new port: counted from one again (the next try one cycle later).
    expect(poller.backoffOf(id(first))).toEqual({ failures: 1, skipCycles: 0 });
    expect((await runCycles(1)).get(id(first))).toBe(1);
  });

  it('an edit of anything else does not end the backoff', async () => {
    answers.set(id(first), 'refuse');
    await begin();
    await runCycles(40);
    const current = bench.store.servers.get(id(first))!;
    const { failures } = poller.backoffOf(id(first))!;
    bench.store.servers.update({ ...current, channels: current.channels + 1 });
    await runCycles(1);
    expect(poller.backoffOf(id(first))!.failures).toBe(failures);
  });

  it('a new password or passphrase (retrySoon) is tried in the next cycle', async () => {
    answers.set(id(first), 'refuse');
    await begin();
    await runCycles(40);
    poller.retrySoon(id(first));
    expect((await runCycles(1)).get(id(first))).toBe(1);
  });

  it('stop forgets the backoff: a restart polls every server in its first cycle', async () => {
    answers.set(id(first), 'refuse');
    await begin();
    await runCycles(40);
    poller.stop();
    poller.start();
    expect((await runCycles(1)).get(id(first))).toBe(1);
  });
});

describe('the load-poll alert rule with the backoff', () => {
  beforeEach(() => {
    bench.store.alertRules.set('load-poll', 'fleet', null, { enabled: true }, T0, 'noc');
    bench.engine.rebuild();
  });

  const openLoadAlerts = () => bench.store.alerts.open().filter((a) => a.kind === 'load-poll');

  it('raises on the third refused poll in a row (cycles 0, 1 and 3: 90 s), and clears on the first good poll', async () => {
    answers.set(id(first), 'refuse');
    await begin();
    await runCycles(2);
    bench.engine.tick(Date.now());
    // Two tries so far (cycles 0 and 1; 2 and 3 sat out): no alert yet.
    expect(polls.filter((p) => p.serverId === id(first))).toHaveLength(2);
    expect(openLoadAlerts()).toHaveLength(0);
    await runCycles(1);
    bench.engine.tick(Date.now());
    const [alert] = openLoadAlerts();
    expect(alert).toMatchObject({ subjectId: id(first), state: 'firing' });
    expect(alert!.summary).toContain('refused the connection');
    // Only the refusing server.
    expect(openLoadAlerts()).toHaveLength(1);

    answers.set(id(first), 'ok');
    await runCycles(20);
    bench.engine.tick(Date.now());
    expect(openLoadAlerts()).toHaveLength(0);
    expect(bench.store.alerts.get(alert!.id)).toMatchObject({ state: 'resolved' });
  });
});

describe('the schedule at fleet scale', () => {
  it('spreads the fleet evenly over the interval, each server once a cycle, in wakes of 100 ms at most', async () => {
    const big = makeAlertsBench(600);
    const at: number[] = [];
    const seen = new Map<string, number>();
    const spread = createLoadPoller({
      store: big.store,
      clock: () => Date.now(),
      recipes: defaultRecipeBook,
      exec: (server: StoredServer) => {
        at.push(Date.now() - T0);
        seen.set(server.id, (seen.get(server.id) ?? 0) + 1);
        return Promise.resolve(result(0, report));
      },
      actions: { runAutomatic: () => ({ id: 'never' }) as never, isRunning: () => false },
      emitFleet: () => undefined,
      intervalMs: INTERVAL,
    });
    try {
      spread.start();
      // Two whole cycles (600 slots 50 ms apart in each), the clock kept between two wakes.
      await vi.advanceTimersByTimeAsync(2 * INTERVAL - 25);
      expect(at).toHaveLength(1_200);
      expect([...seen.values()].every((n) => n === 2)).toBe(true);
      const wakes = [...new Set(at)];
      expect(wakes.length).toBeLessThanOrEqual((2 * INTERVAL) / SLOT_GATHER_MS);
      // Evenly: every 100 ms of each cycle starts the same number of polls, give or take one.
      const perWake = wakes.map((w) => at.filter((t) => t === w).length);
      expect(Math.max(...perWake) - Math.min(...perWake)).toBeLessThanOrEqual(1);
      expect(Math.max(...wakes)).toBeGreaterThan(INTERVAL + INTERVAL * 0.9);
    } finally {
      spread.stop();
      big.close();
    }
  });
});
