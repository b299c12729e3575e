// `switchyard probe sip|icmp|tcp TARGET[:PORT]`: the monitoring engine's own checks, run by hand
// (the same OPTIONS builder, matcher and deadline as the live probes), one line per probe and a
// summary. Exit 0 when any probe was answered, 1 when none was, 2 on bad input. With --nagios it
// is a monitoring plugin instead (nagios-output.ts): one line, exit 0/1/2/3.
import { parseArgs } from 'node:util';
import { formatMs } from '../domain/monitoring/format-ms';
import { isFlaggedCode } from '../domain/monitoring/sample';
import { checkTarget } from '../domain/tools';
import type { Check, ProbeResult } from '../services/probes/check';
import { createIcmpCheck, detectIcmpBackend } from '../services/probes/icmp-backend';
import { SipStreamCheck } from '../services/probes/sip-stream';
import { SipUdpCheck } from '../services/probes/sip-udp';
import { TcpConnectCheck } from '../services/probes/tcp-connect';
import { TlsPin } from '../contract/fleet';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io';
import { usageOf } from './command-help';
import { NAGIOS_DEFAULTS, nagiosUnknown, nagiosVerdict, thresholdProblem, type NagiosThresholds } from './nagios-output';
import { errorMessage } from '../domain/error-message';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const PROBE_USAGE = usageOf('probe');

export interface ProbeLine {
  seq: number;
  ok: boolean;
  rttMs: number | null;
  code?: number;
}

export interface ProbeSummary {
  sent: number;
  received: number;
  lossPct: number;
  minMs: number | null;
  avgMs: number | null;
  maxMs: number | null;
}

type Kind = 'sip' | 'icmp' | 'tcp';
type Transport = 'udp' | 'tcp' | 'tls';

interface Plan {
  kind: Kind;
  transport: Transport;
  host: string;
  port: number;
  count: number;
  intervalMs: number;
  deadlineMs: number;
  tlsPin: string | null;
  json: boolean;
  /** --nagios: one plugin line and its exit code instead of the probe lines. */
  nagios: NagiosThresholds | null;
}

function numberOption(name: string, value: string | undefined, fallback: number, min: number, max: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, not "${value}".`);
  if (integer && !Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, not "${value}".`);
  if (n < min || n > max) throw new UsageError(`--${name} must be ${min}–${max}, not ${value}.`);
  return n;
}

