// SSH fan-out: `uptime` on 100 loopback hosts with concurrency 20, Switchyard's server action
// against parallel-ssh (Debian's pssh) on the same hosts, user and key, in one run.
//
// Targets: 127.0.1.1 … 127.0.1.100, all one port of a real OpenSSH sshd (test/helpers/sshd.ts:
// one sshd per 16 ListenAddress, MaxStartups and MaxSessions raised). Both sides check host keys
// strictly against a pre-filled file — ours the app's own known_hosts, pssh's an OpenSSH
// UserKnownHostsFile with StrictHostKeyChecking=yes — so neither prompts and neither skips it.
//
// Runs alternate (ours, pssh, ours, pssh …) after one warm-up pair, so both share the machine's
// drift. Ours runs in a fresh Node process each time (ssh-fanout-engine.ts) and is timed from
// `actions:run` to the run's last update: every connection is opened inside the window, as for the
// first action after the console starts; Node's own start-up and opening the database are not
// counted, since the console is already running when an operator starts an action. pssh is timed
// as a whole process, from spawn to exit, as an operator runs it.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatKnownHostsLine } from '../../src/domain/ssh/known-hosts';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import type { FanOutRunResult } from './ssh-fanout-engine';
import { loopbackTarget } from './lib/netns';
import { emit, fmt, hasFlag, log, median } from './lib/report';
import { start, type Running } from './lib/spawn';

const TARGETS = 100;
const CONCURRENCY = 20;
/** Counted runs of each: at least MIN_RUNS; more while another pair fits in PLAN_MS. */
const MIN_RUNS = 5;
const MAX_RUNS = hasFlag('short') ? MIN_RUNS : 9;
const PLAN_MS = 150_000;
/** The whole benchmark's hard bound; a run still going then is stopped and the benchmark fails. */
const BUDGET_MS = 170_000;
const RUN_TIMEOUT_S = 60;
const here = path.resolve('test/bench');

if (process.getuid?.() !== 0) throw new Error('ssh-fanout needs root: sshd can log a user in only when started as root.');
for (const program of ['/usr/sbin/sshd', '/usr/bin/parallel-ssh']) {
  if (!existsSync(program)) throw new Error(`${program} is missing: apt-get install openssh-server pssh`);
}

const began = performance.now();
const addresses = Array.from({ length: TARGETS }, (_, i) => loopbackTarget(i));
const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-ssh-'));
// OpenSSH refuses a private key others can read, and a fresh clone checks fixtures out 0644.
const key = path.join(dir, 'id_ed25519');
copyFileSync(fixture('user_ed25519'), key);
chmodSync(key, 0o600);
const knownHosts = path.join(dir, 'known_hosts');

let sshd: Sshd | null = null;
let running: Running | null = null;
const cleanUp = async (): Promise<void> => {
  await running?.stop();
  running = null;
  await sshd?.stop();
  sshd = null;
  rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

/** Runs a command to its end, stopped (and failed) when the benchmark's budget runs out. */
async function finish(command: string[]): Promise<{ code: number | null; stdout: string; wallS: number }> {
  const left = BUDGET_MS - (performance.now() - began);
  if (left <= 0) throw new Error(`out of time (${BUDGET_MS / 1_000} s) before all runs finished`);
  const t0 = performance.now();
  running = start(command);
  const current = running;
  const timer = setTimeout(() => void current.stop(), left);
  const code = await current.exited;
  clearTimeout(timer);
  running = null;
  if (performance.now() - began >= BUDGET_MS) throw new Error(`out of time (${BUDGET_MS / 1_000} s) before all runs finished`);
  return { code, stdout: current.stdout(), wallS: (performance.now() - t0) / 1_000 };
}

interface Measured {
  wallS: number;
  answered: number;
  detail: string;
}

async function runOurs(port: number): Promise<Measured> {
  const { code, stdout } = await finish([
    process.execPath,
    '--import',
    'tsx',
    path.join(here, 'ssh-fanout-engine.ts'),
    '--port',
    String(port),
    '--key',
    key,
    '--targets',
    String(TARGETS),
    '--concurrency',
    String(CONCURRENCY),
  ]);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`the Switchyard run failed (exit ${code})`);
  const r = JSON.parse(line) as FanOutRunResult;
  if (r.prompts > 0) throw new Error(`${r.prompts} host-key prompts: the app's known_hosts did not cover every target`);
  const failed = r.failures.length > 0 ? `; ${r.failures.length} failed, first: ${r.failures[0]}` : '';
  return {
    wallS: r.wallS,
    answered: r.answered,
    detail: `${r.status}, ${r.answered}/${r.total} answered, ${fmt(r.cpuS)} s CPU in node, ${fmt(r.setupS)} s of set-up before the clock${failed}`,
  };
}

