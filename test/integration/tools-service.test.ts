import { copyFileSync, chmodSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../src/contract/events';
import type { HostKeyPrompt } from '../../src/contract/ssh-methods';
import type { ToolRunUpdate } from '../../src/contract/tools-methods';
import { openHost, type HostApp } from '../../src/host/app';
import { createLocalRunner, type SpawnTool } from '../../src/services/tools';
import { call, draft } from '../helpers/fleet-fixtures';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';

// The tools service through the contract, as the UI uses it: real ping and mtr on loopback,
// locally and through a real sshd, with updates pushed as events and every run kept.

const tempDir = useTempDirs();
const hosts: HostApp[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.close();
});

interface Opened {
  app: HostApp;
  dataDir: string;
  spawned: string[][];
  seen: { name: EventName; payload: unknown }[];
  updates(runId: string): ToolRunUpdate[];
  finished(runId: string): Promise<ToolRunUpdate>;
  next<E extends EventName>(name: E): Promise<EventPayload<E>>;
}

function open(): Opened {
  const dataDir = tempDir();
  const spawned: string[][] = [];
  const watching: SpawnTool = (command, args, options) => {
    spawned.push([command, ...args]);
    return createLocalSpawn(command, args, options);
  };
  const app = openHost({ dataDir, log: () => {}, sshHomeDir: tempDir(), localToolRunner: createLocalRunner({ spawnTool: watching }) });
  hosts.push(app);
  const seen: Opened['seen'] = [];
  const waiters: { test: (name: EventName, payload: unknown) => boolean; resolve: (payload: unknown) => void }[] = [];
  app.events.on((name, payload) => {
    seen.push({ name, payload });
    for (const w of [...waiters])
      if (w.test(name, payload)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload);
      }
  });
  const waitFor = (test: (name: EventName, payload: unknown) => boolean): Promise<unknown> => {
    const already = seen.find((e) => test(e.name, e.payload));
    return already ? Promise.resolve(already.payload) : new Promise((resolve) => waiters.push({ test, resolve }));
  };
  const updates = (runId: string) =>
    seen
      .filter((e) => e.name === 'tools:run-update' && (e.payload as ToolRunUpdate).runId === runId)
      .map((e) => e.payload as ToolRunUpdate);
  return {
    app,
    dataDir,
    spawned,
    seen,
    updates,
    finished: (runId) =>
      waitFor(
        (n, p) => n === 'tools:run-update' && (p as ToolRunUpdate).runId === runId && (p as ToolRunUpdate).status !== 'running',
      ) as Promise<ToolRunUpdate>,
    next: <E extends EventName>(name: E) => waitFor((n) => n === name) as Promise<EventPayload<E>>,
  };
}

const { spawnTool: createLocalSpawn } = await import('../../src/services/tools/tool-runner');

