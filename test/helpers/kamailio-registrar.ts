// A real Kamailio registrar on loopback (registrar + usrloc + ctl) with usrloc's own NAT keepalive
// on: every second (timer_interval 1) it sends OPTIONS to each registered contact and keeps the
// last answer's time and round trip (`Last-Keepalive`, `KA-Roundtrip` in ul.dump). ka_timeout is
// off, so a contact that stops answering stays in the table, silent, until it expires.
// Phones are SIPp processes registering users from a CSV (test/fixtures/sipp/register-uac.xml),
// answering the keepalives (keepalive-ooc.xml) or not; stopping one is a phone going away.
// The control socket is `kamailio_ctl` in the work folder, so `ctlAtDefaultPath` can show that
// folder as /run/kamailio to an sshd's sessions: kamcmd's own default socket then reaches this
// Kamailio and the shipped registrations recipe runs with its defaults untouched.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { kamcmd, SIPP_SCENARIOS, startSipp, type Peer } from './kamailio-calls';
import { until } from './until';
import { boundOver } from './mount-launcher';
import { stopperFor } from './stop-child';

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
/** Where kamcmd looks by default (`unixs:/var/run/kamailio//kamailio_ctl`; /var/run is /run). */
const DEFAULT_CTL_DIR = '/run/kamailio';

export interface Registrar extends Peer {
  address: string;
  port: number;
}

export interface Phone {
  user: string;
  /** The Expires the REGISTER asked for, in seconds. */
  expires: number;
  userAgent: string;
}

export interface Phones {
  port: number;
  phones: Phone[];
  /** The phones go away without unregistering: the SIPp process ends. */
  stop(): Promise<void>;
  logs(): string;
}

function config(dir: string, address: string, port: number): string {
  return `#!KAMAILIO
debug=1
log_stderror=yes
children=2
tcp_children=1
auto_aliases=no
listen=udp:${address}:${port}
mpath="${MODULES}"
loadmodule "kex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "ctl.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
modparam("ctl", "binrpc", "unix:${path.join(dir, 'kamailio_ctl')}")
modparam("ctl", "mode", 0666)
modparam("usrloc", "timer_interval", 1)
modparam("usrloc", "ka_mode", 1)
modparam("usrloc", "ka_from", "sip:keepalive@${address}:${port}")
request_route {
    if (is_method("REGISTER")) { save("location"); exit; }
    if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
    sl_send_reply("404", "Not here");
}
`;
}

export async function startRegistrar(options: { address?: string; port?: number } = {}): Promise<Registrar> {
  const address = options.address ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-registrar-'));
  // The test sshd's user reaches the control socket through this folder.
  chmodSync(dir, 0o755);
  const cfg = path.join(dir, 'kamailio.cfg');
  writeFileSync(cfg, config(dir, address, port));
  const child = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-w', dir, '-P', path.join(dir, 'kamailio.pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-40_000)));
  const stop = stopperFor(child, dir);
  const registrar: Registrar = {
    pid: child.pid ?? 0,
    dir,
    ctl: `unix:${path.join(dir, 'kamailio_ctl')}`,
    address,
    port,
    logs: () => log,
    stop,
  };
  try {
    await until('the registrar kamailio to answer on its ctl socket', async () => {
      if (child.exitCode !== null) throw new Error(`registrar kamailio exited (${child.exitCode}):\n${log}`);
      return (await kamcmd(registrar, 'ul.dump')).stdout.includes('Domains:');
    });
  } catch (error) {
    await registrar.stop();
    throw error;
  }
  return registrar;
}

/** The registrar's table as Kamailio prints it, independent of the code under test. */
export async function ulDump(registrar: Pick<Peer, 'ctl'>): Promise<string> {
  return (await kamcmd(registrar, 'ul.dump')).stdout;
}

/**
 * One SIPp process registering `phones` from `address` (a port of its own), answering keepalives
 * unless told not to. Resolves once the registrar holds every one of its contacts.
 */
export async function registerPhones(
  registrar: Registrar,
  phones: Phone[],
  options: { address?: string; answerKeepalives?: boolean } = {},
): Promise<Phones> {
  const address = options.address ?? '127.0.0.1';
  const port = await freePort();
  const csvDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-phones-'));
  const csv = path.join(csvDir, 'phones.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p) => `${p.user};${p.expires};${p.userAgent}`).join('\n')}\n`);
  const sipp = startSipp([
    `${registrar.address}:${registrar.port}`,
    '-sf',
    path.join(SIPP_SCENARIOS, 'register-uac.xml'),
    ...(options.answerKeepalives === false ? [] : ['-oocsf', path.join(SIPP_SCENARIOS, 'keepalive-ooc.xml')]),
    '-inf',
    csv,
    '-m',
    String(phones.length),
    '-r',
    '50',
    '-i',
    address,
    '-p',
    String(port),
  ]);
  const stop = async () => {
    await sipp.stop();
    rmSync(csvDir, { recursive: true, force: true });
  };
  try {
    await until(`${phones.map((p) => p.user).join(', ')} registered from ${address}:${port}`, async () => {
      const dump = await ulDump(registrar);
      return phones.every((p) => dump.includes(`Address: sip:${p.user}@${address}:${port};`));
    });
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${sipp.logs()}`);
  }
  return { port, phones, stop, logs: sipp.logs };
}

/**
 * What `startSshd({ launcher })` takes so that its sessions see the registrar's work folder as
 * /run/kamailio (a private mount namespace for that sshd): kamcmd's default socket is then the
 * registrar's, as on a real server. The folder exists on Debian's kamailio package; made if not.
 */
export function ctlAtDefaultPath(registrar: Pick<Peer, 'dir'>): string[] {
  if (!existsSync(DEFAULT_CTL_DIR)) mkdirSync(DEFAULT_CTL_DIR, { recursive: true });
  return boundOver(registrar.dir, DEFAULT_CTL_DIR, 'switchyard-ctl-default');
}
