import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { MIGRATIONS } from '../../src/services/store/migrations/index';
import { openStore } from '../../src/services/store/store';
import { createToolRunsRepo } from '../../src/services/store/tool-runs-repo';
import { call, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

// A SIP message pasted from a trace kept in the history: the schema upgrade that allows it
// (from a real database at version 6 with runs in it) and the whole path through the contract.

const tempDir = useTempDirs();
const hosts: HostApp[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.close();
});

const RFC4475 = path.join(import.meta.dirname, '../fixtures/sip/rfc4475');
const sipBytes = (name: string) => readFileSync(path.join(RFC4475, name));
const ping = readFileSync(path.join(import.meta.dirname, '../fixtures/ping/linux-localhost-4.txt'), 'utf8');

function host(dataDir = tempDir()): HostApp {
  const app = openTestHost(dataDir);
  hosts.push(app);
  return app;
}

const dump = (file: string) => {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT rowid AS rid, * FROM tool_runs ORDER BY rowid').all();
  db.close();
  return rows;
};

describe('migration 7: pasted SIP messages in tool_runs', () => {
  it('upgrades a database at version 6 keeping every run, row for row, and then accepts kind sip', () => {
    const file = path.join(tempDir(), 'at-6.db');
    const db = openDatabase(file);
    migrate(
      db,
      file,
      () => 1,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    const repo = createToolRunsRepo(db);
    const base = { source: 'local', params: { count: 4 }, endedAt: 2, status: 'done' as const, error: null };
    repo.insert({ ...base, id: 'p1', tool: 'ping', target: '127.0.0.1', startedAt: 1, rawOutput: ping, result: { replies: [] } });
    repo.insert({
      ...base,
      id: 'm1',
      tool: 'mtr',
      source: 'pasted',
      target: 'example.net',
      startedAt: 3,
      rawOutput: 'HOST: x\r\n',
      result: { hops: [] },
    });
    repo.insert({
      ...base,
      id: 'f1',
      tool: 'ping',
      target: '192.0.2.1',
      startedAt: 5,
      endedAt: null,
      status: 'failed',
      rawOutput: '',
      result: null,
      error: 'gone',
    });
    // Version 6 refuses the new kind: this is what the migration changes.
    expect(() =>
      repo.insert({ ...base, id: 's0', tool: 'sip', source: 'pasted', target: 'x', startedAt: 6, rawOutput: '', result: null }),
    ).toThrow(/CHECK/);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = dump(file);
    expect(before).toHaveLength(3);

    const store = openStore({ file });
    expect(store.migration).toMatchObject({ from: 6, to: Math.max(...MIGRATIONS.map((m) => m.version)) });
    expect(store.migration.backup).not.toBeNull();
    expect(store.db.prepare('SELECT rowid AS rid, * FROM tool_runs ORDER BY rowid').all()).toEqual(before);
    expect(
      store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tool_runs' ORDER BY name").pluck().all(),
    ).toEqual(['sqlite_autoindex_tool_runs_1', 'tool_runs_started', 'tool_runs_target']);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.toolRuns.listRecent().map((r) => r.id)).toEqual(['f1', 'm1', 'p1']);

    store.toolRuns.insert({
      ...base,
      id: 's1',
      tool: 'sip',
      source: 'pasted',
      target: 'sip:bob@example.com',
      startedAt: 7,
      rawOutput: 'OPTIONS …',
      result: { valid: true },
    });
    expect(store.toolRuns.get('s1')).toMatchObject({ tool: 'sip', source: 'pasted', result: { valid: true } });
    // A SIP message is never a run from somewhere: only a paste.
    expect(() =>
      store.toolRuns.insert({ ...base, id: 's2', tool: 'sip', source: 'local', target: 'x', startedAt: 8, rawOutput: '', result: null }),
    ).toThrow(/CHECK/);
    expect(() =>
      store.toolRuns.insert({ ...base, id: 'x1', tool: 'dns' as 'ping', target: 'x', startedAt: 9, rawOutput: '', result: null }),
    ).toThrow(/CHECK/);
    store.close();
  });
});

