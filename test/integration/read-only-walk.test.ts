// Every method of the contract, called with a valid input on a `--read-only` host over a real
// fleet: nothing in the data folder changes (files by hash, the database by its logical content,
// since a WAL database's -wal and -shm files change on reads), no process is started and no
// connection is opened. Which methods a read-only host refuses is decided in the contract
// (`mutates` and `effects`, src/contract/spec.ts); this walk is what holds the contract to it.
import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedOnReadOnlyHost } from '../../src/contract/spec';
import { methodNames, methods, type MethodName } from '../../src/contract/methods';
import { DATABASE_FILE, openHost, type HostApp } from '../../src/host/app';
import { sampleInputs } from '../helpers/fake-host';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const tempDir = useTempDirs();

/** Files of the data folder by content; the live database and its WAL companions are compared logically instead. */
function filesState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      const rel = path.relative(dir, full);
      if (rel === DATABASE_FILE || rel === `${DATABASE_FILE}-wal` || rel === `${DATABASE_FILE}-shm`) continue;
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else out[rel] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Every row of every table, through a separate read-only connection (which sees what is committed). */
function databaseState(dir: string): string {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    const hash = createHash('sha256');
    for (const { name } of tables) {
      // Rows sorted as text: some tables are WITHOUT ROWID, and order is not content.
      const rows = (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)).sort();
      hash.update(`${name}\n${rows.join('\n')}\n`);
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

/** Replaces the sample inputs' made-up ids with the fleet's real ones, so calls do real work. */
function withIds(value: unknown, ids: Record<string, string>): unknown {
  if (typeof value === 'string') return ids[value] ?? value;
  if (Array.isArray(value)) return value.map((v) => withIds(v, ids));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withIds(v, ids)]));
  return value;
}

interface Watch {
  processes: string[];
  connections: string[];
  udpSockets: number;
  stop(): void;
}

/** Counts every child process (the runtime's own channel) and every outgoing TCP connect (ssh2, TLS, HTTP all go through it). */
function watch(): Watch {
  const w: Watch = { processes: [], connections: [], udpSockets: 0, stop: () => {} };
  const onProcess = (message: unknown) => w.processes.push(String((message as { process: { spawnfile?: string } }).process.spawnfile));
  const onUdp = () => {
    w.udpSockets += 1;
  };
  subscribe('child_process', onProcess);
  subscribe('udp.socket', onUdp);
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    w.connections.push(JSON.stringify(args[0]).slice(0, 120));
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  w.stop = () => {
    unsubscribe('child_process', onProcess);
    unsubscribe('udp.socket', onUdp);
    net.Socket.prototype.connect = connect;
  };
  return w;
}

/** Every method with its sample input, plus inputs that turn on an effect the sample does not. */
const calls: [MethodName, unknown][] = [
  ...methodNames.map((m): [MethodName, unknown] => [m, sampleInputs[m]]),
  ['platform:keepalive', { fallbackRegistrations: 100, refresh: true }],
];

let dataDir = '';
let ids: Record<string, string> = {};

beforeAll(async () => {
  dataDir = tempDir();
  const setup = openTestHost(dataDir);
  const zone = await call(setup, 'fleet:create-zone', { name: 'EU', description: '' });
  const cluster = await call(setup, 'fleet:create-cluster', { name: 'A', description: '' });
  const one = await call(setup, 'fleet:create-server', draft(zone.id, { ip: '127.0.0.1', alias: 'sw1', clusterId: cluster.id }));
  const two = await call(
    setup,
    'fleet:create-server',
    draft(zone.id, { ip: '127.0.0.2', alias: 'sw2', clusterId: cluster.id, type: 'dispatcher' }),
  );
  const rtp = await call(setup, 'fleet:create-rtp', { ip: '127.0.0.3', alias: 'rtp1', zoneId: zone.id });
  await call(setup, 'snapshots:save', { file: 'a', note: 'for the walk' });
  await setup.close();
  ids = { 'srv-1': one.id, 'srv-2': two.id, 'zone-eu': zone.id, 'cluster-a': cluster.id, 'rtp-1': rtp.id };
}, 60_000);

describe('a read-only host', () => {
  let app: HostApp;
  afterAll(async () => app?.close());

  it('changes nothing, starts no process and opens no connection, whatever it is asked', async () => {
    app = openHost({ dataDir, readOnly: true, log: () => {} });
    const filesBefore = filesState(dataDir);
    const dbBefore = databaseState(dataDir);
    const offenders: string[] = [];
    const refused: string[] = [];
    const expected: string[] = [];
    const w = watch();
    try {
      for (const [method, sample] of calls) {
        const input = withIds(sample, ids);
        const parsed = methods[method].input.safeParse(input);
        const label = `${method} ${JSON.stringify(sample)}`;
        if (!allowedOnReadOnlyHost(methods[method], parsed.success ? parsed.data : undefined)) expected.push(label);
        const before = {
          p: w.processes.length,
          c: w.connections.length,
          u: w.udpSockets,
          files: JSON.stringify(filesState(dataDir)),
          db: databaseState(dataDir),
        };
        const result = await app.dispatch(method, input);
        if (!result.ok && result.error.code === 'read-only') refused.push(label);
        // Work a call left going (a timer, a promise) gets a few turns to show itself.
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        const what = [
          w.processes.length > before.p ? `started ${w.processes.slice(before.p).join(', ')}` : '',
          w.connections.length > before.c ? `connected to ${w.connections.slice(before.c).join(', ')}` : '',
          w.udpSockets > before.u ? 'opened a UDP socket' : '',
          JSON.stringify(filesState(dataDir)) !== before.files ? 'changed a file in the data folder' : '',
          databaseState(dataDir) !== before.db ? 'changed the database' : '',
        ].filter((s) => s !== '');
        if (what.length > 0) offenders.push(`${label}: ${what.join('; ')}`);
      }
    } finally {
      w.stop();
    }
    expect(offenders).toEqual([]);
    expect(filesState(dataDir)).toEqual(filesBefore);
    expect(databaseState(dataDir)).toBe(dbBefore);
    // The refusals are exactly what the contract declares, no more and no fewer.
    expect(refused).toEqual(expected);
    const refusedMethods = refused.map((label) => label.split(' ')[0]);
    expect(refusedMethods).toEqual(
      expect.arrayContaining([
        'snapshots:open',
        'snapshots:close',
        'snapshots:admit-upload',
        'registrations:for-server',
        'fleet:create-server',
        'monitoring:backend',
      ]),
    );
    // An input-dependent effect: the keepalive report from stored counts is answered, a refresh over SSH is refused.
    expect(refused).toContain('platform:keepalive {"fallbackRegistrations":100,"refresh":true}');
    expect(refused).not.toContain('platform:keepalive {"fallbackRegistrations":100}');
    expect(calls.length).toBeGreaterThan(100);
    expect(app.info()).toMatchObject({ mode: 'live', readOnly: true });
  });

  it('has a watch that sees processes and connections (so the walk above can fail)', async () => {
    const writable = openTestHost(tempDir());
    const w = watch();
    try {
      const run = await call(writable, 'tools:start-ping', { source: 'local', target: '127.0.0.1', params: { count: 1 } });
      expect(run.id).toBeTruthy();
      await until('the ping process', () => w.processes.length > 0);
      const socket = new net.Socket();
      socket.on('error', () => {});
      socket.connect(1, '127.0.0.1');
      expect(w.connections).toHaveLength(1);
      socket.destroy();
    } finally {
      w.stop();
      await writable.close();
    }
  });
});
