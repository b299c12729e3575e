// Prometheus for tests, two ways: a strict reader of the text exposition format 0.0.4 (what a
// scrape must parse as, with the histogram rules Prometheus relies on), and the real server
// (Debian's /usr/bin/prometheus) started on 127.0.0.1 with its own storage folder and config,
// answered through its HTTP API, and stopped by waiting on the child (PID 1 here does not reap).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { until } from './until';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function unescape(text: string, allowed: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (!allowed.includes(c)) throw new Error(`bad escape \\${c} in ${JSON.stringify(text)}`);
    return c === 'n' ? '\n' : c;
  });
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${JSON.stringify(text)}`);
  return Number(text);
}

/** `a="x",b="y\"z"` → { a: 'x', b: 'y"z' }; refuses anything Prometheus would refuse. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let at = 0;
  while (at < text.length) {
    const eq = text.indexOf('=', at);
    const name = text.slice(at, eq);
    if (eq < 0 || !LABEL_NAME.test(name)) throw new Error(`bad label name at ${JSON.stringify(text.slice(at))}`);
    if (name in labels) throw new Error(`label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`label ${name} is not quoted`);
    let end = eq + 2;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) throw new Error(`label ${name} is not closed`);
    labels[name] = unescape(text.slice(eq + 2, end), '\\"n');
    at = end + 1;
    if (at < text.length) {
      if (text[at] !== ',') throw new Error(`expected "," after label ${name}`);
      at += 1;
    }
  }
  return labels;
}

function belongsTo(sampleName: string, family: ParsedFamily): boolean {
  if (sampleName === family.name) return family.type !== 'histogram';
  return family.type === 'histogram' && [`${family.name}_bucket`, `${family.name}_sum`, `${family.name}_count`].includes(sampleName);
}

/**
 * Parses an exposition strictly: HELP then TYPE once per family, every series inside its family,
 * no series twice, a final line feed; histograms with ascending `le`, cumulative counts and a
 * +Inf bucket equal to `_count`. Throws on the first fault.
 */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a line feed');
  const families = new Map<string, ParsedFamily>();
  const seen = new Set<string>();
  let current: ParsedFamily | null = null;
  let pendingHelp: { name: string; help: string } | null = null;
  for (const line of text.slice(0, -1).split('\n')) {
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (help) {
      pendingHelp = { name: help[1] as string, help: unescape(help[2] as string, '\\n') };
      continue;
    }
    if (type) {
      const [, name = '', kind = ''] = type;
      if (!NAME.test(name) || !TYPES.has(kind)) throw new Error(`bad TYPE line ${line}`);
      if (families.has(name)) throw new Error(`TYPE of ${name} twice`);
      if (pendingHelp?.name !== name) throw new Error(`no HELP right before TYPE ${name}`);
      current = { name, type: kind, help: pendingHelp.help, samples: [] };
      families.set(name, current);
      pendingHelp = null;
      continue;
    }
    if (line.startsWith('#') || line === '') throw new Error(`unexpected line ${JSON.stringify(line)}`);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`bad sample line ${JSON.stringify(line)}`);
    const [, name = '', labelText = '', value = ''] = sample;
    if (current === null || !belongsTo(name, current)) throw new Error(`${name} is outside its family`);
    const key = `${name}{${labelText}}`;
    if (seen.has(key)) throw new Error(`series ${key} twice`);
    seen.add(key);
    current.samples.push({ name, labels: parseLabels(labelText), value: parseValue(value) });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: ParsedFamily): void {
  const series = new Map<string, { les: number[]; counts: number[]; count?: number }>();
  const keyOf = (labels: Record<string, string>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([k]) => k !== 'le')
        .sort(),
    );
  for (const s of family.samples) {
    const entry = series.get(keyOf(s.labels)) ?? { les: [], counts: [] };
    series.set(keyOf(s.labels), entry);
    if (s.name.endsWith('_bucket')) {
      entry.les.push(parseValue(s.labels['le'] ?? 'missing'));
      entry.counts.push(s.value);
    } else if (s.name.endsWith('_count')) entry.count = s.value;
  }
  for (const [key, { les, counts, count }] of series) {
    if (les.at(-1) !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}${key}: no +Inf bucket last`);
    les.forEach((le, i) => {
      if (i > 0 && !(le > (les[i - 1] as number))) throw new Error(`${family.name}${key}: le not ascending`);
      if (i > 0 && (counts[i] as number) < (counts[i - 1] as number)) throw new Error(`${family.name}${key}: buckets not cumulative`);
    });
    if (counts.at(-1) !== count) throw new Error(`${family.name}${key}: +Inf bucket ${counts.at(-1)} is not _count ${count}`);
  }
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none. */
export function valueOf(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}

// --- The real server -------------------------------------------------------------------------

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

export interface ScrapeTarget {
  scrapePool: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export interface Prometheus {
  port: number;
  query(expr: string): Promise<VectorSample[]>;
  targets(): Promise<ScrapeTarget[]>;
  /** Its log so far, for a failure message. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts Prometheus with these scrape configs (plain objects, written as JSON, which YAML reads). */
export async function startPrometheus(scrapeConfigs: readonly Record<string, unknown>[]): Promise<Prometheus> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    JSON.stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: scrapeConfigs }, null, 2),
  );
  const port = await freePort();
  const child = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const res = await fetch(`${base}${pathAndQuery}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${pathAndQuery}: ${body.error ?? res.status}`);
    return body.data;
  };
  try {
    await until(
      'Prometheus ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode})`);
        return (await fetch(`${base}/-/ready`).catch(() => null))?.ok === true;
      },
      30_000,
    );
  } catch (error) {
    await stop();
    throw new Error(`prometheus did not start: ${String(error)}\n${log}`);
  }
  return {
    port,
    async query(expr) {
      const data = await api<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      if (data.resultType !== 'vector') throw new Error(`${expr} is a ${data.resultType}, not a vector`);
      return data.result.map((r) => ({ metric: r.metric, value: parseValue(r.value[1]) }));
    },
    async targets() {
      return (await api<{ activeTargets: ScrapeTarget[] }>('/api/v1/targets?state=active')).activeTargets;
    },
    log: () => log,
    stop,
  };
}
