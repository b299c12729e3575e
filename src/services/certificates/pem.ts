import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { canonicalIp } from '../../domain/fleet/ip';
import { invalid } from '../../domain/errors';
import { errorMessage } from '../../domain/error-message';

// Reading what the operator pasted or picked: PEM blocks found by their armour, each certificate
// decoded by node's X509Certificate (OpenSSL underneath; no ASN.1 of our own), the key loaded by
// createPrivateKey and checked against the leaf. Every refusal names the field and says what to do.

export interface ParsedCertificate {
  name: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  sans: { dns: string[]; ip: string[] };
  notBefore: number;
  notAfter: number;
  fingerprint256: string;
  /** The certificates only, leaf first, re-armoured (any key removed). */
  chainPem: string;
  chainLength: number;
  /** The private key as PKCS#8 PEM, or null when none was given. */
  keyPem: string | null;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

interface Block {
  label: string;
  pem: string;
}

function blocksOf(text: string, field: string): Block[] {
  const blocks = [...text.matchAll(BLOCK)].map((m) => ({ label: m[1] ?? '', pem: m[0] }));
  const begins = (text.match(/-----BEGIN [A-Z0-9 ]+-----/g) ?? []).length;
  if (begins > blocks.length) {
    throw invalid(field, 'The PEM text is truncated: a "-----BEGIN" line has no matching "-----END" line. Copy the whole file.');
  }
  return blocks;
}

function parseCertificate(pem: string, index: number, field: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    const which = index === 0 ? 'The certificate' : `Certificate ${index + 1} of the chain`;
    throw invalid(field, `${which} cannot be read: it is damaged or truncated (${errorMessage(err)}).`);
  }
}

function parseKey(pem: string, field: string): KeyObject {
  if (pem.includes('ENCRYPTED')) {
    throw invalid(
      field,
      'The private key is encrypted with a passphrase. Decrypt it first (openssl pkey -in key.pem -out plain.pem) and import that.',
    );
  }
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw invalid(field, `The private key cannot be read: it is damaged or truncated (${errorMessage(err)}).`);
  }
}

/** `DNS:a, IP Address:1.2.3.4, email:…` → the DNS names and IP addresses (others ignored). */
export function splitSubjectAltName(text: string | undefined): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  for (const part of (text ?? '').split(/,\s*/)) {
    const [kind, ...rest] = part.split(':');
    const value = rest.join(':').trim();
    if (kind?.trim() === 'DNS' && value) dns.push(value);
    else if (kind?.trim() === 'IP Address' && value) ip.push(canonicalIp(value) ?? value);
  }
  return { dns, ip };
}

function commonName(subject: string): string | null {
  const line = subject.split('\n').find((l) => l.startsWith('CN='));
  return line ? line.slice(3) : null;
}

function time(text: string, field: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw invalid(field, `The certificate's validity date "${text}" cannot be read.`);
  return ms;
}

/**
 * Reads a certificate (leaf first, then its chain) and optionally its key, from `pem` alone or
 * with the key given apart in `keyPem`. Refuses non-PEM text, truncated blocks, a chain out of
 * order and a key that does not belong to the leaf.
 */
export function parsePemBundle(pem: string, keyPem?: string): ParsedCertificate {
  const blocks = blocksOf(pem, 'pem');
  const keyBlocks = [...blocks.filter((b) => KEY_LABELS.has(b.label) || b.label === 'ENCRYPTED PRIVATE KEY')];
  if (keyPem !== undefined && keyPem.trim() !== '') {
    const given = blocksOf(keyPem, 'keyPem').filter((b) => KEY_LABELS.has(b.label) || b.label === 'ENCRYPTED PRIVATE KEY');
    if (given.length === 0) throw invalid('keyPem', 'The key text holds no PEM private key ("-----BEGIN PRIVATE KEY-----").');
    keyBlocks.push(...given);
  }
  const certBlocks = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (certBlocks.length === 0) {
    if (blocks.length === 0)
      throw invalid(
        'pem',
        'This is not a PEM certificate: no "-----BEGIN CERTIFICATE-----" block was found. Export it as PEM (Base64), not DER.',
      );
    throw invalid(
      'pem',
      `No certificate was found, only ${blocks.map((b) => b.label.toLowerCase()).join(', ')}. Paste the certificate (and its chain), leaf first.`,
    );
  }
  if (keyBlocks.length > 1)
    throw invalid(keyPem ? 'keyPem' : 'pem', 'More than one private key was given; import one certificate and its own key.');

  const chain = certBlocks.map((b, i) => parseCertificate(b.pem, i, 'pem'));
  const leaf = chain[0] as X509Certificate;
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i] as X509Certificate;
    const parent = chain[i + 1] as X509Certificate;
    if (!child.checkIssued(parent)) {
      throw invalid(
        'pem',
        `The chain is out of order: certificate ${i + 2} did not issue certificate ${i + 1}. Put the leaf first, then each issuer in turn.`,
      );
    }
  }

  let keyOut: string | null = null;
  const keyBlock = keyBlocks[0];
  if (keyBlock) {
    const field = keyPem ? 'keyPem' : 'pem';
    const key = parseKey(keyBlock.pem, field);
    if (!leaf.checkPrivateKey(key)) {
      throw invalid(
        field,
        `The private key does not belong to this certificate (${commonName(leaf.subject) ?? leaf.subject}): it was made for another certificate.`,
      );
    }
    keyOut = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  const sans = splitSubjectAltName(leaf.subjectAltName);
  return {
    name: commonName(leaf.subject) ?? sans.dns[0] ?? sans.ip[0] ?? leaf.subject.replaceAll('\n', ', '),
    subject: leaf.subject.replaceAll('\n', ', '),
    issuer: leaf.issuer.replaceAll('\n', ', '),
    serialNumber: leaf.serialNumber,
    sans,
    notBefore: time(leaf.validFrom, 'pem'),
    notAfter: time(leaf.validTo, 'pem'),
    fingerprint256: leaf.fingerprint256,
    chainPem: chain.map((c) => c.toString().trim()).join('\n') + '\n',
    chainLength: chain.length,
    keyPem: keyOut,
  };
}
