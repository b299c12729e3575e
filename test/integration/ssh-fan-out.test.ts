import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFanOut, type FanOutEvent, type RunOutcome } from '../../src/services/actions/fan-out';
import { connect } from '../../src/services/ssh/connect';
import { createSshPool, type SshPool } from '../../src/services/ssh/pool';
import type { SshTarget } from '../../src/services/ssh/ssh-target';
import { clientSetup, keyTarget, type ClientSetup } from '../helpers/ssh-client';
import { hostPublicKey, startSshd, type Sshd } from '../helpers/sshd';

// Twenty servers, 127.0.0.2 … 127.0.0.21, all served by real sshd processes (16 listen sockets
// each at most, so two of them on one port). The command fails on one chosen address, read from
// $SSH_CONNECTION, so "one server fails" is decided by the server side, not by the test's runner.

const ADDRESSES = Array.from({ length: 20 }, (_, i) => `127.0.0.${i + 2}`);
let sshd: Sshd;
let client: ClientSetup;
let pool: SshPool;
let targets: SshTarget[] = [];

beforeAll(async () => {
  sshd = await startSshd({ addresses: ADDRESSES, hostKeys: ['ed25519'] });
  client = clientSetup('refuse');
  // One wildcard line covers the twenty addresses: no prompt, and a wrong key would still fail.
  const { keyType, key } = hostPublicKey('ed25519');
  mkdirSync(path.dirname(client.appKnownHosts), { recursive: true });
  writeFileSync(client.appKnownHosts, `[127.0.0.*]:${sshd.port} ${keyType} ${key}\n`);
  targets = ADDRESSES.map((address) => keyTarget(address, sshd.port, { id: `srv-${address}` }));
  pool = createSshPool({ max: 20, idleMs: 30_000, open: (target) => connect(target, client.options()) });
});
afterAll(async () => {
  pool?.closeAll();
  await sshd?.stop();
  client?.cleanup();
});

function fanOut(options: { concurrency: number; canary: boolean; stopOnFailure: boolean; failOn: string | null }) {
  let inFlight = 0;
  let maxInFlight = 0;
  const order: string[] = [];
  const events: FanOutEvent<SshTarget>[] = [];
  const script = `set -- $SSH_CONNECTION; echo "on $3"; sleep 0.3; if [ "$3" = "${options.failOn ?? 'none'}" ]; then echo failing >&2; exit 3; fi; echo ok`;
  const run = async (target: SshTarget, signal: AbortSignal, output: (chunk: string) => void): Promise<RunOutcome> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    order.push(`start ${target.host}`);
    try {
      const result = await pool.exec(target, ['sh', '-c', script], { signal, onStdout: output, onStderr: output, timeoutMs: 20_000 });
      return { ok: result.code === 0, code: result.code, output: result.stdout + result.stderr };
    } finally {
      order.push(`end ${target.host}`);
      inFlight--;
    }
  };
  const done = runFanOut({
    targets: [...targets],
    concurrency: options.concurrency,
    canary: options.canary,
    stopOnFailure: options.stopOnFailure,
    run,
    onEvent: (e) => events.push(e),
  });
  return { done, stats: () => ({ maxInFlight, order, events }) };
}

describe('fan-out to 20 servers over real SSH', () => {
  it('runs the canary alone first, then the rest, never more than the limit at once', async () => {
    const { done, stats } = fanOut({ concurrency: 5, canary: true, stopOnFailure: false, failOn: null });
    const result = await done;
    const { maxInFlight, order, events } = stats();
    expect(result.progress).toMatchObject({ total: 20, done: 20, failed: 0, skipped: 0, remaining: 0 });
    expect(maxInFlight).toBe(5);
    expect(order.slice(0, 2)).toEqual(['start 127.0.0.2', 'end 127.0.0.2']);
    // Each server's own output came back as it streamed, tagged with that server.
    const outputs = events.filter((e) => e.type === 'output');
    expect(outputs.some((e) => e.type === 'output' && e.target.host === '127.0.0.14' && e.chunk.includes('on 127.0.0.14'))).toBe(true);
    for (const r of result.results) expect(r.outcome?.output).toBe(`on ${r.target.host}\nok\n`);
  });

  it('stop-on-failure: running ones finish, no more start, the rest are skipped', async () => {
    const { done, stats } = fanOut({ concurrency: 4, canary: false, stopOnFailure: true, failOn: '127.0.0.7' });
    const result = await done;
    const { maxInFlight, order } = stats();
    const failing = result.results.find((r) => r.target.host === '127.0.0.7');
    expect(failing).toMatchObject({ state: 'failed', outcome: { code: 3 } });
    expect(result.stoppedBy).toBe('stop-on-failure');
    expect(maxInFlight).toBeLessThanOrEqual(4);
    const started = order.filter((o) => o.startsWith('start')).length;
    // Nothing starts after the failure; the ones already running were allowed to end.
    const failedAt = order.indexOf('end 127.0.0.7');
    expect(order.slice(failedAt).filter((o) => o.startsWith('start'))).toEqual([]);
    expect(result.results.filter((r) => r.state === 'running')).toEqual([]);
    expect(result.progress.skipped).toBe(20 - started);
    expect(result.results.filter((r) => r.state === 'skipped').every((r) => r.skippedBecause === 'stop-on-failure')).toBe(true);
    expect(result.progress.running).toBe(0);
  });

  it('a failing canary stops everything: one ran, nineteen skipped', async () => {
    const { done, stats } = fanOut({ concurrency: 10, canary: true, stopOnFailure: false, failOn: '127.0.0.2' });
    const result = await done;
    expect(result.stoppedBy).toBe('canary-failed');
    expect(result.progress).toMatchObject({ failed: 1, done: 0, skipped: 19 });
    expect(stats().order).toEqual(['start 127.0.0.2', 'end 127.0.0.2']);
  });

  it('cancel stops the running commands and skips the rest', async () => {
    const controller = new AbortController();
    const script = 'echo started; exec sleep 30';
    const t0 = Date.now();
    const result = await runFanOut({
      targets: targets.slice(0, 8),
      concurrency: 3,
      signal: controller.signal,
      run: async (target, signal, output) => {
        const running = pool.exec(target, ['sh', '-c', script], { signal, onStdout: (c) => (output(c), controller.abort()) });
        const r = await running;
        return { ok: r.code === 0, code: r.code, output: r.stdout };
      },
    });
    expect(result.stoppedBy).toBe('cancelled');
    // Cancelled within the stop grace period, not after the 30 s commands would have taken.
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(result.progress.cancelled).toBeGreaterThanOrEqual(1);
    expect(result.progress.cancelled + result.progress.skipped).toBe(8);
  });
});
