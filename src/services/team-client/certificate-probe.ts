// Reads the leaf certificate a team host presents, before anything else is sent: the desktop
// shows its fingerprint when asking the operator to trust it, and checks it against the pin.
// The CA chain is deliberately not checked here (rejectUnauthorized: false): the pin is the trust.
import tls from 'node:tls';
import { fingerprintOfDer, TeamHostError } from './pinning';

export interface PresentedCertificate {
  sha256: string;
  subject: string;
  validTo: string;
}

export function readPresentedCertificate(origin: string, options: { timeoutMs?: number } = {}): Promise<PresentedCertificate> {
  const url = new URL(origin);
  const port = url.port === '' ? 443 : Number(url.port);
  // IPv6 literals come bracketed in a URL; the socket wants them bare, and SNI only for names.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const isName = !/^[\d.]+$/.test(host) && !host.includes(':');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ...(isName ? { servername: host } : {}),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TeamHostError(`${origin} did not complete a TLS handshake within ${Math.round((options.timeoutMs ?? 10_000) / 1000)} s.`));
    }, options.timeoutMs ?? 10_000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      socket.end();
      if (cert.raw === undefined) {
        reject(new TeamHostError(`${origin} presented no certificate.`));
        return;
      }
      resolve({ sha256: fingerprintOfDer(cert.raw), subject: [cert.subject?.CN ?? ''].flat().join(', '), validTo: cert.valid_to });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new TeamHostError(`${origin}: could not open a TLS connection (${error.message}).`));
    });
  });
}
