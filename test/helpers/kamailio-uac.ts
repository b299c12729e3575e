// Two real Kamailios on 127.0.0.1 for UAC Auth: an upstream registrar (registrar + usrloc + auth,
// each user's password checked in the cfg by pv_auth_check, a 401 challenge otherwise) and a fleet
// server that registers to it as a UAC through the uac module, its upstream list read from a
// db_text folder (db_mode 1: a changed file is read again) inside the test sshd's work folder, so
// the SSH test user writes it, and its control socket on loopback TCP for kamcmd. Both stopped by
// waiting on the child (PID 1 here does not reap).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { stopperFor } from './stop-child';

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';

export interface KamailioProcess {
  sipPort: number;
  ctlPort: number;
  /** Runs kamcmd against this Kamailio from the test machine (not over SSH). */
  kamcmd(...args: string[]): string;
  logs(): string;
  stop(): Promise<void>;
}

/** A Kamailio cfg string literal. */
const cfgString = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

async function run(name: string, cfgText: (sipPort: number, ctlPort: number) => string, extraDir?: string): Promise<KamailioProcess> {
  const runDir = mkdtempSync(path.join(os.tmpdir(), `switchyard-${name}-`));
  const sipPort = await freePort();
  const ctlPort = await freePort();
  const cfg = path.join(runDir, 'kamailio.cfg');
  writeFileSync(cfg, cfgText(sipPort, ctlPort));
  const child: ChildProcess = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-w', runDir, '-P', path.join(runDir, 'pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-50_000)));
  const stop = stopperFor(child, runDir, ...(extraDir ? [extraDir] : []));
  const end = Date.now() + 15_000;
  while (!(await accepts(ctlPort))) {
    if (child.exitCode !== null || Date.now() > end) {
      await stop();
      throw new Error(`kamailio (${name}) did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    sipPort,
    ctlPort,
    kamcmd: (...args) => execFileSync('kamcmd', ['-s', `tcp:127.0.0.1:${ctlPort}`, ...args], { encoding: 'utf8' }),
    logs: () => log,
    stop,
  };
}

/** The upstream provider: accepts a REGISTER from a listed user with the right password. */
export function startUpstreamRegistrar(users: Readonly<Record<string, string>>): Promise<KamailioProcess> {
  const checks = Object.entries(users)
    .map(([user, password], i) => `    ${i === 0 ? 'if' : 'else if'} ($fU == ${cfgString(user)}) { $var(pw) = ${cfgString(password)}; }`)
    .join('\n');
  return run(
    'kamailio-registrar',
    (sip, ctl) => `#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
listen=udp:127.0.0.1:${sip}
mpath="${MODULES}"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "ctl.so"
modparam("ctl", "binrpc", "tcp:127.0.0.1:${ctl}")
request_route {
  if (is_method("REGISTER")) {
    $var(pw) = "";
${checks}
    if ($var(pw) == "" || !pv_auth_check("$fd", "$var(pw)", "0", "0")) { auth_challenge("$fd", "0"); exit; }
    if (!save("location")) { sl_reply_error(); }
    exit;
  }
  sl_send_reply("404", "Not here");
}
`,
  );
}

export interface UacClient extends KamailioProcess {
  /** The db_text folder the uac module reads (`reg_db_url`), writable by the SSH test user. */
  dbDir: string;
}

/** The fleet server: registers upstream through uac, its list in `<workDir>/uac` (empty at start). */
export async function startUacClient(workDir: string): Promise<UacClient> {
  const dbDir = path.join(workDir, 'uac');
  mkdirSync(dbDir, { recursive: true });
  chmodSync(dbDir, 0o777);
  const proc = await run(
    'kamailio-uac',
    (sip, ctl) => `#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
listen=udp:127.0.0.1:${sip}
mpath="${MODULES}"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "rr.so"
loadmodule "db_text.so"
loadmodule "uac.so"
loadmodule "ctl.so"
modparam("ctl", "binrpc", "tcp:127.0.0.1:${ctl}")
modparam("db_text", "db_mode", 1)
modparam("uac", "reg_db_url", "text://${dbDir}")
modparam("uac", "reg_contact_addr", "127.0.0.1:${sip}")
modparam("uac", "reg_timer_interval", 1)
request_route {
  sl_send_reply("404", "Not here");
}
`,
    dbDir,
  );
  return { ...proc, dbDir };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
