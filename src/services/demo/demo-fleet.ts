// What `switchyard demo` serves: the demo fleet (resources/demo-fleet.json) with the demo's own
// TLS certificate pinned on the servers that speak SIP over TLS (a self-signed certificate no CA
// vouches for: pinning it is how a user accepts one, see TlsPin), and the responder's targets
// read from the fleet as stored, so a demo server the user edits is answered on its new ports.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import demoFleet from '../../../resources/demo-fleet.json' with { type: 'json' };
import type { Server } from '../../contract/fleet';
import { behaviourOf } from './demo-behaviour';
import type { DemoTarget } from './demo-responder';

/** Made for the demo only (CN demo.switchyard.invalid): its key is public, it protects nothing. */
const PEM = 'resources/demo/sip-tls.pem';

/**
 * The project folder holding resources/: found by walking up, because this code runs both from
 * src/services/demo (tsx) and from the CLI bundle in out/cli, at different depths.
 */
function pemFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    const file = path.join(dir, PEM);
    if (existsSync(file)) return file;
    dir = path.dirname(dir);
  }
  throw new Error(`${PEM} is missing beside the Switchyard sources`);
}

export interface DemoTls {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, as the TlsPin field takes it. */
  pin: string;
}

export function demoTls(): DemoTls {
  const file = pemFile();
  const pem = readFileSync(file, 'utf8');
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(pem)?.[0];
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(pem)?.[0];
  if (cert === undefined || key === undefined) throw new Error(`${file} holds no certificate and key`);
  return { cert, key, pin: new X509Certificate(cert).fingerprint256 };
}

interface FleetFileServer {
  ip: string;
  config?: { webrtcTls?: boolean; tlsInternals?: boolean; tlsPin?: string | null };
}

/** The demo fleet file as JSON text, with `pin` set on every server that is probed over TLS. */
export function demoFleetText(pin: string): string {
  const servers = (demoFleet.servers as FleetFileServer[]).map((s) =>
    s.config?.webrtcTls === true || s.config?.tlsInternals === true ? { ...s, config: { ...s.config, tlsPin: pin } } : s,
  );
  return JSON.stringify({ ...demoFleet, servers });
}

/**
 * One target per server: UDP on its UDP port; TLS on its TLS port (which also takes the TCP
 * connect probe when the TCP port is the same, the reference's default); plain TCP otherwise.
 */
export function demoTargets(servers: readonly Pick<Server, 'ip' | 'config'>[]): DemoTarget[] {
  // Only loopback: a demo server edited to a real address is never answered for on a real network.
  return servers
    .filter((s) => isLoopback(s.ip))
    .map((s) => {
      const { udp, tcp, tls } = s.config.ports;
      return { address: s.ip, udpPort: udp, tcpPort: tcp === tls ? null : tcp, tlsPort: tls, behaviour: behaviourOf(s.ip) };
    });
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}