describe('local runs through the contract', () => {
  it('ping streams replies as events, is kept with its summary, and exports in three forms', async () => {
    const h = open();
    const started = await call(h.app, 'tools:start-ping', { source: 'local', target: '127.0.0.1', params: { count: 4, intervalS: 0.2 } });
    expect(started).toMatchObject({ tool: 'ping', status: 'running', sourceLabel: 'this workstation', target: '127.0.0.1' });
    const last = await h.finished(started.id);
    expect(last).toMatchObject({ status: 'done', error: null });
    const replies = h.updates(started.id).flatMap((u) => u.replies ?? []);
    expect(replies.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    // Throttled, but live: the first update came before the run ended.
    expect(h.updates(started.id).filter((u) => u.status === 'running').length).toBeGreaterThanOrEqual(1);
    expect(h.spawned).toEqual([['ping', '-n', '-c', '4', '-i', '0.2', '127.0.0.1']]);

    const run = await call(h.app, 'tools:get-run', { id: started.id });
    expect(run.status).toBe('done');
    expect(run.ping?.summary).toMatchObject({ sent: 4, received: 4, lossPct: 0 });
    expect(run.rawOutput).toMatch(/^PING 127\.0\.0\.1/);
    expect(run.headline).toMatchObject({ sent: 4, received: 4, lossPct: 0 });
    const [listed] = await call(h.app, 'tools:list-runs', {});
    expect(listed).toMatchObject({ id: started.id, status: 'done', headline: { received: 4 } });

    const csv = await call(h.app, 'tools:export-run', { id: started.id, format: 'csv' });
    expect(csv.text.split('\n')[0]).toBe('seq,from,ttl,rtt_ms,duplicate,error');
    expect(csv.text.trim().split('\n')).toHaveLength(5);
    expect(csv.fileName).toMatch(/^ping-127\.0\.0\.1-\d{8}-\d{4}\.csv$/);
    const json = JSON.parse((await call(h.app, 'tools:export-run', { id: started.id, format: 'json' })).text) as {
      result: { summary: { received: number } };
    };
    expect(json.result.summary.received).toBe(4);
    expect((await call(h.app, 'tools:export-run', { id: started.id, format: 'text' })).text).toBe(run.rawOutput);

    await call(h.app, 'tools:delete-run', { id: started.id });
    expect(await call(h.app, 'tools:list-runs', {})).toEqual([]);
    await expect(call(h.app, 'tools:get-run', { id: started.id })).rejects.toMatchObject({ error: { code: 'not-found' } });
  });

  it('mtr streams the hop table and keeps it', async () => {
    const h = open();
    const started = await call(h.app, 'tools:start-mtr', { source: 'local', target: '127.0.0.1', params: { count: 1 } });
    expect(await h.finished(started.id)).toMatchObject({ status: 'done', hops: [expect.objectContaining({ hop: 1, host: '127.0.0.1' })] });
    const run = await call(h.app, 'tools:get-run', { id: started.id });
    expect(run.mtr?.hops).toEqual([expect.objectContaining({ hop: 1, host: '127.0.0.1', sent: 1, lossPct: 0 })]);
    expect(run.headline).toMatchObject({ hops: 1, lossPct: 0 });
  });

  it('cancel stops a long ping, keeps the replies so far, and a running run cannot be deleted', async () => {
    const h = open();
    const started = await call(h.app, 'tools:start-ping', { source: 'local', target: '127.0.0.1', params: { count: 500, intervalS: 0.2 } });
    await expect(call(h.app, 'tools:delete-run', { id: started.id })).rejects.toMatchObject({ error: { code: 'conflict' } });
    await expect.poll(() => h.updates(started.id).flatMap((u) => u.replies ?? []).length).toBeGreaterThanOrEqual(2);
    expect(await call(h.app, 'tools:cancel', { id: started.id })).toEqual({ cancelled: true });
    expect(await h.finished(started.id)).toMatchObject({ status: 'cancelled' });
    const run = await call(h.app, 'tools:get-run', { id: started.id });
    expect(run.status).toBe('cancelled');
    expect(run.ping?.replies.length).toBeGreaterThanOrEqual(2);
    expect(run.ping?.replies.length).toBeLessThan(100);
    expect(await call(h.app, 'tools:cancel', { id: started.id })).toEqual({ cancelled: false });
  });

  it('a missing tool fails the run with the install hint', async () => {
    const dataDir = tempDir();
    const app = openHost({
      dataDir,
      log: () => {},
      sshHomeDir: tempDir(),
      localToolRunner: createLocalRunner({ env: { PATH: '/nonexistent' } }),
    });
    hosts.push(app);
    const done = new Promise<ToolRunUpdate>((resolve) =>
      app.events.on((name, p) => {
        if (name === 'tools:run-update' && (p as ToolRunUpdate).status !== 'running') resolve(p as ToolRunUpdate);
      }),
    );
    await call(app, 'tools:start-mtr', { source: 'local', target: '127.0.0.1' });
    expect((await done).error).toMatch(/^mtr is not installed.*apt-get install mtr-tiny/);
  });
});

describe('hostile input through the contract', () => {
  it('refuses bad targets and parameters before anything is spawned or connected', async () => {
    const h = open();
    // A fleet server whose SSH points at a listener that counts connections: none may arrive.
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const zone = await call(h.app, 'fleet:create-zone', { name: 'EU', description: '' });
    const server = await call(
      h.app,
      'fleet:create-server',
      draft(zone.id, {
        ip: '127.0.0.9',
        alias: 'trap',
        ssh: { host: '127.0.0.1', port, user: 'root', auth: 'agent', keyPath: null, jumpHost: null },
      }),
    );
    try {
      for (const source of ['local', server.id]) {
        for (const target of [';reboot', '$(id)', '-f', '127.0.0.1\nid', "a'b", 'a b', `${'a'.repeat(63)}.`.repeat(5), '']) {
          for (const method of ['tools:start-ping', 'tools:start-mtr'] as const) {
            const result = await h.app.dispatch(method, { source, target });
            expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'target' } });
          }
        }
        const badCount = await h.app.dispatch('tools:start-ping', { source, target: '127.0.0.1', params: { count: 0 } });
        expect(badCount).toMatchObject({
          ok: false,
          error: { code: 'invalid-input', field: 'params', message: expect.stringMatching(/count/) },
        });
        const extra = await h.app.dispatch('tools:start-ping', { source, target: '127.0.0.1', params: { count: 1, flags: '-f' } });
        expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      }
      const unknownSource = await h.app.dispatch('tools:start-ping', { source: 'no-such-server', target: '127.0.0.1' });
      expect(unknownSource).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'source' } });
      expect(h.spawned).toEqual([]);
      expect(connections).toBe(0);
      expect(await call(h.app, 'tools:list-runs', {})).toEqual([]);
    } finally {
      listener.close();
    }
  });
});

