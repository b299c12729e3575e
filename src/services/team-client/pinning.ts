// The desktop app as a client of a team host: the host's TLS certificate is pinned on first use,
// per URL origin, as SSH pins host keys. A team host's certificate is often self-signed or from a
// private CA the workstation does not trust, so the pin, not a CA, is what the client trusts: the
// same certificate passes, a changed one is refused with both fingerprints until the operator
// re-pins it on purpose. Pure logic; the file that keeps the pins is pin-file.ts.
import { createHash, X509Certificate } from 'node:crypto';

/** One pinned origin: the SHA-256 of the leaf certificate it presented when it was trusted. */
export interface Pin {
  /** "https://noc.example:8443": scheme, host and port, as the browser compares them. */
  origin: string;
  /** "AB:CD:…", 32 bytes as upper-case hex pairs (how openssl and browsers print it). */
  sha256: string;
  pinnedAt: number;
}

export type PinVerdict =
  | { kind: 'first-use'; origin: string; presented: string }
  | { kind: 'match'; origin: string; presented: string }
  | { kind: 'changed'; origin: string; pinned: string; presented: string; message: string };

/** Refusals the operator can act on; the message names the URL or origin. */
export class TeamHostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamHostError';
  }
}

/**
 * The origin a team host URL stands for: https only (a team host refuses to serve off loopback
 * without TLS), no user name or password in it, no fragment. The path is kept for loading.
 */
export function parseTeamUrl(raw: string): { origin: string; url: string } {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TeamHostError(`"${text.slice(0, 200)}" is not a URL: write it like https://noc.example:8443/.`);
  }
  if (url.protocol !== 'https:') {
    throw new TeamHostError(
      `${url.origin === 'null' ? text.slice(0, 200) : url.origin} is not https: a team host is reached over TLS only.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new TeamHostError(`${url.host}: a URL with a user name or password in it is refused; sign in on the host's page instead.`);
  }
  url.hash = '';
  return { origin: url.origin, url: url.href };
}

/** SHA-256 of a certificate's DER bytes, as "AB:CD:…". */
export function fingerprintOfDer(der: Uint8Array): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

/** The same fingerprint from a PEM certificate (Electron hands certificates over as PEM). */
export function fingerprintOfPem(pem: string): string {
  return fingerprintOfDer(new X509Certificate(pem).raw);
}

/** "sha256/AbC…=" (Chromium's own form) or loose hex, as the upper-case colon form; null if neither. */
export function normaliseFingerprint(text: string): string | null {
  const trimmed = text.trim();
  const base64 = /^sha256\/([A-Za-z0-9+/]{43}=)$/.exec(trimmed);
  if (base64?.[1] !== undefined) return fingerprintHex(Buffer.from(base64[1], 'base64'));
  const hex = trimmed.replace(/[:\s]/g, '');
  return /^[0-9a-fA-F]{64}$/.test(hex) ? fingerprintHex(Buffer.from(hex, 'hex')) : null;
}

const fingerprintHex = (bytes: Buffer): string => bytes.toString('hex').toUpperCase().match(/../g)?.join(':') ?? '';

/** What to do with the certificate `presented` by `origin`, given what was pinned for it. */
export function judgeCertificate(origin: string, pinned: Pin | null, presented: string): PinVerdict {
  if (pinned === null) return { kind: 'first-use', origin, presented };
  if (pinned.sha256 === presented) return { kind: 'match', origin, presented };
  return {
    kind: 'changed',
    origin,
    pinned: pinned.sha256,
    presented,
    message:
      `The certificate of ${origin} has changed since it was pinned on ${new Date(pinned.pinnedAt).toISOString()}: ` +
      `pinned SHA-256 ${pinned.sha256}, presented SHA-256 ${presented}. The connection was refused. If the team host's ` +
      `certificate was renewed on purpose, check the new fingerprint with its administrator, then re-pin.`,
  };
}

/** Where pins are kept: a file beside the app's data (pin-file.ts), or memory in tests. */
export interface PinStore {
  get(origin: string): Pin | null;
  set(pin: Pin): void;
  delete(origin: string): boolean;
  list(): Pin[];
}

export function createMemoryPinStore(initial: readonly Pin[] = []): PinStore {
  const pins = new Map(initial.map((p) => [p.origin, p]));
  return {
    get: (origin) => pins.get(origin) ?? null,
    set: (pin) => void pins.set(pin.origin, pin),
    delete: (origin) => pins.delete(origin),
    list: () => [...pins.values()],
  };
}

/**
 * Trust on first use over a pin store. `check` pins a first-seen origin only when `trustFirstUse`
 * says so (the desktop asks the operator, showing the fingerprint); a changed certificate is never
 * re-pinned here: that takes `repin`, a separate, explicit step.
 */
export class CertificatePins {
  constructor(
    private readonly store: PinStore,
    private readonly clock: () => number = Date.now,
  ) {}

  pinned(origin: string): Pin | null {
    return this.store.get(origin);
  }

  /** Judges the presented certificate; on first use pins it when `trustFirstUse` is true. */
  check(origin: string, presented: string, trustFirstUse: boolean): PinVerdict {
    const verdict = judgeCertificate(origin, this.store.get(origin), presented);
    if (verdict.kind === 'first-use' && trustFirstUse) this.store.set({ origin, sha256: presented, pinnedAt: this.clock() });
    return verdict;
  }

  /** True only for the pinned certificate: what the client's TLS check asks on every connection. */
  allows(origin: string, presented: string): boolean {
    return this.store.get(origin)?.sha256 === presented;
  }

  /** The operator trusts the new certificate on purpose (a renewal checked with the host's admin). */
  repin(origin: string, presented: string): Pin {
    const normal = normaliseFingerprint(presented);
    if (normal === null) throw new TeamHostError(`"${presented.slice(0, 120)}" is not a SHA-256 fingerprint (64 hex digits).`);
    const pin = { origin, sha256: normal, pinnedAt: this.clock() };
    this.store.set(pin);
    return pin;
  }

  forget(origin: string): boolean {
    return this.store.delete(origin);
  }
}

/**
 * Chromium's answer for one TLS connection of the team host's window (Electron's
 * `setCertificateVerifyProc`): 0 trusts it, -2 refuses it. Only the pinned origin's host, and only
 * the pinned certificate, whatever CA signed it; anything else in that window is refused.
 */
export function certificateVerdict(pins: CertificatePins, origin: string, hostname: string, pem: string): 0 | -2 {
  const expected = new URL(origin).hostname.replace(/^\[(.*)\]$/, '$1');
  if (hostname.replace(/^\[(.*)\]$/, '$1') !== expected) return -2;
  let presented: string;
  try {
    presented = fingerprintOfPem(pem);
  } catch {
    return -2;
  }
  return pins.allows(origin, presented) ? 0 : -2;
}
