import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MtrHop } from '../../src/domain/mtr';
import { createLocalRunner, runMtr, runPing, ToolError, type ToolExit } from '../../src/services/tools';
import { useTempDirs } from '../helpers/temp-dir';
import { isGone, watchedSpawn } from '../helpers/watched-spawn';

const tempDir = useTempDirs();

/** ::1 answers only where IPv6 is enabled on loopback; say so instead of failing elsewhere. */
function ipv6Unavailable(): string | null {
  try {
    execFileSync('ping', ['-n', '-6', '-c', '1', '-W', '1', '::1'], { stdio: 'ignore' });
    return null;
  } catch {
    return '::1 does not answer ping here (IPv6 disabled on loopback)';
  }
}
const noIpv6 = ipv6Unavailable();
if (noIpv6) console.log(`skipping the ::1 cases: ${noIpv6}`);

async function expectToolError(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe('ping, run locally', () => {
  it('streams each reply while ping is still running, then gives the parsed summary', async () => {
    const { spawn, started } = watchedSpawn();
    const arrivals: number[] = [];
    const run = await runPing({
      target: '127.0.0.1',
      params: { count: 4, intervalS: 0.2 },
      runner: createLocalRunner({ spawnTool: spawn }),
      onReply: (reply, soFar) => {
        arrivals.push(performance.now());
        expect(soFar.received).toBe(reply.seq);
      },
    });
    expect(started.map((s) => s.argv)).toEqual([['ping', '-n', '-c', '4', '-i', '0.2', '127.0.0.1']]);
    expect(run.status).toBe('done');
    expect(run.exitCode).toBe(0);
    expect(run.result.replies.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(run.result.summary).toMatchObject({ sent: 4, received: 4, lossPct: 0 });
    expect(run.result.summary.avgMs).toBeGreaterThan(0);
    expect(run.raw).toMatch(/^PING 127\.0\.0\.1/);
    // The first reply was in our hands at least one interval before ping exited.
    const exitedAt = started[0]?.exitedAt ?? 0;
    expect(arrivals).toHaveLength(4);
    expect(exitedAt - (arrivals[0] ?? Infinity)).toBeGreaterThan(400);
  });

  it('reaches 127.0.0.2 too, and agrees with fping on what answered', async () => {
    const run = await runPing({ target: '127.0.0.2', params: { count: 3, intervalS: 0.2 }, runner: createLocalRunner() });
    expect(run.result.summary).toMatchObject({ sent: 3, received: 3, lossPct: 0 });
    expect(run.result.replies.every((r) => r.from === '127.0.0.2')).toBe(true);
    // fping is an independent implementation: through the same runner, it must see the same.
    const lines: string[] = [];
    const exit: ToolExit = await createLocalRunner().run(['fping', '-C', '3', '-p', '200', '-q', '127.0.0.1', '127.0.0.2'], {
      onLine: (l) => lines.push(l),
    });
    expect(exit.code).toBe(0);
    const perTarget = exit.stderr
      .trim()
      .split('\n')
      .map((l) => l.split(':').map((s) => s.trim()));
    expect(perTarget.map(([host]) => host)).toEqual(['127.0.0.1', '127.0.0.2']);
    for (const [, times] of perTarget) expect(times?.split(/\s+/).filter((t) => t !== '-')).toHaveLength(3);
  });

  it.skipIf(noIpv6 !== null)('pings ::1 with -6', async () => {
    const run = await runPing({ target: '::1', params: { count: 2, intervalS: 0.2 }, runner: createLocalRunner() });
    expect(run.argv).toEqual(['ping', '-n', '-c', '2', '-i', '0.2', '-6', '::1']);
    expect(run.result.summary).toMatchObject({ sent: 2, received: 2 });
  });

  it('cancels: the child is killed and reaped before the run settles, with the replies so far', async () => {
    const { spawn, started } = watchedSpawn();
    const controller = new AbortController();
    const t0 = performance.now();
    const run = await runPing({
      target: '127.0.0.1',
      params: { count: 1000, intervalS: 0.2 },
      runner: createLocalRunner({ spawnTool: spawn }),
      signal: controller.signal,
      onReply: (reply) => {
        if (reply.seq === 2) controller.abort();
      },
    });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(run.status).toBe('cancelled');
    expect(run.exitCode).toBeNull();
    expect(run.result.replies.length).toBeGreaterThanOrEqual(2);
    expect(run.result.replies.length).toBeLessThan(10);
    const pid = started[0]?.pid;
    expect(pid).toBeTypeOf('number');
    expect(started[0]?.exitedAt).toBeTypeOf('number');
    expect(isGone(pid ?? 0)).toBe(true);
  });

  it('does not start anything when the signal is already aborted', async () => {
    const { spawn, started } = watchedSpawn();
    const run = await runPing({ target: '127.0.0.1', runner: createLocalRunner({ spawnTool: spawn }), signal: AbortSignal.abort() });
    expect(run.status).toBe('cancelled');
    expect(started).toEqual([]);
  });

  it('says how to install ping when PATH lacks it', async () => {
    const runner = createLocalRunner({ env: { PATH: tempDir() } });
    const error = await expectToolError(runPing({ target: '127.0.0.1', runner }));
    expect(error.kind).toBe('missing');
    expect(error.message).toMatch(/^ping is not installed.*apt-get install iputils-ping/);
  });

  it('says ping needs cap_net_raw or setuid when its socket is refused', async () => {
    const bin = tempDir();
    // Stands in for a ping binary that lost its capability: same message, same exit code.
    writeFileSync(path.join(bin, 'ping'), '#!/bin/sh\necho "ping: socket: Operation not permitted" >&2\nexit 2\n');
    chmodSync(path.join(bin, 'ping'), 0o755);
    const error = await expectToolError(runPing({ target: '127.0.0.1', runner: createLocalRunner({ env: { PATH: bin } }) }));
    expect(error.kind).toBe('permission');
    expect(error.message).toMatch(/cap_net_raw/);
    expect(error.message).toMatch(/setuid/);
    expect(error.message).toMatch(/Operation not permitted/);
  });

  it('reports a binary that may not be executed', async () => {
    const bin = tempDir();
    writeFileSync(path.join(bin, 'ping'), 'not a program\n');
    chmodSync(path.join(bin, 'ping'), 0o644);
    const error = await expectToolError(runPing({ target: '127.0.0.1', runner: createLocalRunner({ env: { PATH: bin } }) }));
    expect(error.kind).toBe('permission');
    expect(error.message).toMatch(/EACCES/);
  });
});

// mtr waits its grace time (about 5 s) after the last probe: these runs go side by side.
describe.concurrent('mtr, run locally', () => {
  it('streams hop updates from --raw before mtr exits, and folds them into the final table', async () => {
    const { spawn, started } = watchedSpawn();
    const updates: { at: number; hops: MtrHop[] }[] = [];
    const run = await runMtr({
      target: '127.0.0.1',
      params: { count: 2 },
      runner: createLocalRunner({ spawnTool: spawn }),
      onHops: (hops) => updates.push({ at: performance.now(), hops }),
    });
    expect(started[0]?.argv).toEqual(['mtr', '-n', '--raw', '-c', '2', '-m', '30', '127.0.0.1']);
    expect(run.status).toBe('done');
    expect(updates.length).toBeGreaterThan(1);
    expect(updates[0]?.at).toBeLessThan(started[0]?.exitedAt ?? 0);
    expect(run.result.hops).toHaveLength(1);
    expect(run.result.hops[0]).toMatchObject({ hop: 1, host: '127.0.0.1', sent: 2, lossPct: 0 });
    expect(run.result.hops[0]?.avgMs).toBeGreaterThan(0);
    expect(run.raw).toMatch(/^x 0 \d+$/m);
  });

  it('reads the --json report of a run to 127.0.0.2', async () => {
    const run = await runMtr({ target: '127.0.0.2', params: { count: 2 }, mode: 'json', runner: createLocalRunner() });
    expect(run.status).toBe('done');
    expect(run.result.hops).toEqual([expect.objectContaining({ hop: 1, host: '127.0.0.2', sent: 2, lossPct: 0 })]);
    for (const key of ['lastMs', 'avgMs', 'bestMs', 'worstMs', 'stddevMs'] as const) expect(run.result.hops[0]?.[key]).toBeTypeOf('number');
  });

  it.skipIf(noIpv6 !== null)('traces ::1 with -6', async () => {
    const run = await runMtr({ target: '::1', params: { count: 1 }, runner: createLocalRunner() });
    expect(run.argv).toContain('-6');
    expect(run.result.hops[0]).toMatchObject({ host: '::1', sent: 1 });
  });

  it('cancels mtr and reaps it', async () => {
    const { spawn, started } = watchedSpawn();
    const controller = new AbortController();
    const run = await runMtr({
      target: '127.0.0.1',
      params: { count: 100 },
      runner: createLocalRunner({ spawnTool: spawn }),
      signal: controller.signal,
      onHops: (_hops, change) => {
        if (change.kind === 'reply') controller.abort();
      },
    });
    expect(run.status).toBe('cancelled');
    expect(run.result.hops[0]?.host).toBe('127.0.0.1');
    expect(isGone(started[0]?.pid ?? 0)).toBe(true);
  });

  it('says how to install mtr when PATH lacks it', async () => {
    const error = await expectToolError(runMtr({ target: '127.0.0.1', runner: createLocalRunner({ env: { PATH: tempDir() } }) }));
    expect(error.message).toMatch(/^mtr is not installed.*apt-get install mtr-tiny/);
  });
});
