import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Caller } from '../../src/host/caller';
import { openHost, type HostApp } from '../../src/host/app';
import type { InputOf, MethodName, OutputOf } from '../../src/contract/methods';
import { draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { until } from '../helpers/until';
import { runCli } from '../helpers/cli';
import { auditCommand } from '../../src/cli/audit-commands';

// Who did what, through the host's real dispatch and store: two callers (as a team host's
// transport hands them to dispatch) change settings, import, silence, acknowledge and run an
// action, and each line and each record names the one who did it. The action runs against a
// loopback port nobody listens on: the run is really started over SSH and fails at connect,
// which is all attribution needs.

const ana: Caller = { account: 'ana', role: 'operator', address: '192.0.2.10' };
const bob: Caller = { account: 'bob', role: 'admin', address: '198.51.100.7' };

let dataDir: string;
let app: HostApp;

async function as<M extends MethodName>(caller: Caller | undefined, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = await app.dispatch(method, input, caller);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.data as OutputOf<M>;
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-audit-'));
  app = openHost({ dataDir, log: () => {}, actions: { user: 'svc-switchyard' } });
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const lines = async (filter: InputOf<'audit:list'> = {}) => (await as(undefined, 'audit:list', filter)).entries;

describe('who did what', () => {
  it('attributes settings, imports, silences, acknowledgements and action runs to their caller', async () => {
    const zone = await as(bob, 'fleet:create-zone', { name: 'EU', description: '' });
    await as(bob, 'settings:update', { probeIntervalSec: 7 });
    const port = await freePort();
    const server = await as(
      bob,
      'fleet:create-server',
      draft(zone.id, { ip: '127.0.0.1', alias: 'sw-audit', ssh: { ...draft(zone.id).ssh, port } }),
    );
    const exported = await as(bob, 'fleet:export', { format: 'json' });
    await as(bob, 'fleet:delete-servers', { ids: [server.id] });
    await as(bob, 'fleet:import', { format: 'json', text: exported.text });

    const silence = await as(ana, 'alerts:create-silence', { scope: { level: 'fleet' }, for: '30m', reason: 'maintenance window' });
    expect(silence.createdBy).toBe('ana');
    const ended = await as(bob, 'alerts:end-silence', { id: silence.id });
    expect(ended.endedBy).toBe('bob');

    const imported = (await as(undefined, 'fleet:list-servers', {})).find((s) => s.alias === 'sw-audit');
    expect(imported).toBeDefined();
    const alert = app.store.alerts.insert({
      kind: 'consecutive-failures',
      subjectType: 'server',
      subjectId: imported!.id,
      subjectLabel: 'sw-audit (127.0.0.1)',
      serverId: imported!.id,
      ip: '127.0.0.1',
      zoneId: zone.id,
      zoneName: 'EU',
      clusterId: null,
      clusterName: null,
      severity: 'critical',
      state: 'firing',
      flapping: false,
      summary: 'SIP: 3 probes lost in a row',
      value: 3,
      threshold: 3,
      ruleSource: 'built-in default',
      startedAt: Date.now(),
      updatedAt: Date.now(),
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackNote: null,
      resolvedAt: null,
      resolveNote: null,
      notifiedAt: null,
      lastNotifiedAt: null,
      notifications: 0,
    });
    const [acked] = await as(ana, 'alerts:acknowledge', { ids: [alert.id], note: 'on it' });
    expect(acked?.acknowledgedBy).toBe('ana');
    const csv = await as(undefined, 'alerts:export', { format: 'csv' });
    expect(csv.text).toMatch(/,ana,on it,/);

    const run = await as(ana, 'actions:run', { action: 'restart', serverIds: [imported!.id], confirmation: '1' });
    expect(run).toMatchObject({ account: 'ana', address: '192.0.2.10', user: 'svc-switchyard' });
    await until('the run to end', async () => (await as(undefined, 'actions:get-run', { id: run.id })).status !== 'running', 20_000);
    const [maintenance] = await as(undefined, 'alerts:list-maintenance', { includeEnded: true });
    expect(maintenance).toMatchObject({ runId: run.id, createdBy: 'ana' });
    const listed = await as(undefined, 'actions:list-runs', { text: 'ana' });
    expect(listed.runs.map((r) => r.id)).toEqual([run.id]);
    const runsCsv = await as(undefined, 'actions:export-runs', { format: 'csv', filter: { text: 'ana' } });
    expect(runsCsv.text.split('\r\n')[1]).toContain(',svc-switchyard,ana,192.0.2.10,web,');

    const byAna = await lines({ account: 'ana' });
    expect(byAna.map((l) => l.kind)).toEqual(['action-run', 'acknowledge', 'silence']);
    expect(byAna.every((l) => l.address === '192.0.2.10')).toBe(true);
    expect(byAna[0]?.detail).toBe('Restart Server on sw-audit');
    expect(byAna[1]?.detail).toMatch(/^Acknowledged 1 alert: sw-audit \(127\.0\.0\.1\): SIP: 3 probes lost in a row\. Note: on it$/);
    const byBob = await lines({ account: 'BOB' });
    expect(byBob.map((l) => l.kind)).toEqual(['silence-end', 'import', 'change', 'change', 'setting-change', 'change']);
    expect(byBob.find((l) => l.kind === 'setting-change')?.detail).toBe('Settings: probeIntervalSec → 7');
    expect(byBob.find((l) => l.kind === 'import')?.detail).toMatch(
      /^Imported 1 server, 1 zone, 0 clusters, 0 RTP servers from JSON$|^Imported 1 server, 0 zones/,
    );
    expect(byBob.every((l) => l.address === '198.51.100.7')).toBe(true);
    expect(byBob[2]?.detail).toBe(`fleet:delete-servers: ids ${server.id}`);
    expect(byBob[3]?.detail).toBe(`fleet:create-server: alias sw-audit; ip 127.0.0.1`);
    // Reads leave no line.
    expect((await lines()).some((l) => l.detail.startsWith('fleet:export') || l.detail.startsWith('fleet:list'))).toBe(false);
  });

  it('records the local user at the console, and the OS user on its records', async () => {
    const silence = await as(undefined, 'alerts:create-silence', { scope: { level: 'fleet' }, for: '5m', reason: 'local' });
    expect(silence.createdBy).toBe('svc-switchyard');
    const [line] = await lines({ kind: 'silence', limit: 1 });
    expect(line).toMatchObject({
      account: 'local user',
      address: null,
      detail: expect.stringMatching(/^Silenced Fleet until \d{4}-.*Z: local$/) as string,
    });
  });

  it('keeps secrets out of the log', async () => {
    const server = (await as(undefined, 'fleet:list-servers', {}))[0]!;
    await as(bob, 'ssh:set-secret', { serverId: server.id, kind: 'password', value: 'hunter2-secret' });
    const [line] = await lines({ account: 'bob', limit: 1 });
    expect(line?.detail).toContain(server.id);
    const everything = JSON.stringify(await lines({ limit: 5000 }));
    expect(everything).not.toContain('hunter2-secret');
  });

  it('filters by time and kind, exports, and refuses a bad filter naming the field', async () => {
    const all = await as(undefined, 'audit:list', {});
    expect(all.total).toBe(all.entries.length);
    expect(all.kinds).toEqual(expect.arrayContaining(['action-run', 'acknowledge', 'import', 'setting-change', 'silence']));
    expect(all.retention).toEqual({ days: 400, maxEntries: 200_000 });
    expect((await as(undefined, 'audit:list', { since: Date.now() + 60_000 })).total).toBe(0);
    expect((await as(undefined, 'audit:list', { kind: 'import' })).entries.map((l) => l.account)).toEqual(['bob']);

    const csv = await as(undefined, 'audit:export', { format: 'csv', filter: { account: 'ana' } });
    expect(csv.fileName).toMatch(/^switchyard-audit-.*\.csv$/);
    expect(csv.text.split('\r\n')[0]).toBe('id,at,kind,account,address,detail');
    expect(csv.text).toContain(',action-run,ana,192.0.2.10,Restart Server on sw-audit');
    const json = JSON.parse((await as(undefined, 'audit:export', { format: 'json' })).text) as { entries: unknown[] };
    expect(json.entries).toHaveLength(all.total);

    for (const [input, field] of [
      [{ limit: 0 }, 'limit'],
      [{ since: 'yesterday' }, 'since'],
      [{ account: 'x'.repeat(201) }, 'account'],
    ] as const) {
      const result = await app.dispatch('audit:list', input, ana);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ code: 'invalid-input', field });
    }
    const refused = await app.dispatch('audit:list', { who: 'ana' }, ana);
    expect(refused.ok ? null : refused.error.message).toMatch(/unknown field\(s\): who/);
    // Nothing a refused call did is in the log, and nothing was lost.
    expect((await as(undefined, 'audit:list', {})).total).toBe(all.total);
  });

  it('prints the same lines from the command line, and refuses a bad flag naming it', async () => {
    // The real command once (wired into main, its own process on the same data folder)…
    const json = await runCli(['audit', '--json', '--account', 'ana', '--since', '-1h', '--data', dataDir]);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { kind: string }[]).map((l) => l.kind)).toEqual(['action-run', 'acknowledge', 'silence']);
    // …and its function in this process for the rest (each start of the command costs seconds here).
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    const second = () => openHost({ dataDir, log: () => {} });
    expect(await auditCommand(['--kind', 'import'], second, io)).toBe(0);
    expect(out.join('')).toMatch(/^TIME +KIND +ACCOUNT +FROM +WHAT\n.*import +bob +198\.51\.100\.7 +Imported 1 server/);
    expect(out.join('')).toMatch(/1 line\(s\); times in .*; kept 400 days, at most 200000 lines\.\n$/);
    await expect(auditCommand(['--since', 'last tuesday'], second, io)).rejects.toThrow(/--since: "last tuesday" is not a time/);
    await expect(auditCommand(['--limit', '9000'], second, io)).rejects.toThrow(/^--limit: .*at most 5000/);
    await expect(auditCommand(['--csv', '--account', 'x'.repeat(300)], second, io)).rejects.toThrow(/^--account: /);
  });
});
