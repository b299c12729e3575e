import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { makeTestCa, type TestCa, type TestLeaf } from '../helpers/test-certs';

// Certificates made by openssl (expired, expiring in 10 days, wildcard, IP SAN, a chain, with and
// without keys), imported through the contract into a real SQLite store and secret store.

let dir: string;
let ca: TestCa;
let wildcard: TestLeaf;
let expired: TestLeaf;
let expiring: TestLeaf;
let ipSan: TestLeaf;
let other: TestLeaf;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-certs-'));
  ca = makeTestCa(path.join(dir, 'ca'));
  wildcard = ca.leaf({
    name: 'wildcard',
    cn: '*.us-east.example.net',
    sans: ['DNS:*.us-east.example.net', 'DNS:us-east.example.net'],
    toDays: 365,
  });
  expired = ca.leaf({ name: 'expired', cn: 'old.example.net', sans: ['DNS:old.example.net'], fromDays: -400, toDays: -35 });
  expiring = ca.leaf({ name: 'expiring', cn: 'soon.example.net', sans: ['DNS:soon.example.net'], toDays: 10 });
  ipSan = ca.leaf({ name: 'ipsan', cn: 'edge', sans: ['IP:127.0.0.1', 'IP:::1'], toDays: 200 });
  other = ca.leaf({ name: 'other', cn: 'other.example.net', sans: ['DNS:other.example.net'], toDays: 200 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withHost(fn: (app: HostApp) => Promise<void>): Promise<void> {
  const data = mkdtempSync(path.join(dir, 'data-'));
  const app = openTestHost(data, Date.now);
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; field?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return (err as { error: { code: string; field?: string; message: string } }).error;
  }
  throw new Error('expected the call to be refused');
}

describe('certificates', () => {
  it('imports a chain with its key: facts read by X509Certificate, key kept in the secret store only', async () => {
    await withHost(async (app) => {
      const cert = await call(app, 'certs:import', { pem: `${wildcard.certPem}${ca.caPem}${wildcard.keyPem}` });
      const reference = new X509Certificate(wildcard.certPem);
      expect(cert).toMatchObject({
        name: '*.us-east.example.net',
        subject: 'CN=*.us-east.example.net',
        issuer: 'CN=Switchyard Test CA',
        sans: { dns: ['*.us-east.example.net', 'us-east.example.net'], ip: [] },
        fingerprint256: reference.fingerprint256,
        chainLength: 2,
        hasKey: true,
        keyAvailable: true,
        expiry: 'valid',
      });
      expect(cert.notAfter).toBe(Date.parse(reference.validTo));
      // The key is in the secret store, and nowhere in SQLite or the answers.
      const dump = JSON.stringify(app.store.db.prepare('SELECT * FROM certificates').all());
      expect(dump).not.toContain('PRIVATE KEY');
      const got = await call(app, 'certs:get', { id: cert.id });
      expect(JSON.stringify(got)).not.toContain('PRIVATE KEY');
      expect(got.chainPem).toContain('BEGIN CERTIFICATE');
      expect(app.secrets.get(`certificate-key:${cert.id}`)).toContain('BEGIN PRIVATE KEY');
    });
  });

  it('imports a certificate alone, and a key given apart; reads IP SANs; flags expired and expiring', async () => {
    await withHost(async (app) => {
      const ip = await call(app, 'certs:import', { pem: ipSan.certPem });
      expect(ip).toMatchObject({ sans: { dns: [], ip: ['127.0.0.1', '::1'] }, hasKey: false, chainLength: 1 });
      const old = await call(app, 'certs:import', { pem: expired.certPem, keyPem: expired.keyPem });
      expect(old).toMatchObject({ expiry: 'expired', hasKey: true });
      const soon = await call(app, 'certs:import', { pem: expiring.certPem });
      expect(soon.expiry).toBe('expiring');
      const list = await call(app, 'certs:list', {});
      expect(list.map((c) => c.name)).toEqual(['old.example.net', 'soon.example.net', 'edge']);
    });
  });

  it('refuses non-PEM, truncated, mismatched, duplicated and out-of-order input, and keeps the store intact', async () => {
    await withHost(async (app) => {
      const der = new X509Certificate(wildcard.certPem).raw.toString('latin1');
      expect(await failure(call(app, 'certs:import', { pem: der }))).toMatchObject({
        code: 'invalid-input',
        field: 'pem',
        message: expect.stringContaining('not a PEM certificate'),
      });
      const cut = wildcard.certPem.slice(0, wildcard.certPem.length - 40);
      expect(await failure(call(app, 'certs:import', { pem: cut }))).toMatchObject({
        field: 'pem',
        message: expect.stringContaining('truncated'),
      });
      const damaged = wildcard.certPem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
      expect((await failure(call(app, 'certs:import', { pem: damaged }))).message).toMatch(/cannot be read|damaged/);
      expect(await failure(call(app, 'certs:import', { pem: wildcard.certPem, keyPem: other.keyPem }))).toMatchObject({
        field: 'keyPem',
        message: expect.stringContaining('does not belong'),
      });
      expect(await failure(call(app, 'certs:import', { pem: `${ca.caPem}${wildcard.certPem}` }))).toMatchObject({
        field: 'pem',
        message: expect.stringContaining('out of order'),
      });
      expect(await failure(call(app, 'certs:import', { pem: wildcard.keyPem }))).toMatchObject({
        field: 'pem',
        message: expect.stringContaining('No certificate'),
      });
      await call(app, 'certs:import', { pem: other.certPem });
      expect(await failure(call(app, 'certs:import', { pem: other.certPem }))).toMatchObject({ code: 'conflict' });
      expect((await call(app, 'certs:list', {})).length).toBe(1);
    });
  });

  it('assigns to a server with SIP domains, warns on uncovered domains and on TLS without a matching certificate', async () => {
    await withHost(async (app) => {
      const zone = await call(app, 'fleet:create-zone', { name: 'US-East', description: '' });
      const base = draft(zone.id, { ip: '127.0.10.11', alias: 'us-east-sw1' });
      const server = await call(app, 'fleet:create-server', {
        ...base,
        config: { ...base.config, webrtcTls: true, fqdn: 'sw1.us-east.example.net' },
      });
      const before = await call(app, 'certs:for-server', { serverId: server.id });
      expect(before.findings.map((f) => f.kind)).toEqual(['tls-without-certificate']);

      const cert = await call(app, 'certs:import', { pem: wildcard.certPem, keyPem: wildcard.keyPem });
      const after = await call(app, 'certs:assign', {
        serverId: server.id,
        certificateId: cert.id,
        type: 'server',
        domains: ['SW1.us-east.example.net', 'a.b.us-east.example.net', 'test1.com'],
      });
      expect(after.assignments).toMatchObject([
        { certificateId: cert.id, type: 'server', domains: ['sw1.us-east.example.net', 'a.b.us-east.example.net', 'test1.com'] },
      ]);
      expect(after.findings.map((f) => [f.kind, f.domain])).toEqual([
        ['uncovered-domain', 'a.b.us-east.example.net'],
        ['uncovered-domain', 'test1.com'],
      ]);
      expect(
        await failure(call(app, 'certs:assign', { serverId: server.id, certificateId: cert.id, type: 'server', domains: ['bad domain!'] })),
      ).toMatchObject({ code: 'invalid-input' });

      // Deleting an assigned certificate needs a decision.
      expect(await failure(call(app, 'certs:delete', { id: cert.id }))).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('assigned to 1 server'),
      });
      expect(await call(app, 'certs:delete', { id: cert.id, assigned: 'unassign' })).toEqual({ deleted: 1, unassigned: 1 });
      expect(app.secrets.get(`certificate-key:${cert.id}`)).toBeNull();
      expect((await call(app, 'certs:for-server', { serverId: server.id })).findings.map((f) => f.kind)).toEqual([
        'tls-without-certificate',
      ]);
    });
  });
});
