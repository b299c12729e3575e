import { X509Certificate } from 'node:crypto';
import tls, { type DetailedPeerCertificate } from 'node:tls';
import type { ServedCert } from '../../domain/certificates/served-check';

// One TLS handshake from this host to a server's SIP TLS port, with an SNI name or none, reporting
// the chain the server sent. Nothing is verified here (rejectUnauthorized off): the point is to see
// what is served, and the judging is done against what was assigned (served-check.ts).

export function servedCert(x: X509Certificate): ServedCert {
  return {
    fingerprint256: x.fingerprint256,
    subject: x.subject.replaceAll('\n', ', '),
    issuer: x.issuer.replaceAll('\n', ', '),
    notBefore: Date.parse(x.validFrom),
    notAfter: Date.parse(x.validTo),
  };
}

function chainOf(peer: DetailedPeerCertificate): ServedCert[] {
  const chain: ServedCert[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = peer;
  // Node links each certificate to its issuer; a self-signed one links to itself.
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(servedCert(new X509Certificate(cert.raw)));
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** The served chain, leaf first, or why there was no handshake. */
export function fetchServedChain(
  host: string,
  port: number,
  servername: string | null,
  timeoutMs = 5_000,
): Promise<ServedCert[] | { error: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: ServedCert[] | { error: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ...(servername === null ? {} : { servername }) }, () => {
      const peer = socket.getPeerCertificate(true);
      done(peer && 'raw' in peer && peer.raw ? chainOf(peer) : { error: 'the server sent no certificate' });
    });
    const timer = setTimeout(() => done({ error: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ECONNREFUSED' ? 'connection refused (nothing listens on that port)' : err.message;
      done({ error: why });
    });
  });
}
