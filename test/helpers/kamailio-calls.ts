// Real Kamailio peers for live calls and the dispatcher's own view, on loopback, each with its own
// work folder, a ctl socket anyone may use (the test sshd logs in as an unprivileged user), and
// stopped by waiting on the child (PID 1 here does not reap):
// - a "switch" that tracks every INVITE as a dialog (dlg_manage) and relays it to a SIPp callee,
//   with the Record-Route the callee copies, so ACK and BYE pass through it too; on each address
//   it answers OPTIONS as `answer` says (to everyone, to everyone but the dispatcher, only to the
//   dispatcher, or to nobody);
// - a "dispatcher" with the dispatcher module probing every destination each second
//   (ds_probing_mode 1) and keeping its latency figures (ds_ping_latency_stats);
// - SIPp: the caller (held calls at a known rate) and the callee, from test/fixtures/sipp.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from './until';
import { boundOver } from './mount-launcher';
import { stopperFor } from './stop-child';

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
export const SIPP_SCENARIOS = fileURLToPath(new URL('../fixtures/sipp/', import.meta.url));

export interface Peer {
  pid: number;
  /** Its work folder (config, pid file, ctl socket). */
  dir: string;
  /** `unix:…` for kamcmd -s. */
  ctl: string;
  logs(): string;
  stop(): Promise<void>;
}

/** How a switch address answers OPTIONS: to all, to all but the dispatcher, only to the dispatcher, to none. */
export type Answer = 'all' | 'not-dispatcher' | 'only-dispatcher' | 'none';

async function startKamailio(name: string, config: (dir: string) => string, ready: (peer: Peer) => Promise<boolean>): Promise<Peer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `switchyard-${name}-`));
  // The test sshd's user reaches the ctl socket through this folder.
  chmodSync(dir, 0o755);
  const cfg = path.join(dir, 'kamailio.cfg');
  writeFileSync(cfg, config(dir));
  const child = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-w', dir, '-P', path.join(dir, 'kamailio.pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-40_000)));
  const peer = managed(child, dir, () => log);
  try {
    await until(`${name} kamailio to answer on its ctl socket`, async () => {
      if (child.exitCode !== null) throw new Error(`${name} kamailio exited (${child.exitCode}):\n${log}`);
      return ready(peer);
    });
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return peer;
}

function managed(child: ChildProcess, dir: string, logs: () => string): Peer {
  const stop = stopperFor(child, dir);
  return {
    pid: child.pid ?? 0,
    dir,
    ctl: `unix:${path.join(dir, 'ctl')}`,
    logs,
    stop,
  };
}

