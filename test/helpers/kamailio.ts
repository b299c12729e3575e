// A real kamailio answering OPTIONS on 127.0.0.1, started per test file on free high ports with
// its own work folder and pid file, and stopped by waiting on the child (PID 1 here does not
// reap). Ports: `ok` answers 200 on UDP and TCP, `busy` answers 503, `moved` 302, and `tls`
// (when asked for) answers 200 over TLS with a self-signed certificate made by openssl.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { stopperFor } from './stop-child';

export interface Kamailio {
  ports: { ok: number; busy: number; moved: number; tls: number | null };
  /** SHA-256 fingerprint of the TLS certificate, colon-separated hex as browsers show it. */
  tlsFingerprint: string | null;
  pid: number;
  stop(): Promise<void>;
}

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';

function config(ports: Kamailio['ports'], dir: string): string {
  const tls = ports.tls !== null;
  return `#!KAMAILIO
debug=1
log_stderror=yes
children=2
tcp_children=2
auto_aliases=no
${tls ? 'enable_tls=yes\n' : ''}listen=udp:127.0.0.1:${ports.ok}
listen=tcp:127.0.0.1:${ports.ok}
listen=udp:127.0.0.1:${ports.busy}
listen=udp:127.0.0.1:${ports.moved}
${tls ? `listen=tls:127.0.0.1:${ports.tls}\n` : ''}mpath="${MODULES}"
loadmodule "sl.so"
loadmodule "textops.so"
loadmodule "pv.so"
${tls ? `loadmodule "tls.so"\nmodparam("tls", "config", "${path.join(dir, 'tls.cfg')}")\n` : ''}request_route {
    if (!is_method("OPTIONS")) { sl_send_reply("404", "Not here"); exit; }
    if ($Rp == ${ports.busy}) { sl_send_reply("503", "Service Unavailable"); exit; }
    if ($Rp == ${ports.moved}) { sl_send_reply("302", "Moved Temporarily"); exit; }
    sl_send_reply("200", "OK");
    exit;
}
`;
}

/** `ports` reuses the ports of an earlier kamailio (a restart: the same server comes back). */
export async function startKamailio(options: { tls?: boolean; ports?: Kamailio['ports'] } = {}): Promise<Kamailio> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-kamailio-'));
  const ports = options.ports ?? {
    ok: await freePort(),
    busy: await freePort(),
    moved: await freePort(),
    tls: options.tls ? await freePort() : null,
  };
  let tlsFingerprint: string | null = null;
  if (options.tls) {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=switchyard-test',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(
      path.join(dir, 'tls.cfg'),
      `[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\nprivate_key = ${key}\ncertificate = ${cert}\n\n[client:default]\nverify_certificate = no\nrequire_certificate = no\n`,
    );
    tlsFingerprint = new X509Certificate(readFileSync(cert)).fingerprint256;
    // Cross-check against the raw DER digest, the definition the pin uses.
    const der = new X509Certificate(readFileSync(cert)).raw;
    if (createHash('sha256').update(der).digest('hex').toUpperCase() !== tlsFingerprint.replace(/:/g, ''))
      throw new Error('fingerprint mismatch');
  }
  const cfg = path.join(dir, 'kamailio.cfg');
  writeFileSync(cfg, config(ports, dir));
  const pidFile = path.join(dir, 'kamailio.pid');
  const child: ChildProcess = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-w', dir, '-P', pidFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const stop = stopperFor(child, dir);
  try {
    await waitUntil(
      async () => (await answersOptions(ports.ok)) && (ports.tls === null || (await accepts(ports.tls))),
      15_000,
      () => child.exitCode !== null,
    );
  } catch (error) {
    await stop();
    throw new Error(`kamailio did not start: ${String(error)}\n${log}`);
  }
  return { ports, tlsFingerprint, pid: child.pid ?? 0, stop };
}

async function waitUntil(test: () => Promise<boolean>, ms: number, gaveUp: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (gaveUp()) throw new Error('exited');
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timeout');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** A bare OPTIONS by hand, independent of the code under test, to know kamailio is up. */
function answersOptions(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 300);
    socket.on('message', (m) => done(m.toString().startsWith('SIP/2.0 200')));
    socket.on('error', () => done(false));
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const text = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bKready${Date.now()};rport`,
        'Max-Forwards: 70',
        `From: <sip:ready@127.0.0.1>;tag=1`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: ready-${Date.now()}`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(text, port, '127.0.0.1');
    });
  });
}
