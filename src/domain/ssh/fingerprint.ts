// Host key helpers that need no crypto: the digest itself is computed by the caller (services
// hold node:crypto), so the UI and the domain can format and compare without IO.

/** OpenSSH's fingerprint form: `SHA256:` and the digest in base64 without `=` padding. */
export function formatSha256Fingerprint(digest: Uint8Array): string {
  if (digest.length !== 32) throw new RangeError(`A SHA-256 digest is 32 bytes, not ${digest.length}.`);
  return `SHA256:${bytesToBase64(digest).replace(/=+$/, '')}`;
}

/**
 * The key type named inside an SSH public key blob (RFC 4253 §6.6: a uint32 length and the name).
 * Returns null when the blob is not shaped like a key, so a caller never trusts garbage.
 */
export function keyTypeOfBlob(blob: Uint8Array): string | null {
  if (blob.length < 4) return null;
  const length = ((blob[0] ?? 0) << 24) | ((blob[1] ?? 0) << 16) | ((blob[2] ?? 0) << 8) | (blob[3] ?? 0);
  if (length <= 0 || length > 64 || 4 + length > blob.length) return null;
  let name = '';
  for (let i = 4; i < 4 + length; i++) {
    const code = blob[i] ?? 0;
    if (code < 0x21 || code > 0x7e) return null;
    name += String.fromCharCode(code);
  }
  return name;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Decodes base64, or returns null for text that is not base64 (a damaged known_hosts line). */
export function base64ToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}
