// A snapshot is not opened while a run against the live fleet is still going: its last writes
// would go to the read-only snapshot and be lost. A real ping on loopback stands for the run.
// And while a snapshot is shown, a tool run is read from the snapshot's stored record alone.
import { afterEach, describe, expect, it } from 'vitest';
import { openHost, type HostApp } from '../../src/host/app';
import { Background } from '../../src/host/background';
import { EventBus } from '../../src/host/event-bus';
import { SessionSwitch } from '../../src/host/snapshot-session';
import { createSessionStore } from '../../src/host/session-store';
import { openStore, type Store } from '../../src/services/store/store';
import { createToolsService } from '../../src/services/tools/tools-service';
import { call } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const tempDir = useTempDirs();
const hosts: HostApp[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const app of hosts.splice(0)) await app.close();
  for (const store of stores.splice(0)) store.close();
});

describe('opening a snapshot while runs are going', () => {
  it('is refused with the runs named, and succeeds once they are cancelled, their records intact', async () => {
    const app = openHost({ dataDir: tempDir(), log: () => {} });
    hosts.push(app);
    const meta = await call(app, 'snapshots:save', { file: 'quiet', note: '' });
    const run = await call(app, 'tools:start-ping', { source: 'local', target: '127.0.0.1', params: { count: 30, intervalS: 0.2 } });
    await until('a first reply', async () => ((await call(app, 'tools:get-run', { id: run.id })).ping?.replies.length ?? 0) > 0);

    const refused = await app.dispatch('snapshots:open', { file: meta.file });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('conflict');
    expect(refused.error.message).toBe('1 run is still going (ping to 127.0.0.1): wait for it or cancel it, then open the snapshot.');
    // The console stayed where it was, and the run goes on.
    expect(app.info().mode).toBe('live');
    expect((await call(app, 'tools:get-run', { id: run.id })).status).toBe('running');

    expect(await call(app, 'tools:cancel', { id: run.id })).toEqual({ cancelled: true });
    const ended = await until('the cancelled run stored', async () => {
      const r = await call(app, 'tools:get-run', { id: run.id });
      return r.status === 'running' ? null : r;
    });
    expect(ended.status).toBe('cancelled');

    await call(app, 'snapshots:open', { file: meta.file });
    expect(app.info().mode).toBe('snapshot');
    // The quiet snapshot predates the run.
    expect((await app.dispatch('tools:get-run', { id: run.id })).ok).toBe(false);
    await call(app, 'snapshots:close', {});

    const back = await call(app, 'tools:get-run', { id: run.id });
    expect(back).toEqual(ended);
    expect(back.rawOutput).toContain('127.0.0.1');
    expect(back.endedAt).not.toBeNull();
  });
});

describe('the refusal', () => {
  it('names every run going, in the plural, before the file is even looked at', async () => {
    const live = openStore({ file: ':memory:' });
    stores.push(live);
    let going = ['ping to 127.0.0.1', 'Restart on 3 servers'];
    const sessions = new SessionSwitch({
      live,
      bus: new EventBus(),
      background: new Background(false, () => {}),
      clock: Date.now,
      busy: () => going,
    });
    await expect(sessions.open('/nonexistent/never-read.snapshot')).rejects.toThrow(
      '2 runs are still going (ping to 127.0.0.1, Restart on 3 servers): wait for them or cancel them, then open the snapshot.',
    );
    expect(sessions.snapshot).toBeNull();
    // Idle: the same call goes on to the file, which is what fails now.
    going = [];
    await expect(sessions.open('/nonexistent/never-read.snapshot')).rejects.not.toThrow(/still going/);
  });
});

describe('a tool run read while a snapshot is shown', () => {
  it("comes from the snapshot's record only, never mixed with the live run of the same id", async () => {
    const live = openStore({ file: ':memory:' });
    const snapshot = openStore({ file: ':memory:' });
    stores.push(live, snapshot);
    let shown = live;
    const tools = createToolsService({
      store: createSessionStore(() => shown),
      clock: Date.now,
      emit: () => {},
      serverById: () => null,
      remoteRunner: () => {
        throw new Error('no servers here');
      },
      liveShown: () => shown === live,
    });
    const run = tools.startPing({ source: 'local', target: '127.0.0.1', params: { count: 30, intervalS: 0.2 } });
    try {
      await until('replies in the live run', () => (tools.get(run.id).ping?.replies.length ?? 0) > 1);
      // The snapshot holds the run as it was stored when it was saved: going, nothing kept yet.
      const stored = live.toolRuns.get(run.id);
      if (!stored) throw new Error('the run was not stored');
      snapshot.toolRuns.insert(stored);

      shown = snapshot;
      const fromSnapshot = tools.get(run.id);
      expect(fromSnapshot.status).toBe('running');
      expect(fromSnapshot.rawOutput).toBe('');
      expect(fromSnapshot.ping?.replies ?? []).toEqual([]);

      shown = live;
      expect(tools.get(run.id).ping?.replies.length ?? 0).toBeGreaterThan(1);
    } finally {
      tools.cancel(run.id);
      await tools.settled(run.id);
    }
  });
});
