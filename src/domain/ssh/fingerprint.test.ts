import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, formatSha256Fingerprint, keyTypeOfBlob } from './fingerprint';

describe('fingerprints', () => {
  it('formats a SHA-256 digest as OpenSSH does: SHA256: and unpadded base64', () => {
    const digest = new Uint8Array(32).map((_, i) => i);
    expect(formatSha256Fingerprint(digest)).toBe('SHA256:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
    expect(formatSha256Fingerprint(digest)).not.toContain('=');
  });

  it('refuses a digest of the wrong size', () => {
    expect(() => formatSha256Fingerprint(new Uint8Array(20))).toThrow(RangeError);
  });

  it('reads the key type from a key blob', () => {
    const blob = base64ToBytes('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl');
    expect(blob && keyTypeOfBlob(blob)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(new Uint8Array([0, 0, 0, 50, 65]))).toBeNull();
    expect(keyTypeOfBlob(new Uint8Array([0, 0]))).toBeNull();
  });

  it('base64 round-trips and rejects non-base64', () => {
    const bytes = new Uint8Array([0, 255, 128, 7]);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(base64ToBytes('not base64!')).toBeNull();
  });
});