/** Runs kamcmd against a peer directly (independent of the code under test). */
export function kamcmd(peer: Pick<Peer, 'ctl'>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('kamcmd', ['-s', peer.ctl, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ctlParams = (dir: string): string => `modparam("ctl", "binrpc", "unix:${path.join(dir, 'ctl')}")\nmodparam("ctl", "mode", 0666)\n`;

export interface SwitchOptions {
  /** Address → how it answers OPTIONS. Each listens on `port` over UDP and TCP. */
  addresses: Record<string, Answer>;
  port: number;
  /** Where INVITEs go: the SIPp callee. */
  callee: { host: string; port: number };
  /** The dispatcher's address, for the per-address OPTIONS rules. */
  dispatcherAddress?: string;
  /** False: no dialog module at all (a Kamailio that does not count calls). */
  trackDialogs?: boolean;
}

export function startSwitch(options: SwitchOptions): Promise<Peer> {
  const dialogs = options.trackDialogs !== false;
  const dispatcher = options.dispatcherAddress ?? '0.0.0.0';
  const rules = Object.entries(options.addresses)
    .map(([address, answer]) => {
      const drop =
        answer === 'none'
          ? 'true'
          : answer === 'not-dispatcher'
            ? `$si == "${dispatcher}"`
            : answer === 'only-dispatcher'
              ? `$si != "${dispatcher}"`
              : 'false';
      return `        if ($Ri == "${address}" && ${drop}) exit;`;
    })
    .join('\n');
  return startKamailio(
    'switch',
    (dir) => `#!KAMAILIO
debug=1
log_stderror=yes
children=2
tcp_children=1
auto_aliases=no
${Object.keys(options.addresses)
  .map((a) => `listen=udp:${a}:${options.port}\nlisten=tcp:${a}:${options.port}`)
  .join('\n')}
mpath="${MODULES}"
loadmodule "kex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "maxfwd.so"
loadmodule "ctl.so"
${dialogs ? 'loadmodule "dialog.so"\n' : ''}${ctlParams(dir)}
request_route {
    if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
    if (is_method("OPTIONS") && !has_totag()) {
${rules}
        sl_send_reply("200", "OK");
        exit;
    }
    if (has_totag()) {
        if (loose_route()) { t_relay(); exit; }
        if (is_method("ACK")) { if (t_check_trans()) t_relay(); exit; }
        sl_send_reply("404", "Not here");
        exit;
    }
    if (is_method("INVITE")) {
        ${dialogs ? 'dlg_manage();' : ''}
        record_route();
        $du = "sip:${options.callee.host}:${options.callee.port}";
        t_relay();
        exit;
    }
    if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
    sl_send_reply("404", "Not here");
}
`,
    async (peer) => (await kamcmd(peer, 'core.uptime')).stdout.includes('uptime:'),
  );
}

export interface DispatcherOptions {
  address: string;
  port: number;
  /** `set uri flags priority attrs` lines of the destination list. */
  destinations: string[];
}

export function startDispatcher(options: DispatcherOptions): Promise<Peer> {
  return startKamailio(
    'dispatcher',
    (dir) => {
      writeFileSync(path.join(dir, 'dispatcher.list'), `${options.destinations.join('\n')}\n`);
      return `#!KAMAILIO
debug=1
log_stderror=yes
children=2
tcp_children=1
auto_aliases=no
listen=udp:${options.address}:${options.port}
listen=tcp:${options.address}:${options.port}
mpath="${MODULES}"
loadmodule "kex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "ctl.so"
loadmodule "dispatcher.so"
${ctlParams(dir)}
modparam("tm", "fr_timer", 1000)
modparam("dispatcher", "list_file", "${path.join(dir, 'dispatcher.list')}")
modparam("dispatcher", "ds_ping_interval", 1)
modparam("dispatcher", "ds_probing_mode", 1)
modparam("dispatcher", "ds_probing_threshold", 1)
modparam("dispatcher", "ds_inactive_threshold", 1)
modparam("dispatcher", "ds_ping_latency_stats", 1)
modparam("dispatcher", "ds_ping_from", "sip:dispatcher@${options.address}:${options.port}")
request_route {
    if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
    if (!ds_select_dst("1", "4")) { sl_send_reply("503", "No destination"); exit; }
    t_relay();
}
`;
    },
    async (peer) => (await kamcmd(peer, 'dispatcher.list')).stdout.includes('RECORDS'),
  );
}

/** A SIPp process we own (no -bg: its pid is ours to stop and wait for). */
export function startSipp(args: string[]): Peer & { exited: Promise<number | null> } {
  const child = spawn('sipp', [...args, '-nostdin'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const peer = managed(child, mkdtempSync(path.join(os.tmpdir(), 'switchyard-sipp-')), () => log);
  return { ...peer, exited };
}

/** The callee behind the switch: answers INVITEs and BYEs (answer-uas.xml). */
export function startCallee(host: string, port: number): Peer {
  return startSipp(['-sf', path.join(SIPP_SCENARIOS, 'answer-uas.xml'), '-i', host, '-p', String(port)]);
}

/** The caller: `calls` calls at `rate` per second, each held `holdMs` (held-call-uac.xml). */
export function startCaller(options: { from: string; port: number; to: string; calls: number; rate: number; holdMs: number }): Peer {
  return startSipp([
    '-sf',
    path.join(SIPP_SCENARIOS, 'held-call-uac.xml'),
    options.to,
    '-i',
    options.from,
    '-p',
    String(options.port),
    '-m',
    String(options.calls),
    '-r',
    String(options.rate),
    '-d',
    String(options.holdMs),
  ]);
}

/** An OPTIONS responder (options-uas.xml). */
export function startOptionsResponder(host: string, port: number): Peer {
  return startSipp(['-sf', path.join(SIPP_SCENARIOS, 'options-uas.xml'), '-i', host, '-p', String(port)]);
}

/** Dialog counters straight from Kamailio, to check the code under test against. */
export async function dialogStats(peer: Pick<Peer, 'ctl'>): Promise<Record<string, number>> {
  const { stdout } = await kamcmd(peer, 'stats.get_statistics', 'dialog:');
  return Object.fromEntries([...stdout.matchAll(/^dialog:(\w+) = (\d+)$/gm)].map((m) => [m[1] ?? '', Number(m[2])]));
}

/**
 * What `startSshd({ launcher })` takes so that the sshd's sessions find this Kamailio's control
 * socket at `at` (an existing empty file): a private mount namespace for that sshd with the socket
 * bound over `at`. Several Kamailios on one machine then each look like the only one on "their"
 * server, and the recipe book names one socket path for all (as on real servers).
 */
export function ctlSeenAt(peer: Pick<Peer, 'ctl'>, at: string): string[] {
  return boundOver(peer.ctl.replace(/^unix:/, ''), at, 'switchyard-ctl-view');
}
