import { execFileSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { call, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { call as callWeb, startFixture, type Fixture } from '../helpers/web-client';

// Issue 16 item 7: 40 `tools:start-ping` calls ran 21 `ping` processes at once, and request bodies
// of 64 MiB were accepted with no bound on how many at a time. Real `ping` processes here, and
// raw sockets holding real half-sent requests open against the real web host.

const tempDir = useTempDirs();
const hosts: HostApp[] = [];
const fixtures: Fixture[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const app of hosts.splice(0)) {
    for (const run of await call(app, 'tools:list-runs', {}))
      if (run.status === 'running') await call(app, 'tools:cancel', { id: run.id }).catch(() => undefined);
    app.close();
  }
  for (const fx of fixtures.splice(0)) await fx.close();
});

/** `ping` processes that are children of this test process (the local runner spawns them). */
function pingChildren(): number {
  const table = execFileSync('ps', ['-e', '-o', 'ppid=,stat=,comm='], { encoding: 'utf8' });
  return table.split('\n').filter((line) => {
    const [ppid, stat, comm] = line.trim().split(/\s+/);
    return Number(ppid) === process.pid && comm === 'ping' && !stat?.startsWith('Z');
  }).length;
}

describe('tool runs at once', () => {
  it('refuses the run past the setting with a clear message, and starts again once runs end', async () => {
    const app = openTestHost(tempDir());
    hosts.push(app);
    expect((await call(app, 'settings:get', {})).maxConcurrentToolRuns).toBe(8);

    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () =>
        app.dispatch('tools:start-ping', { source: 'local', target: '127.0.0.1', params: { count: 100, intervalS: 0.2 } }),
      ),
    );
    const started = outcomes.filter((o) => o.ok);
    const refused = outcomes.flatMap((o) => (o.ok ? [] : [o.error]));
    expect(started).toHaveLength(8);
    expect(refused).toHaveLength(32);
    expect(refused[0]).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already has its 8 ping and MTR runs going at once \(the limit set in Settings → Tools\)/),
    });
    await until('the ping processes to start', () => pingChildren() >= 8);
    expect(pingChildren()).toBe(8);

    // Lowered below what is running: nothing is killed, but nothing new starts.
    await call(app, 'settings:update', { maxConcurrentToolRuns: 2 });
    expect((await app.dispatch('tools:start-mtr', { source: 'local', target: '127.0.0.1', params: { count: 1 } })).ok).toBe(false);
    for (const run of await call(app, 'tools:list-runs', {})) if (run.status === 'running') await call(app, 'tools:cancel', { id: run.id });
    await until('the cancelled pings to exit', () => pingChildren() === 0);
    await until('the runs to be settled', async () => (await call(app, 'tools:list-runs', {})).every((r) => r.status !== 'running'));

    const again = await Promise.all(
      Array.from({ length: 3 }, () =>
        app.dispatch('tools:start-ping', { source: 'local', target: '127.0.0.1', params: { count: 100, intervalS: 0.2 } }),
      ),
    );
    expect(again.map((o) => o.ok)).toEqual([true, true, false]);
  });

  it('refuses a limit out of range naming the field, and keeps the one it had', async () => {
    const app = openTestHost(tempDir());
    hosts.push(app);
    for (const bad of [0, 65, 2.5]) {
      const result = await app.dispatch('settings:update', { maxConcurrentToolRuns: bad });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'maxConcurrentToolRuns' } });
    }
    expect((await call(app, 'settings:get', {})).maxConcurrentToolRuns).toBe(8);
  });
});

describe('request bodies at once', () => {
  /** A call whose headers promise a 64 MiB body, of which only the start is sent. */
  function holdLargeBody(port: number, token: string): Socket {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      `POST /api/call HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n{"method":"app:info","input":{"pad":"`,
    );
    sockets.push(socket);
    return socket;
  }

  it('refuses a body past the budget with 503 while four 64 MiB bodies are arriving, and serves again after', async () => {
    const fx = await startFixture();
    fixtures.push(fx);
    const { port, token } = fx.host;
    const small = { method: 'app:info', input: {} };
    expect((await callWeb(port, token, small)).status).toBe(200);

    const held = Array.from({ length: 4 }, () => holdLargeBody(port, token));
    const refused = await until('the budget to be full', async () => {
      const reply = await callWeb(port, token, small);
      return reply.status === 503 ? reply : null;
    });
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body)).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'body', message: expect.stringContaining('at most 256 MiB at once') },
    });

    // One sender hangs up: its reservation comes back and calls are served again.
    held[0]?.destroy();
    await until('a call to be served again', async () => (await callWeb(port, token, small)).status === 200);
    expect((await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