async function runPssh(port: number): Promise<Measured> {
  const sshOptions = [
    '-F /dev/null', // root's ~/.ssh/config (a ControlMaster, say) must not shape the run
    `-i ${key}`,
    '-o IdentitiesOnly=yes',
    `-o UserKnownHostsFile=${knownHosts}`,
    '-o GlobalKnownHostsFile=/dev/null',
    '-o StrictHostKeyChecking=yes',
    '-o BatchMode=yes',
  ].join(' ');
  const hosts = addresses.map((a) => `${a}:${port}`).join(' ');
  const { code, stdout, wallS } = await finish([
    'parallel-ssh',
    '-H',
    hosts,
    '-x',
    sshOptions,
    '-l',
    TEST_USER,
    '-p',
    String(CONCURRENCY),
    '-t',
    String(RUN_TIMEOUT_S),
    '-i',
    'uptime',
  ]);
  // `-i` prints "[n] HH:MM:SS [SUCCESS] host:port" and then that host's output, for every host.
  const succeeded = new Set<string>();
  for (const block of stdout.split(/^(?=\[\d+\] )/m)) {
    const head = /^\[\d+\] \S+ \[(SUCCESS|FAILURE)\] (\S+):\d+/.exec(block);
    if (head?.[1] === 'SUCCESS' && head[2] && block.includes('load average')) succeeded.add(head[2]);
  }
  const answered = addresses.filter((a) => succeeded.has(a)).length;
  return { wallS, answered, detail: `exit ${code}, ${answered}/${TARGETS} answered` };
}

try {
  sshd = await startSshd({ addresses });
  const port = sshd.port;
  const { keyType, key: hostKey } = hostPublicKey('ed25519');
  writeFileSync(knownHosts, `${addresses.map((a) => formatKnownHostsLine(a, port, keyType, hostKey)).join('\n')}\n`);
  log(
    `ssh-fanout: uptime on ${TARGETS} loopback hosts (port ${port}), concurrency ${CONCURRENCY}; one warm-up pair, then ${MIN_RUNS} to ${MAX_RUNS} runs each, alternating`,
  );

  const ours: Measured[] = [];
  const pssh: Measured[] = [];
  let pairMs = 0;
  for (let i = 0; i <= MAX_RUNS; i += 1) {
    // A busy machine gets the minimum; a quiet one more runs in the same time.
    if (i > MIN_RUNS && performance.now() - began + pairMs * 1.2 > PLAN_MS) break;
    const pairStart = performance.now();
    const label = i === 0 ? 'warm-up' : `run ${i}`;
    const a = await runOurs(port);
    log(`  ${label} switchyard: ${fmt(a.wallS, 3)} s (${a.detail})`);
    const b = await runPssh(port);
    log(`  ${label} parallel-ssh: ${fmt(b.wallS, 3)} s (${b.detail})`);
    if (i > 0) {
      ours.push(a);
      pssh.push(b);
    }
    pairMs = performance.now() - pairStart;
  }

  const stats = (runs: Measured[]) => {
    const walls = runs.map((r) => r.wallS);
    return {
      median: median(walls),
      min: Math.min(...walls),
      max: Math.max(...walls),
      allAnswered: runs.every((r) => r.answered === TARGETS),
    };
  };
  const o = stats(ours);
  const p = stats(pssh);
  const pairRatios = ours.map((r, i) => r.wallS / (pssh[i]?.wallS ?? Number.NaN));
  const ratio = o.median / p.median;
  const cell = (s: ReturnType<typeof stats>) => `${fmt(s.median, 2)} (${fmt(s.min, 2)}–${fmt(s.max, 2)})`;
  log(
    `  switchyard: median ${fmt(o.median, 3)} s, min ${fmt(o.min, 3)}, max ${fmt(o.max, 3)}; every host answered in every run: ${o.allAnswered}`,
  );
  log(
    `  parallel-ssh: median ${fmt(p.median, 3)} s, min ${fmt(p.min, 3)}, max ${fmt(p.max, 3)}; every host answered in every run: ${p.allAnswered}`,
  );
  log(
    `  ratio of medians ${fmt(ratio, 3)}; pair by pair ${pairRatios.map((r) => fmt(r, 2)).join(', ')} (median ${fmt(median(pairRatios), 3)})`,
  );
  log(`  total ${fmt((performance.now() - began) / 1_000, 1)} s`);
  const answeredNote = o.allAnswered && p.allAnswered ? `${TARGETS}/${TARGETS} answered in every run, both` : 'NOT every host answered';
  emit([
    {
      benchmark: `SSH fan-out, \`uptime\` on ${TARGETS} loopback hosts, concurrency ${CONCURRENCY}`,
      measure: `wall s, median (min–max) of ${ours.length} alternating runs; ${answeredNote}`,
      ours: cell(o),
      peer: `${cell(p)} (parallel-ssh)`,
      ratio: `${fmt(ratio)} ×`,
      goal: '≤ 1 × parallel-ssh',
      met: ratio <= 1 && o.allAnswered && p.allAnswered,
    },
  ]);
} finally {
  await cleanUp();
}