/** Splits `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
export function splitTarget(text: string): { host: string; port: number | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1] ?? '', port: bracketed[2] === undefined ? null : portOf(bracketed[2], text) };
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = text.split(':') as [string, string];
    return { host, port: portOf(port, text) };
  }
  return { host: text, port: null };
}

function portOf(text: string, target: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new UsageError(`TARGET "${target}": the port must be 1–65535.`);
  return n;
}

function plan(args: string[]): Plan {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      transport: { type: 'string' },
      count: { type: 'string' },
      interval: { type: 'string' },
      deadline: { type: 'string' },
      'tls-pin': { type: 'string' },
      json: { type: 'boolean' },
      data: { type: 'string' },
      nagios: { type: 'boolean' },
      warning: { type: 'string' },
      critical: { type: 'string' },
      'warning-loss': { type: 'string' },
      'critical-loss': { type: 'string' },
    },
  });
  const [kind, target, ...extra] = positionals;
  if (kind !== 'sip' && kind !== 'icmp' && kind !== 'tcp')
    throw new UsageError(`probe needs a kind: sip, icmp or tcp${kind === undefined ? '' : `, not "${kind}"`}.`);
  if (target === undefined) throw new UsageError('probe needs a TARGET (an IP address or host name, optionally :PORT).');
  if (extra.length > 0) throw new UsageError(`probe takes one TARGET; also got ${JSON.stringify(extra.join(' '))}.`);
  const transport = values.transport ?? 'udp';
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls')
    throw new UsageError(`--transport must be udp, tcp or tls, not "${transport}".`);
  if (kind !== 'sip' && values.transport !== undefined) throw new UsageError('--transport is for sip probes.');
  const { host, port } = splitTarget(target);
  const checked = checkTarget(host);
  if (!checked.ok) throw new UsageError(`TARGET: ${checked.reason}`);
  if (kind === 'icmp' && port !== null) throw new UsageError('TARGET: ICMP has no port.');
  const nagios = values.nagios === true ? thresholdsOf(values) : null;
  if (nagios === null) {
    const stray = (['warning', 'critical', 'warning-loss', 'critical-loss'] as const).find((k) => values[k] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} is a threshold for --nagios.`);
  }
  if (nagios !== null && values.json === true) throw new UsageError('--nagios and --json are two different outputs: give one.');
  const pin = values['tls-pin'];
  if (pin !== undefined && !TlsPin.safeParse(pin).success)
    throw new UsageError('--tls-pin must be a SHA-256 fingerprint: 64 hex digits, with or without colons.');
  return {
    kind,
    transport,
    host,
    port: port ?? (kind === 'sip' && transport === 'tls' ? 5061 : 5060),
    count: numberOption('count', values.count, 4, 1, 100_000, true),
    intervalMs: numberOption('interval', values.interval, 1, 0.1, 3_600, false) * 1_000,
    deadlineMs: numberOption('deadline', values.deadline, 2_000, 50, 60_000, true),
    tlsPin: pin ?? null,
    json: values.json === true,
    nagios,
  };
}

function thresholdsOf(values: {
  warning?: string;
  critical?: string;
  'warning-loss'?: string;
  'critical-loss'?: string;
}): NagiosThresholds {
  const t: NagiosThresholds = {
    warningMs: numberOption('warning', values.warning, NAGIOS_DEFAULTS.warningMs, 0, 60_000, false),
    criticalMs: numberOption('critical', values.critical, NAGIOS_DEFAULTS.criticalMs, 0, 60_000, false),
    warningLossPct: numberOption('warning-loss', values['warning-loss'], NAGIOS_DEFAULTS.warningLossPct, 0, 100, false),
    criticalLossPct: numberOption('critical-loss', values['critical-loss'], NAGIOS_DEFAULTS.criticalLossPct, 0, 100, false),
  };
  const problem = thresholdProblem(t);
  if (problem !== null) throw new UsageError(problem);
  return t;
}

function whereOf(p: Plan): string {
  return p.kind === 'icmp' ? p.host : `${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
}

async function checkFor(p: Plan): Promise<Check | null> {
  if (p.kind === 'tcp') return new TcpConnectCheck();
  if (p.kind === 'icmp') return createIcmpCheck(await detectIcmpBackend());
  return p.transport === 'udp' ? new SipUdpCheck() : new SipStreamCheck(p.transport);
}

export function summarize(lines: readonly ProbeLine[]): ProbeSummary {
  const rtts = lines.flatMap((l) => (l.ok && l.rttMs !== null ? [l.rttMs] : []));
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    sent: lines.length,
    received: rtts.length,
    lossPct: lines.length === 0 ? 0 : round((100 * (lines.length - rtts.length)) / lines.length),
    minMs: rtts.length === 0 ? null : round(Math.min(...rtts)),
    avgMs: rtts.length === 0 ? null : round(rtts.reduce((a, b) => a + b, 0) / rtts.length),
    maxMs: rtts.length === 0 ? null : round(Math.max(...rtts)),
  };
}

function describe(p: Plan): string {
  const where = whereOf(p);
  const what = p.kind === 'sip' ? `SIP OPTIONS over ${p.transport.toUpperCase()}` : p.kind === 'icmp' ? 'ICMP echo' : 'TCP connect';
  return `${what} to ${where}`;
}

function lineText(l: ProbeLine, result: ProbeResult): string {
  if (!l.ok) return `seq=${l.seq} lost${result.error ? ` (${result.error})` : ''}\n`;
  const code = l.code === undefined ? '' : `  ${l.code}${isFlaggedCode(l.code) ? ' (flagged: alive, not well)' : ''}`;
  return `seq=${l.seq} ${formatMs(l.rttMs)} ms${code}\n`;
}

export async function probeCommand(args: string[], io: Io, signal?: AbortSignal): Promise<number> {
  // A Nagios check must never say anything but its one line and 0–3: bad input and any failure
  // of our own are UNKNOWN (exit 3), never a usage text and exit 2 that reads as CRITICAL.
  if (args.includes('--nagios')) {
    const label = ({ sip: 'SIP', icmp: 'ICMP', tcp: 'TCP' } as Record<string, string>)[args[0] ?? ''] ?? 'PROBE';
    try {
      return await run(args, io, signal);
    } catch (error) {
      const verdict = nagiosUnknown(label, errorMessage(error));
      io.out(verdict.line);
      return verdict.exitCode;
    }
  }
  return run(args, io, signal);
}

async function run(args: string[], io: Io, signal?: AbortSignal): Promise<number> {
  let p: Plan;
  try {
    p = plan(args);
  } catch (error) {
    if (error instanceof UsageError && !args.includes('--nagios')) {
      io.err(`switchyard: ${error.message}\n\n${PROBE_USAGE}`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
  const check = await checkFor(p);
  if (!check) {
    if (p.nagios !== null) throw new Error('neither fping nor ping is installed: no ICMP probe is possible here.');
    io.err('switchyard: neither fping nor ping is installed: no ICMP probe is possible here.\n');
    return EXIT_FAILURE;
  }
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const lines: ProbeLine[] = [];
  const quiet = p.json || p.nagios !== null;
  if (!quiet) io.out(`${describe(p)}: ${p.count} probe${p.count === 1 ? '' : 's'}, deadline ${p.deadlineMs} ms\n`);
  try {
    for (let seq = 1; seq <= p.count && !abort.signal.aborted; seq += 1) {
      const started = Date.now();
      const target = {
        serverId: 'cli',
        host: p.host,
        port: p.port,
        deadlineMs: p.deadlineMs,
        intervalMs: Math.max(p.intervalMs, 100),
        tlsPinSha256: p.tlsPin,
      };
      let result: ProbeResult;
      try {
        result = await check.check(target, abort.signal);
      } catch {
        break; // aborted (Ctrl-C): print what we have
      }
      const line: ProbeLine = {
        seq,
        ok: result.rttMs !== null,
        rttMs: result.rttMs,
        ...(result.code === undefined ? {} : { code: result.code }),
      };
      lines.push(line);
      if (!quiet) io.out(lineText(line, result));
      const wait = p.intervalMs - (Date.now() - started);
      if (seq < p.count && wait > 0) await sleep(wait, abort.signal);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await check.close();
  }
  const summary = summarize(lines);
  if (p.nagios !== null) {
    const codes = lines.flatMap((l) => (l.ok && l.code !== undefined ? [l.code] : []));
    const verdict = nagiosVerdict({ label: p.kind.toUpperCase(), where: whereOf(p), ...summary, codes }, p.nagios);
    io.out(verdict.line);
    return verdict.exitCode;
  }
  if (p.json) io.out(`${JSON.stringify({ probes: lines, summary })}\n`);
  else {
    const rtt =
      summary.received === 0
        ? ''
        : `; rtt min/avg/max = ${formatMs(summary.minMs)}/${formatMs(summary.avgMs)}/${formatMs(summary.maxMs)} ms`;
    io.out(`--- ${describe(p)} ---\n${summary.sent} sent, ${summary.received} received, ${summary.lossPct}% loss${rtt}\n`);
  }
  return summary.received > 0 ? EXIT_OK : EXIT_FAILURE;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
