import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { until } from './until';

// A real IPMI BMC on loopback: OpenIPMI's ipmi_sim (Debian's `openipmi`), speaking IPMI 2.0 over
// LAN (RMCP+) on a UDP port of its own, with one admin user. Power changes go to a
// `chassis_control` script, which ipmi_sim runs as `SCRIPT 0x20 get power` / `set power 0|1`,
// `set reset 1`, `set shutdown 1`; ours writes the power state to a file and logs every call, so a
// test sees exactly what the simulator was told. A soft power-off ("shutdown") turns the power off
// `shutdownMs` later, as an operating system taking its time to shut down would; with
// `ignoreSoftOff` the "operating system" never does (a hung server).
//
// ipmi_sim implements RMCP+ cipher suites up to 3 (HMAC-SHA1), not 17: tests use suite 3.

export const BMC_USER = 'admin';
// ipmi_sim's config parser splits on spaces, even inside quotes: no space in the password.
export const BMC_PASSWORD = 'bmcS3cret-pw7';

export interface IpmiSim {
  host: string;
  port: number;
  dir: string;
  /** Every chassis_control call so far, oldest first ("get power", "set power 0", …). */
  calls(): string[];
  /** The simulated power state now. */
  power(): 'on' | 'off';
  /** Make the simulated operating system ignore (true) or obey (false) a soft power-off. */
  ignoreSoftOff(ignore: boolean): void;
  stop(): Promise<void>;
}

/** A UDP port nothing listens on right now (bound, read, released). */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function chassisScript(dir: string, shutdownMs: number): string {
  return `#!/bin/sh
# ipmi_sim's chassis control: SCRIPT <mc> get <parm>... | set <parm> <value>...
dir='${dir}'
echo "$*" | cut -d' ' -f2- >> "$dir/calls.log"
now() { date +%s%3N; }
state() {
  if [ -f "$dir/shutdown-at" ] && [ $(( $(now) - $(cat "$dir/shutdown-at") )) -ge ${shutdownMs} ]; then
    echo 0 > "$dir/power"; rm -f "$dir/shutdown-at"
  fi
  cat "$dir/power"
}
mc=$1; op=$2; shift 2
case $op in
  get)
    for parm in "$@"; do
      case $parm in
        power) echo "power:$(state)" ;;
        boot) echo "boot:none" ;;
      esac
    done ;;
  set)
    while [ $# -ge 2 ]; do
      case $1 in
        power) echo "$2" > "$dir/power"; rm -f "$dir/shutdown-at" ;;
        # A hung operating system ignores the power-button signal: it is not remembered either.
        shutdown) if [ "$2" = 1 ] && [ ! -f "$dir/ignore-soft-off" ]; then now > "$dir/shutdown-at"; fi ;;
        reset) : ;;
      esac
      shift 2
    done ;;
esac
exit 0
`;
}

export async function startIpmiSim(options: { shutdownMs?: number } = {}): Promise<IpmiSim> {
  const host = '127.0.0.1';
  const port = await freeUdpPort(host);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ipmi-'));
  mkdirSync(path.join(dir, 'state'));
  writeFileSync(path.join(dir, 'power'), '1\n');
  writeFileSync(path.join(dir, 'calls.log'), '');
  const script = path.join(dir, 'chassis_control');
  writeFileSync(script, chassisScript(dir, options.shutdownMs ?? 1_000));
  chmodSync(script, 0o755);
  writeFileSync(
    path.join(dir, 'lan.conf'),
    [
      'name "switchyard-test-bmc"',
      'set_working_mc 0x20',
      '  startlan 1',
      `    addr ${host} ${port}`,
      '    priv_limit admin',
      '    allowed_auths_callback none md2 md5 straight',
      '    allowed_auths_user none md2 md5 straight',
      '    allowed_auths_operator none md2 md5 straight',
      '    allowed_auths_admin none md2 md5 straight',
      '    guid a0a1a2a3a4a5a6a7a8a9aaabacadaeaf',
      '  endlan',
      `  chassis_control "${script} 0x20"`,
      '  user 1 true "" "" user 10 none md2 md5 straight',
      `  user 2 true "${BMC_USER}" "${BMC_PASSWORD}" admin 10 none md2 md5 straight`,
      '',
    ].join('\n'),
  );
  // The BMC itself: without it the simulator answers nothing.
  writeFileSync(
    path.join(dir, 'sim.emu'),
    'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nmc_enable 0x20\n',
  );

  let output = '';
  const child: ChildProcess = spawn(
    '/usr/bin/ipmi_sim',
    ['-c', path.join(dir, 'lan.conf'), '-f', path.join(dir, 'sim.emu'), '-s', path.join(dir, 'state'), '-n'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };

  // Ready when the real ipmitool gets an answer through the simulator.
  try {
    await until(
      `ipmi_sim on ${host}:${port} to answer (output: ${output})`,
      () =>
        new Promise<boolean>((resolve) => {
          if (child.exitCode !== null) throw new Error(`ipmi_sim exited (${child.exitCode}): ${output}`);
          execFile(
            'ipmitool',
            [
              '-I',
              'lanplus',
              '-C',
              '3',
              '-N',
              '1',
              '-R',
              '1',
              '-H',
              host,
              '-p',
              String(port),
              '-U',
              BMC_USER,
              '-E',
              'chassis',
              'power',
              'status',
            ],
            { env: { ...process.env, IPMI_PASSWORD: BMC_PASSWORD } },
            (error) => resolve(error === null),
          );
        }),
      20_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  writeFileSync(path.join(dir, 'calls.log'), '');

  return {
    host,
    port,
    dir,
    calls: () =>
      existsSync(path.join(dir, 'calls.log'))
        ? readFileSync(path.join(dir, 'calls.log'), 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [],
    power: () => (readFileSync(path.join(dir, 'power'), 'utf8').trim() === '1' ? 'on' : 'off'),
    ignoreSoftOff(ignore) {
      const flag = path.join(dir, 'ignore-soft-off');
      if (ignore) writeFileSync(flag, '');
      else rmSync(flag, { force: true });
    },
    stop,
  };
}
