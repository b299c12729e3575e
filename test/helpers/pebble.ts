// A real ACME server on loopback: Debian's `pebble`, with Debian's `pebble-challtestsrv` as its
// DNS server (names resolve to 127.0.0.1, no AAAA records; TXT records are set through its
// management API, which is what a DNS-01 hook talks to). Pebble's validation authority fetches
// HTTP-01 answers from port `httpPort` of the name's address, where the test serves the server's
// webroot. PEBBLE_VA_NOSLEEP skips pebble's random pause before validating and
// PEBBLE_WFE_NONCEREJECT=0 its deliberate bad-nonce errors: both only slow tests down.
// PEBBLE_AUTHZREUSE=0 makes every order prove control again (no reused valid authorization), so
// every challenge is really validated (PEBBLE_VA_ALWAYS_VALID is not used).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { writeSelfSigned } from './test-certs';

export interface Pebble {
  directoryUrl: string;
  /** The CA of pebble's own HTTPS listener, to trust in the ACME settings. */
  httpsCaPem: string;
  /** Where `pebble-challtestsrv` takes TXT records: POST {host, value} to `${dnsManagement}/set-txt`. */
  dnsManagement: string;
  stop(): Promise<void>;
}

function waitListening(port: number, child: ChildProcess, logs: () => string): Promise<void> {
  const end = Date.now() + 15_000;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new Error(`exited early:\n${logs()}`));
      if (Date.now() > end) return reject(new Error(`not listening on ${port}:\n${logs()}`));
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve()));
      s.once('error', () => setTimeout(attempt, 100));
    };
    attempt();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startPebble(options: { httpPort: number }): Promise<Pebble> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-pebble-'));
  writeSelfSigned(path.join(dir, 'key.pem'), path.join(dir, 'cert.pem'), '/CN=pebble', {
    extra: ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
  });
  const [acmePort, mgmtPort, dnsPort, dnsMgmtPort, tlsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  writeFileSync(
    path.join(dir, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${mgmtPort}`,
        certificate: path.join(dir, 'cert.pem'),
        privateKey: path.join(dir, 'key.pem'),
        httpPort: options.httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  let log = '';
  const keep = (d: Buffer): void => void (log = (log + d.toString()).slice(-20_000));
  const dns = spawn(
    'pebble-challtestsrv',
    [
      '-dns01',
      `127.0.0.1:${dnsPort}`,
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-management',
      `127.0.0.1:${dnsMgmtPort}`,
      '-defaultIPv4',
      '127.0.0.1',
      '-defaultIPv6',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  dns.stdout?.on('data', keep);
  dns.stderr?.on('data', keep);
  const pebble = spawn('pebble', ['-config', path.join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' },
  });
  pebble.stdout?.on('data', keep);
  pebble.stderr?.on('data', keep);
  const stop = async (): Promise<void> => {
    await Promise.all([stopChild(pebble), stopChild(dns)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitListening(dnsMgmtPort, dns, () => log);
    await waitListening(acmePort, pebble, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    directoryUrl: `https://127.0.0.1:${acmePort}/dir`,
    httpsCaPem: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    dnsManagement: `http://127.0.0.1:${dnsMgmtPort}`,
    stop,
  };
}

/** A real static web server (Python's http.server) serving `root` on 127.0.0.1:`port`: the server's port 80. */
export async function startWebroot(root: string, port: number): Promise<{ stop(): Promise<void> }> {
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-5_000)));
  await waitListening(port, child, () => log);
  return { stop: () => stopChild(child) };
}
