// Snapshot mode in the host: the switch between the live fleet and a snapshot, the one refusal
// every mutating method gets (generated from the contract), and the confinement of file names.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { methodNames, methods } from '../../src/contract/methods';
import type { EventName } from '../../src/contract/events';
import { openHost } from '../../src/host/app';
import { sampleInputs } from '../helpers/fake-host';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const TAKEN = Date.UTC(2026, 10, 25, 12);
/** The default CPS of a new server (the platform's default draft). */
const CPS_BEFORE = 10;

async function fleetWithSnapshot() {
  const dir = tempDir();
  const app = openTestHost(dir, () => TAKEN);
  const zone = await call(app, 'fleet:create-zone', { name: 'EU', description: '' });
  const server = await call(app, 'fleet:create-server', draft(zone.id, { ip: '127.0.10.1', alias: 'sw1', channels: 500 }));
  const meta = await call(app, 'snapshots:save', { file: 'incident', note: 'before the change' });
  return { dir, app, zone, server, meta };
}

describe('snapshot mode', () => {
  it('refuses every mutating contract method with one message naming the snapshot', async () => {
    const { app, meta } = await fleetWithSnapshot();
    try {
      await call(app, 'snapshots:open', { file: meta.file });
      const mutating = methodNames.filter((m) => methods[m].mutates);
      expect(mutating.length).toBeGreaterThan(10);
      for (const method of mutating) {
        const result = await app.dispatch(method, sampleInputs[method]);
        expect(result, method).toMatchObject({ ok: false, error: { code: 'read-only' } });
        if (!result.ok)
          expect(result.error.message, method).toBe(
            'This is a snapshot taken 2026-11-25 12:00 UTC (incident.snapshot): read-only. Return to the live fleet to change anything.',
          );
      }
      // Queries are not refused for being read-only (they may fail for other reasons, never that one).
      for (const method of methodNames.filter((m) => !methods[m].mutates && m !== 'snapshots:close' && m !== 'snapshots:open')) {
        const result = await app.dispatch(method, sampleInputs[method]);
        if (!result.ok) expect(result.error.code, method).not.toBe('read-only');
      }
    } finally {
      await app.close();
    }
  });

  it('shows the snapshot, then returns to the live fleet untouched', async () => {
    const { app, server, meta } = await fleetWithSnapshot();
    const seen: EventName[] = [];
    app.events.on((name) => seen.push(name));
    try {
      await call(app, 'fleet:update-server', {
        id: server.id,
        draft: { ...draft(server.zoneId, { ip: '127.0.10.1', alias: 'sw1', channels: 500 }), cps: 90 },
      });
      await call(app, 'fleet:create-server', draft(server.zoneId, { ip: '127.0.10.2', alias: 'sw2', channels: 100 }));

      const opened = await call(app, 'snapshots:open', { file: meta.file });
      expect(opened).toMatchObject({ file: 'incident.snapshot', note: 'before the change', counts: { servers: 1 } });
      const info = await call(app, 'app:info', {});
      expect(info).toMatchObject({
        mode: 'snapshot',
        readOnly: true,
        now: TAKEN,
        snapshot: { file: 'incident.snapshot', takenAt: TAKEN, note: 'before the change' },
      });
      const inSnapshot = await call(app, 'fleet:list-servers', {});
      expect(inSnapshot.map((s) => [s.ip, s.cps])).toEqual([['127.0.10.1', CPS_BEFORE]]);
      expect(seen).toContain('app:changed');
      expect(app.background.running).toBe(false);

      // The diff against the live fleet reads the live store, whatever is on show.
      const diff = await call(app, 'snapshots:diff', { a: meta.file, b: 'live' });
      expect(diff.servers.added.map((s) => s.ip)).toEqual(['127.0.10.2']);
      expect(diff.servers.changed).toEqual([{ ip: '127.0.10.1', label: 'sw1', fields: [{ field: 'cps', old: CPS_BEFORE, new: 90 }] }]);

      await call(app, 'snapshots:close', {});
      expect(await call(app, 'app:info', {})).toMatchObject({ mode: 'live', readOnly: false, snapshot: null });
      const live = await call(app, 'fleet:list-servers', {});
      expect(live.map((s) => [s.ip, s.cps])).toEqual([
        ['127.0.10.1', 90],
        ['127.0.10.2', CPS_BEFORE],
      ]);
      // And it is writable again.
      await call(app, 'fleet:create-zone', { name: 'US', description: '' });
    } finally {
      await app.close();
    }
  });

  it('a host started on a snapshot opens no live database and cannot leave the snapshot', async () => {
    const { dir, app, meta } = await fleetWithSnapshot();
    await app.close();
    const elsewhere = tempDir();
    const pinned = openHost({ dataDir: elsewhere, snapshot: path.join(dir, 'snapshots', meta.file), log: () => {} });
    try {
      expect(existsSync(path.join(elsewhere, 'switchyard.db'))).toBe(false);
      expect(await call(pinned, 'app:info', {})).toMatchObject({ mode: 'snapshot', readOnly: true, dataDir: null });
      expect((await call(pinned, 'fleet:list-servers', {})).map((s) => s.alias)).toEqual(['sw1']);
      const close = await pinned.dispatch('snapshots:close', {});
      expect(close).toMatchObject({ ok: false, error: { message: expect.stringMatching(/started on a snapshot/) } });
      expect(pinned.background.running).toBe(false);
    } finally {
      await pinned.close();
    }
  });

  it('opening a file that is not a snapshot leaves the console where it was', async () => {
    const { app } = await fleetWithSnapshot();
    try {
      const result = await app.dispatch('snapshots:open', { file: 'nothing-here.snapshot' });
      expect(result).toMatchObject({ ok: false, error: { code: 'not-found', field: 'file' } });
      expect(await call(app, 'app:info', {})).toMatchObject({ mode: 'live' });
    } finally {
      await app.close();
    }
  });

  it.each(['../switchyard.db', '/etc/passwd', 'snapshots/../../x', '..'])(
    'refuses the path %j from the UI, naming the field',
    async (file) => {
      const { app } = await fleetWithSnapshot();
      try {
        for (const method of ['snapshots:open', 'snapshots:info'] as const) {
          const result = await app.dispatch(method, { file });
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'file' } });
        }
        expect(await app.dispatch('snapshots:save', { file, note: '' })).toMatchObject({ ok: false, error: { field: 'file' } });
      } finally {
        await app.close();
      }
    },
  );

  it('lists saved snapshots newest first, with the reason for a file that is not one', async () => {
    const { dir, app } = await fleetWithSnapshot();
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(dir, 'snapshots', 'junk.snapshot'), 'not a database');
      const list = await call(app, 'snapshots:list', {});
      expect(list.map((e) => e.file).sort()).toEqual(['incident.snapshot', 'junk.snapshot']);
      expect(list.find((e) => e.file === 'junk.snapshot')?.problem).toMatch(/not a SQLite database/);
      expect(list.find((e) => e.file === 'incident.snapshot')?.meta?.note).toBe('before the change');
    } finally {
      await app.close();
    }
  });
});
