// Certificate changes in a comparison: added, removed and changed (name, and each assignment to a
// server as Server or Client with its SIP domains), keyed by fingerprint; in `snapshot diff
// --json`, its text output and the host's `snapshots:diff`. A snapshot saved before certificates
// were recorded still compares, as holding none, and the comparison says so.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SnapshotDiff } from '../../src/contract/snapshots-methods';
import { main } from '../../src/cli/main';
import { assignmentField } from '../../src/domain/snapshots/certificate-diff';
import type { HostApp } from '../../src/host/app';
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { MIGRATIONS } from '../../src/services/store/migrations/index';
import { sealSnapshot } from '../../src/services/store/snapshot-file';
import type { CertificateRecord } from '../../src/services/store/certificates-repo';
import { call, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const BASE = Date.UTC(2026, 0, 1);
const FP = { edge: 'AA:'.repeat(31) + 'AA', legacy: 'BB:'.repeat(31) + 'BB', fresh: 'CC:'.repeat(31) + 'CC' };

const fleet = JSON.stringify({
  switchyard: 'fleet',
  version: 1,
  zones: [{ name: 'EU', description: '' }],
  clusters: [],
  servers: [
    { ip: '127.0.10.21', alias: 'sw1', type: 'switch', zone: 'EU' },
    { ip: '127.0.10.22', alias: 'sw2', type: 'switch', zone: 'EU' },
  ],
  rtpServers: [],
});

function certificate(id: string, name: string, fingerprint256: string): CertificateRecord {
  return {
    id,
    name,
    fingerprint256,
    subject: `CN=${name}`,
    issuer: 'CN=Test CA',
    serialNumber: id,
    sans: { dns: [], ip: [] },
    notBefore: BASE,
    notAfter: BASE + 365 * 86_400_000,
    chainPem: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n',
    chainLength: 1,
    hasKey: false,
    importedAt: BASE,
  };
}

const serverId = (app: HostApp, ip: string) => {
  const id = app.store.servers.list().find((s) => s.ip === ip)?.id;
  if (id === undefined) throw new Error(`no server ${ip}`);
  return id;
};

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** A live fleet with two certificates, saved as A; then renamed, re-assigned, one deleted, one added, saved as B. */
async function twoSnapshots(dir: string) {
  const data = path.join(dir, 'data');
  const app = openTestHost(data);
  try {
    await call(app, 'fleet:import', { format: 'json', text: fleet });
    const [sw1, sw2] = [serverId(app, '127.0.10.21'), serverId(app, '127.0.10.22')];
    app.store.certificates.insert(certificate('c-edge', 'edge', FP.edge));
    app.store.certificates.insert(certificate('c-legacy', 'legacy', FP.legacy));
    app.store.certificates.assign(sw1, 'c-edge', 'server', ['sip.example.net'], BASE);
    await call(app, 'snapshots:save', { file: 'a.snapshot', note: '' });

    app.store.db.prepare("UPDATE certificates SET name = 'edge-2026' WHERE id = 'c-edge'").run();
    app.store.certificates.assign(sw1, 'c-edge', 'server', ['sip.example.net', 'voice.example.net'], BASE);
    app.store.certificates.assign(sw2, 'c-edge', 'client', [], BASE);
    app.store.certificates.delete('c-legacy');
    app.store.certificates.insert(certificate('c-fresh', 'fresh', FP.fresh));
    await call(app, 'snapshots:save', { file: 'b.snapshot', note: '' });
    return { data, folder: path.join(data, 'snapshots') };
  } finally {
    await app.close();
  }
}

describe('certificates in a snapshot comparison', () => {
  it('lists certificates added, removed and changed by fingerprint, in diff --json and the text output', async () => {
    const { folder } = await twoSnapshots(tempDir());
    const a = path.join(folder, 'a.snapshot');
    const b = path.join(folder, 'b.snapshot');

    const json = await cli(['snapshot', 'diff', a, b, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const diff = JSON.parse(json.stdout) as SnapshotDiff;
    expect(diff.certificates.added).toEqual([{ fingerprint: FP.fresh, label: 'fresh' }]);
    expect(diff.certificates.removed).toEqual([{ fingerprint: FP.legacy, label: 'legacy' }]);
    expect(diff.certificates.changed).toEqual([
      {
        fingerprint: FP.edge,
        label: 'edge-2026',
        fields: [
          { field: assignmentField('127.0.10.21', 'server'), old: 'sip.example.net', new: 'sip.example.net, voice.example.net' },
          { field: assignmentField('127.0.10.22', 'client'), old: null, new: '(no SIP domains)' },
          { field: 'name', old: 'edge', new: 'edge-2026' },
        ],
      },
    ]);
    expect(diff.notes).toEqual([]);
    expect(diff.servers).toEqual({ added: [], removed: [], changed: [] });

    const text = await cli(['snapshot', 'diff', a, b]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Certificates:\n  + ${FP.fresh} fresh\n  - ${FP.legacy} legacy\n  ~ ${FP.edge} edge-2026\n`);
    expect(text.stdout).toContain('      name: "edge" → "edge-2026"');
  });

  it('compares certificates through the host too, against the live fleet', async () => {
    const { data } = await twoSnapshots(tempDir());
    const app = openTestHost(data);
    try {
      const diff = await call(app, 'snapshots:diff', { a: 'a.snapshot', b: 'live' });
      expect(diff.certificates.added.map((c) => c.label)).toEqual(['fresh']);
      expect(diff.certificates.removed.map((c) => c.label)).toEqual(['legacy']);
      expect(diff.certificates.changed).toMatchObject([{ fingerprint: FP.edge, label: 'edge-2026', fields: [{}, {}, {}] }]);
    } finally {
      await app.close();
    }
  });

  it('compares a snapshot saved before certificates were recorded as holding none, and says so', async () => {
    const dir = tempDir();
    const { data, folder } = await twoSnapshots(dir);
    mkdirSync(folder, { recursive: true });
    const old = path.join(folder, 'old.snapshot');
    const db = openDatabase(old);
    migrate(db, old, () => BASE, MIGRATIONS.slice(0, 5));
    db.close();
    sealSnapshot(old, { takenAt: BASE, appVersion: '0.5.0', note: '' });

    const json = await cli(['snapshot', 'diff', old, path.join(folder, 'b.snapshot'), '--json']);
    expect(json.code, json.stderr).toBe(0);
    const diff = JSON.parse(json.stdout) as SnapshotDiff;
    expect(diff.certificates.added.map((c) => c.label)).toEqual(['edge-2026', 'fresh']);
    expect(diff.certificates.removed).toEqual([]);
    expect(diff.notes).toEqual([`${old} was saved before Switchyard recorded certificates: its certificates are compared as none.`]);

    const text = await cli(['snapshot', 'diff', old, '--live', '--data', data]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Note: .*old\.snapshot was saved before Switchyard recorded certificates/);

    const app = openTestHost(data);
    try {
      const viaHost = await call(app, 'snapshots:diff', { a: 'old.snapshot', b: 'b.snapshot' });
      expect(viaHost.notes).toEqual([
        'old.snapshot was saved before Switchyard recorded certificates: its certificates are compared as none.',
      ]);
    } finally {
      await app.close();
    }
  });
});
