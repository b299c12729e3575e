import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPresentedCertificate } from '../../src/services/team-client/certificate-probe';
import { openPinFile } from '../../src/services/team-client/pin-file';
import { CertificatePins, certificateVerdict, fingerprintOfPem } from '../../src/services/team-client/pinning';

// The desktop's pinning of a team host against a real Node https server on loopback, with two
// self-signed certificates made by openssl: the first use pins, the same certificate passes, a
// swapped one (the server's context replaced live, as a renewal or an interception would) is
// refused with both fingerprints, and only an explicit re-pin trusts it. Fingerprints are checked
// against openssl's own `-fingerprint -sha256`.

let dir: string;
let server: https.Server;
let origin: string;
const certs: Record<'a' | 'b', { cert: string; key: string; opensslSha256: string }> = {} as never;

function makeCert(name: 'a' | 'b'): { cert: string; key: string; opensslSha256: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=team-host-${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'pipe' },
  );
  const printed = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8'), opensslSha256: printed.trim().split('=')[1] ?? '' };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-pin-'));
  certs.a = makeCert('a');
  certs.b = makeCert('b');
  server = https.createServer({ cert: certs.a.cert, key: certs.a.key }, (_req, res) => res.end('switchyard team host'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('certificate pinning against a real TLS server', () => {
  it('pins on first use, passes the same certificate, refuses a swapped one until re-pinned', async () => {
    const pinFile = path.join(dir, 'team-hosts.json');
    const pins = new CertificatePins(openPinFile(pinFile));

    const first = await readPresentedCertificate(origin);
    expect(first.sha256).toBe(certs.a.opensslSha256);
    expect(first.subject).toBe('team-host-a');
    expect(fingerprintOfPem(certs.a.cert)).toBe(certs.a.opensslSha256);
    expect(pins.check(origin, first.sha256, true).kind).toBe('first-use');

    // A later start of the app: the pin came back from the file, the same certificate passes.
    const again = new CertificatePins(openPinFile(pinFile));
    expect(again.check(origin, (await readPresentedCertificate(origin)).sha256, true).kind).toBe('match');
    expect(certificateVerdict(again, origin, '127.0.0.1', certs.a.cert)).toBe(0);

    server.setSecureContext({ cert: certs.b.cert, key: certs.b.key });
    const swapped = await readPresentedCertificate(origin);
    expect(swapped.sha256).toBe(certs.b.opensslSha256);
    const verdict = again.check(origin, swapped.sha256, true);
    expect(verdict.kind).toBe('changed');
    expect(verdict.kind === 'changed' ? verdict.message : '').toContain(
      `pinned SHA-256 ${certs.a.opensslSha256}, presented SHA-256 ${certs.b.opensslSha256}`,
    );
    expect(certificateVerdict(again, origin, '127.0.0.1', certs.b.cert)).toBe(-2);
    // The right certificate for another host name is refused too: the window talks to its team host only.
    expect(certificateVerdict(again, origin, 'evil.example', certs.a.cert)).toBe(-2);
    expect(new CertificatePins(openPinFile(pinFile)).pinned(origin)?.sha256).toBe(certs.a.opensslSha256);

    again.repin(origin, swapped.sha256);
    expect(certificateVerdict(new CertificatePins(openPinFile(pinFile)), origin, '127.0.0.1', certs.b.cert)).toBe(0);
  });

  it('says why when nothing answers TLS there', async () => {
    const plain = (await import('node:http')).createServer((_q, r) => r.end('plain'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    try {
      await expect(readPresentedCertificate(`https://127.0.0.1:${port}`, { timeoutMs: 5000 })).rejects.toThrow(
        new RegExp(`https://127\\.0\\.0\\.1:${port}: could not open a TLS connection`),
      );
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});
