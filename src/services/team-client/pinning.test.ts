import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPinFile } from './pin-file';
import { CertificatePins, createMemoryPinStore, judgeCertificate, normaliseFingerprint, parseTeamUrl } from './pinning';

const A = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
const B = Array.from({ length: 32 }, (_, i) => (255 - i).toString(16).padStart(2, '0').toUpperCase()).join(':');
const ORIGIN = 'https://noc.example:8443';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('team host URLs', () => {
  it('keeps the origin of an https URL, path kept for loading, fragment dropped', () => {
    expect(parseTeamUrl(' https://NOC.example:8443/console#/fleet ')).toEqual({ origin: ORIGIN, url: 'https://noc.example:8443/console' });
    expect(parseTeamUrl('https://[::1]:9443/').origin).toBe('https://[::1]:9443');
  });

  it('refuses plain http, credentials in the URL and what is not a URL, naming it', () => {
    expect(() => parseTeamUrl('http://noc.example:8080/')).toThrow(
      'http://noc.example:8080 is not https: a team host is reached over TLS only.',
    );
    expect(() => parseTeamUrl('https://ana:pw@noc.example/')).toThrow(/noc\.example: a URL with a user name or password in it is refused/);
    expect(() => parseTeamUrl('noc.example')).toThrow('"noc.example" is not a URL: write it like https://noc.example:8443/.');
  });
});

describe('fingerprints', () => {
  it('reads the colon hex form and Chromium sha256/base64 form alike', () => {
    expect(normaliseFingerprint(A.toLowerCase().replace(/:/g, ''))).toBe(A);
    const base64 = `sha256/${Buffer.from(A.replace(/:/g, ''), 'hex').toString('base64')}`;
    expect(normaliseFingerprint(base64)).toBe(A);
    expect(normaliseFingerprint('AB:CD')).toBeNull();
    expect(normaliseFingerprint('sha1/AAAA')).toBeNull();
  });
});

describe('trust on first use', () => {
  it('pins the first certificate only when trusted, passes the same, refuses a changed one with both fingerprints', () => {
    const pins = new CertificatePins(createMemoryPinStore(), () => Date.UTC(2026, 11, 1));
    expect(pins.check(ORIGIN, A, false)).toEqual({ kind: 'first-use', origin: ORIGIN, presented: A });
    expect(pins.pinned(ORIGIN)).toBeNull();
    expect(pins.check(ORIGIN, A, true).kind).toBe('first-use');
    expect(pins.pinned(ORIGIN)).toMatchObject({ sha256: A });
    expect(pins.check(ORIGIN, A, true)).toEqual({ kind: 'match', origin: ORIGIN, presented: A });
    const changed = pins.check(ORIGIN, B, true);
    expect(changed.kind).toBe('changed');
    if (changed.kind === 'changed') {
      expect(changed.message).toContain(`pinned SHA-256 ${A}`);
      expect(changed.message).toContain(`presented SHA-256 ${B}`);
      expect(changed.message).toContain(ORIGIN);
    }
    // Refused, and still pinned to the old certificate: trusting the new one takes an explicit re-pin.
    expect(pins.allows(ORIGIN, B)).toBe(false);
    expect(pins.pinned(ORIGIN)?.sha256).toBe(A);
    pins.repin(ORIGIN, B.toLowerCase());
    expect(pins.allows(ORIGIN, B)).toBe(true);
    expect(pins.allows(ORIGIN, A)).toBe(false);
    expect(() => pins.repin(ORIGIN, 'not-a-fingerprint')).toThrow(/is not a SHA-256 fingerprint/);
  });

  it('pins per origin: another port of the same host is a new host', () => {
    const pins = new CertificatePins(createMemoryPinStore([{ origin: ORIGIN, sha256: A, pinnedAt: 0 }]));
    expect(judgeCertificate('https://noc.example:9443', pins.pinned('https://noc.example:9443'), A).kind).toBe('first-use');
  });
});

describe('pin file', () => {
  it('keeps pins across opens, private to the user', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-pins-'));
    dirs.push(dir);
    const file = path.join(dir, 'team-hosts.json');
    new CertificatePins(openPinFile(file)).check(ORIGIN, A, true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new CertificatePins(openPinFile(file)).allows(ORIGIN, A)).toBe(true);
  });

  it('refuses a file that is not a pin file, and leaves it as it was', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-pins-'));
    dirs.push(dir);
    const file = path.join(dir, 'team-hosts.json');
    const hostile = JSON.stringify({ version: 1, pins: [{ origin: 'http://evil.example', sha256: A, pinnedAt: 0 }] });
    writeFileSync(file, hostile);
    expect(() => openPinFile(file)).toThrow(/team-hosts\.json is not a Switchyard pin file \(must be an https origin\)/);
    writeFileSync(file, '{"version":1,');
    expect(() => openPinFile(file)).toThrow(/not a Switchyard pin file \(not JSON\)/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,');
  });
});