describe('runs from a fleet server through a real sshd', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  async function fleetServer(h: Opened): Promise<string> {
    const key = path.join(tempDir(), 'id_ed25519');
    copyFileSync(fixture('user_ed25519'), key);
    chmodSync(key, 0o600);
    const zone = await call(h.app, 'fleet:create-zone', { name: 'EU', description: '' });
    const server = await call(
      h.app,
      'fleet:create-server',
      draft(zone.id, {
        ip: '127.0.0.1',
        alias: 'eu-sw1',
        ssh: { host: '127.0.0.1', port: sshd.port, user: TEST_USER, auth: 'key', keyPath: key, jumpHost: null },
      }),
    );
    return server.id;
  }

  it('asks for the unknown host key, runs ping there once accepted, and files the key', async () => {
    const h = open();
    const source = await fleetServer(h);
    const prompted = h.next('ssh:host-key-prompt');
    const started = await call(h.app, 'tools:start-ping', { source, target: '127.0.0.2', params: { count: 3, intervalS: 0.2 } });
    expect(started.sourceLabel).toBe('eu-sw1 (127.0.0.1)');
    const prompt: HostKeyPrompt = await prompted;
    expect(prompt).toMatchObject({ host: '127.0.0.1', port: sshd.port, fingerprint: expect.stringMatching(/^SHA256:/) });
    expect(await call(h.app, 'ssh:list-host-key-prompts', {})).toEqual([prompt]);
    expect(await call(h.app, 'ssh:answer-host-key', { promptId: prompt.promptId, accept: true })).toEqual({ answered: true });
    expect(await h.finished(started.id)).toMatchObject({ status: 'done' });
    const run = await call(h.app, 'tools:get-run', { id: started.id });
    expect(run.ping?.summary).toMatchObject({ sent: 3, received: 3 });
    expect(h.spawned).toEqual([]);
    expect(readFileSync(path.join(h.dataDir, 'known_hosts'), 'utf8')).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} `));

    // The key is on file now and the connection pooled: mtr runs without asking again.
    const mtr = await call(h.app, 'tools:start-mtr', { source, target: '127.0.0.1', params: { count: 1 } });
    expect(await h.finished(mtr.id)).toMatchObject({ status: 'done', hops: [expect.objectContaining({ host: '127.0.0.1' })] });
    expect(h.seen.filter((e) => e.name === 'ssh:host-key-prompt')).toHaveLength(1);
  });

  it('a refused host key fails the run and nothing is filed', async () => {
    const h = open();
    const source = await fleetServer(h);
    const prompted = h.next('ssh:host-key-prompt');
    const started = await call(h.app, 'tools:start-ping', { source, target: '127.0.0.1', params: { count: 1 } });
    const prompt = await prompted;
    await call(h.app, 'ssh:answer-host-key', { promptId: prompt.promptId, accept: false });
    const last = await h.finished(started.id);
    expect(last).toMatchObject({ status: 'failed', error: expect.stringMatching(/refused; nothing was run/) });
    expect(await h.next('ssh:host-key-settled')).toEqual({ promptId: prompt.promptId, outcome: 'refused' });
    expect(await call(h.app, 'ssh:answer-host-key', { promptId: prompt.promptId, accept: true })).toEqual({ answered: false });
  });
});
