// A real Kamailio with the tls module on 127.0.0.1, set up as a fleet server would be for
// Switchyard's certificate installs: its tls.cfg (and the folder for certificate files) inside the
// test sshd's work folder, so the SSH test user writes them, and its control socket (ctl module,
// binrpc over TCP on loopback) for `kamcmd -s tcp:… tls.reload`. It starts on a bootstrap
// self-signed certificate, as a freshly installed server does. It answers OPTIONS (any transport)
// with 200. Stopped by waiting on the child (PID 1 here does not reap).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { writeSelfSigned } from './test-certs';
import { stopperFor } from './stop-child';

export interface KamailioTls {
  tlsPort: number;
  ctlPort: number;
  /** Folder (inside the sshd work folder) holding tls.cfg and the certificate files. */
  confDir: string;
  tlsConfig: string;
  certDir: string;
  bootstrapFingerprint: string;
  /** Reloads tls.cfg as an operator would, from this machine (not over SSH). */
  reload(): string;
  logs(): string;
  stop(): Promise<void>;
}

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';

export async function startKamailioTls(workDir: string): Promise<KamailioTls> {
  const confDir = path.join(workDir, 'kamailio');
  const certDir = path.join(confDir, 'tls');
  mkdirSync(certDir, { recursive: true, mode: 0o777 });
  execFileSync('chmod', ['0777', confDir, certDir]);
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-kamailio-tls-'));
  const key = path.join(runDir, 'bootstrap.key');
  const cert = path.join(runDir, 'bootstrap.pem');
  writeSelfSigned(key, cert, '/CN=bootstrap.invalid');
  const tlsConfig = path.join(confDir, 'tls.cfg');
  writeFileSync(
    tlsConfig,
    `[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\nprivate_key = ${key}\ncertificate = ${cert}\n\n[client:default]\nverify_certificate = no\nrequire_certificate = no\n`,
    { mode: 0o666 },
  );
  const tlsPort = await freePort();
  const ctlPort = await freePort();
  const cfg = path.join(runDir, 'kamailio.cfg');
  writeFileSync(
    cfg,
    `#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=2
auto_aliases=no
enable_tls=yes
listen=tls:127.0.0.1:${tlsPort}
mpath="${MODULES}"
loadmodule "sl.so"
loadmodule "ctl.so"
loadmodule "tls.so"
modparam("ctl", "binrpc", "tcp:127.0.0.1:${ctlPort}")
modparam("tls", "config", "${tlsConfig}")
request_route {
    sl_send_reply("200", "OK");
    exit;
}
`,
  );
  const child: ChildProcess = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-w', runDir, '-P', path.join(runDir, 'pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-50_000)));
  const stop = stopperFor(child, runDir);
  const end = Date.now() + 15_000;
  while (!(await accepts(tlsPort)) || !(await accepts(ctlPort))) {
    if (child.exitCode !== null || Date.now() > end) {
      await stop();
      throw new Error(`kamailio with tls did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    tlsPort,
    ctlPort,
    confDir,
    tlsConfig,
    certDir,
    bootstrapFingerprint: new X509Certificate(readFileSync(cert)).fingerprint256,
    reload: () => execFileSync('kamcmd', ['-s', `tcp:127.0.0.1:${ctlPort}`, 'tls.reload'], { encoding: 'utf8' }),
    logs: () => log,
    stop,
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