describe('a pasted SIP message in the history, through the contract', () => {
  it('keeps a dropped message byte for byte with its inspection, lists, opens and exports it, across a restart', async () => {
    const dataDir = tempDir();
    const app = host(dataDir);
    const bytes = sipBytes('3.3.15-sdp01.sip');
    const parsed = await call(app, 'tools:parse-pasted', { base64: bytes.toString('base64') });
    expect(parsed.kind).toBe('sip');

    const brief = await call(app, 'tools:save-pasted', { base64: bytes.toString('base64') });
    expect(brief).toMatchObject({
      tool: 'sip',
      source: 'pasted',
      sourceLabel: 'pasted',
      target: 'sip:user@example.com',
      status: 'done',
      params: { flavor: 'request', message: 'INVITE', encoding: 'utf-8', errors: 0 },
      headline: { sent: null, received: null, lossPct: null, avgMs: null, hops: null },
    });

    app.close();
    hosts.splice(hosts.indexOf(app), 1);
    const again = host(dataDir);
    expect((await call(again, 'tools:list-runs', {})).map((r) => [r.id, r.tool])).toEqual([[brief.id, 'sip']]);
    const run = await call(again, 'tools:get-run', { id: brief.id });
    expect(run.rawOutput).toBe(bytes.toString('latin1')); // ASCII with CRLF: the same characters, the same line ends
    expect(run.rawOutput).toContain('\r\n\r\nv=0\r\n');
    expect(run.sip).toEqual(parsed.sip);
    expect(run.sip).toMatchObject({ kind: 'request', method: 'INVITE', valid: true });
    expect(run.ping).toBeNull();
    expect(run.mtr).toBeNull();

    const raw = await call(again, 'tools:export-run', { id: brief.id, format: 'text' });
    expect(raw.text).toBe(run.rawOutput);
    expect(raw.fileName).toMatch(/^sip-sip_user_example.com-\d{8}-\d{4}\.txt$/);
    const json = await call(again, 'tools:export-run', { id: brief.id, format: 'json' });
    expect(JSON.parse(json.text)).toMatchObject({
      tool: 'sip',
      source: 'pasted',
      result: { kind: 'request', method: 'INVITE', valid: true },
    });
    const csv = await call(again, 'tools:export-run', { id: brief.id, format: 'csv' });
    expect(csv.text.split('\n').slice(0, 3)).toEqual([
      'name,value',
      'To,sip:j_user@example.com',
      'Contact,<sip:caller@host15.example.net>',
    ]);
  });

  it('keeps a broken message too, with its problems, and lists a response under its To URI', async () => {
    const app = host();
    const broken = await call(app, 'tools:save-pasted', { text: sipBytes('3.1.2.2-clerr.sip').toString('latin1') });
    expect(broken.tool).toBe('sip');
    expect(Number(broken.params.errors)).toBeGreaterThan(0);
    const stored = await call(app, 'tools:get-run', { id: broken.id });
    expect(stored.sip?.valid).toBe(false);
    expect(stored.sip?.problems.map((p) => p.code)).toContain('content-length-mismatch');

    const response =
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: "Bob" <sip:bob@example.com>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    const saved = await call(app, 'tools:save-pasted', { text: response });
    expect(saved).toMatchObject({
      tool: 'sip',
      target: 'sip:bob@example.com',
      params: { flavor: 'response', message: '200 OK', errors: 0 },
    });
    expect((await call(app, 'tools:get-run', { id: saved.id })).rawOutput).toBe(response);
  });

  it('refuses text that is none of the kinds, naming the field, and keeps nothing', async () => {
    const app = host();
    await expect(call(app, 'tools:save-pasted', { text: 'hello there\n' })).rejects.toMatchObject({
      error: { code: 'invalid-input', field: 'text' },
    });
    expect(await call(app, 'tools:list-runs', {})).toEqual([]);
  });
});
