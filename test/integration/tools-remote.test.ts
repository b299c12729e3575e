import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import { connect, type SshConnection } from '../../src/services/ssh/connect';
import { exec } from '../../src/services/ssh/exec';
import { createRemoteRunner, runMtr, runPing, ToolError, type RemoteExec } from '../../src/services/tools';
import { clientSetup, keyTarget, type ClientSetup } from '../helpers/ssh-client';
import { startSshd, type Sshd } from '../helpers/sshd';

// The same runs through a real sshd on loopback, as the unprivileged test user: same argv, same
// parsers, only the transport differs. ping and mtr-packet carry cap_net_raw, so they work there.
let sshd: Sshd;
let client: ClientSetup;
let conn: SshConnection;

/** exec on the shared connection, recording every argv that reached SSH. */
function recordingExec(calls: string[][]): RemoteExec {
  return (argv, options) => {
    calls.push([...argv]);
    return exec(conn, argv, options);
  };
}

beforeAll(async () => {
  sshd = await startSshd();
  client = clientSetup('accept');
  conn = await connect(keyTarget('127.0.0.1', sshd.port), client.options());
});
afterAll(async () => {
  conn?.close();
  await sshd?.stop();
  client?.cleanup();
});

describe.concurrent('ping and mtr from a server, over SSH', () => {
  it('ping runs remotely with the same argv behind `env LC_ALL=C`, replies streamed', async () => {
    const calls: string[][] = [];
    const seen: number[] = [];
    const run = await runPing({
      target: '127.0.0.2',
      params: { count: 3, intervalS: 0.2 },
      runner: createRemoteRunner(recordingExec(calls), conn.label),
      onReply: (r) => seen.push(r.seq ?? -1),
    });
    expect(calls).toEqual([['env', 'LC_ALL=C', 'ping', '-n', '-c', '3', '-i', '0.2', '127.0.0.2']]);
    expect(seen).toEqual([1, 2, 3]);
    expect(run.status).toBe('done');
    expect(run.result.summary).toMatchObject({ sent: 3, received: 3, lossPct: 0 });
  });

  it('mtr --raw runs remotely and gives the same hop table', async () => {
    const run = await runMtr({ target: '127.0.0.1', params: { count: 1 }, runner: createRemoteRunner(recordingExec([]), conn.label) });
    expect(run.status).toBe('done');
    expect(run.result.hops).toEqual([expect.objectContaining({ hop: 1, host: '127.0.0.1', sent: 1, lossPct: 0 })]);
  });

  it('cancel stops the remote ping and settles with the replies so far', async () => {
    const controller = new AbortController();
    const run = await runPing({
      target: '127.0.0.1',
      params: { count: 1000, intervalS: 0.2 },
      runner: createRemoteRunner(recordingExec([]), conn.label),
      signal: controller.signal,
      onReply: (r) => {
        if (r.seq === 2) controller.abort();
      },
    });
    expect(run.status).toBe('cancelled');
    expect(run.result.replies.length).toBeGreaterThanOrEqual(2);
    expect(run.result.replies.length).toBeLessThan(20);
  });

  it('a tool missing on the server (exit 127 from env) gives the install hint', async () => {
    const calls: string[][] = [];
    // The server's real env, asked for a program that is not there: the exit 127 path, for real.
    const missing: RemoteExec = (argv, options) =>
      recordingExec(calls)(
        argv.map((a) => (a === 'mtr' ? 'switchyard-no-such-mtr' : a)),
        options,
      );
    const error = await runMtr({ target: '127.0.0.1', params: { count: 1 }, runner: createRemoteRunner(missing, conn.label) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toMatch(/^mtr is not installed.*apt-get install mtr-tiny/);
  });

  it('hostile targets never reach SSH', async () => {
    const calls: string[][] = [];
    const runner = createRemoteRunner(recordingExec(calls), conn.label);
    for (const target of [';reboot', '$(id)', '-f', '127.0.0.1\nid', "a'b"]) {
      await expect(runPing({ target, runner })).rejects.toBeInstanceOf(DomainError);
      await expect(runMtr({ target, runner })).rejects.toBeInstanceOf(DomainError);
    }
    expect(calls).toEqual([]);
  });
});
