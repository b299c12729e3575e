// Judging what a server answered a TLS handshake with, against what Switchyard assigned it. Pure:
// the caller does the handshake and passes what it saw. Outcomes a NOC acts on:
//   ok                     the assigned leaf, valid now, with every intermediate it was imported with;
//   wrong-certificate      another leaf (drift, a stale install, another profile matched);
//   expired                the served leaf or a certificate of its chain is out of its dates;
//   missing-intermediate   the assigned leaf, but an intermediate it was imported with is not sent
//                          (clients that do not hold it cannot build the chain);
//   unreachable            no handshake at all.

export type ServedOutcome = 'ok' | 'wrong-certificate' | 'expired' | 'missing-intermediate' | 'unreachable';

export interface ServedCert {
  fingerprint256: string;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
}

export interface ExpectedCert {
  name: string;
  fingerprint256: string;
  /** The imported chain after the leaf that is not self-signed (what the server must send). */
  intermediates: readonly ServedCert[];
}

export interface ServedVerdict {
  outcome: ServedOutcome;
  message: string;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `where` names server and domain: "us-east-sw1 (127.0.0.1:5061) for test1.com". */
export function judgeServed(
  where: string,
  expected: ExpectedCert,
  served: readonly ServedCert[] | { error: string },
  now: number,
): ServedVerdict {
  if (!Array.isArray(served))
    return { outcome: 'unreachable', message: `No TLS handshake with ${where}: ${(served as { error: string }).error}` };
  const chain = served as readonly ServedCert[];
  const leaf = chain[0];
  if (!leaf) return { outcome: 'unreachable', message: `${where} completed a handshake but sent no certificate.` };
  if (leaf.fingerprint256 !== expected.fingerprint256) {
    return {
      outcome: 'wrong-certificate',
      message: `${where} serves ${leaf.subject} (SHA-256 ${leaf.fingerprint256}), not ${expected.name} (SHA-256 ${expected.fingerprint256}).`,
    };
  }
  const stale = chain.find((c) => now >= c.notAfter || now < c.notBefore);
  if (stale) {
    const which = stale === leaf ? `its certificate ${expected.name}` : `${stale.subject} in its chain`;
    const when = now >= stale.notAfter ? `expired on ${day(stale.notAfter)}` : `is not valid before ${day(stale.notBefore)}`;
    return { outcome: 'expired', message: `${where} serves ${which}, which ${when} (SHA-256 ${stale.fingerprint256}).` };
  }
  const sent = new Set(chain.map((c) => c.fingerprint256));
  const missing = expected.intermediates.find((c) => !sent.has(c.fingerprint256));
  if (missing) {
    return {
      outcome: 'missing-intermediate',
      message: `${where} serves ${expected.name} (SHA-256 ${leaf.fingerprint256}) without its intermediate ${missing.subject}: clients that do not hold it cannot verify the chain.`,
    };
  }
  return { outcome: 'ok', message: `${where} serves ${expected.name} (SHA-256 ${leaf.fingerprint256}).` };
}
