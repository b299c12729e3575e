// mtr JSON from forked and wrapped builds: instead of upstream's `report.hubs[]` with `Loss%`,
// `Snt` and `Wrst`, a flat list of hops with lower-case keys (`hop`, `ipaddr`, `host`, `asn`,
// `losspercent`, `sent`, `last`, `avg`, `best`, `worst`, `stddev`, `jitter`), under `hops`,
// `report.hops`, `data`, or per target as mtr085 writes it (`targets[].data[]`). Keys are
// matched without regard to case, `_` or `-`; figures may be numbers or strings ("0.0%").
import type { MtrHop, MtrResult } from './types';
import { readMtrJson } from './json';
import { hostOrNull, mtrNumber } from './hop';

type Row = Record<string, unknown>;

const KEYS = {
  hop: ['hop', 'count', 'ttl', 'hopnumber'],
  name: ['host', 'hostname', 'name'],
  address: ['ipaddr', 'ip', 'address', 'ipaddress', 'addr'],
  loss: ['losspercent', 'loss%', 'loss', 'losspct'],
  sent: ['sent', 'snt'],
  last: ['last', 'lastms'],
  avg: ['avg', 'avgms', 'average'],
  best: ['best', 'bestms', 'min'],
  worst: ['worst', 'wrst', 'worstms', 'max'],
  stddev: ['stddev', 'stdev', 'sd'],
} as const;

function isRecord(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The row's value under the first of the names it has, keys compared loosely. */
function pick(row: Row, names: readonly string[]): unknown {
  const loose = new Map(Object.entries(row).map(([k, v]) => [k.toLowerCase().replace(/[\s_-]/g, ''), v]));
  for (const name of names) if (loose.has(name)) return loose.get(name);
  return undefined;
}

function hopList(doc: unknown): { rows: unknown[]; target?: string } | null {
  if (Array.isArray(doc)) return { rows: doc };
  if (!isRecord(doc)) return null;
  const target = [doc.destination, doc.dst, doc.target].find((v): v is string => typeof v === 'string');
  const withTarget = (rows: unknown[]) => (target === undefined ? { rows } : { rows, target });
  if (Array.isArray(doc.hops)) return withTarget(doc.hops);
  if (Array.isArray(doc.data)) return withTarget(doc.data);
  if (isRecord(doc.report) && Array.isArray(doc.report.hops)) return withTarget(doc.report.hops);
  // mtr085: {"source":…,"targets":[{"destination":…,"data":[…]}]}; the first target is read.
  if (Array.isArray(doc.targets) && doc.targets.length > 0) return hopList(doc.targets[0]);
  return null;
}

/** True when the JSON text carries a flat hop list (and not upstream's `hubs`). */
export function looksLikeJsonHops(text: string): boolean {
  const head = text.trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return false;
  return /"(?:hop|ttl)"\s*:/i.test(text) && /"(?:loss_?percent|loss%?|loss_?pct)"\s*:/i.test(text);
}

export function parseMtrJsonHops(text: string): MtrResult {
  const read = readMtrJson(text);
  if ('refused' in read) return read.refused;
  const { doc, stoppedAt } = read;
  const list = hopList(doc);
  if (list === null) return { hops: [], stoppedAt: { line: 1, reason: 'no list of hops ("hops" or "data")' } };
  const result: MtrResult = { hops: [] };
  if (list.target !== undefined) result.target = list.target;
  list.rows.forEach((row, i) => {
    if (!isRecord(row)) return;
    const hop = mtrNumber(pick(row, KEYS.hop)) ?? i + 1;
    const named = pick(row, KEYS.name);
    const address = pick(row, KEYS.address);
    const host = hostOrNull(typeof named === 'string' ? named : '') ?? hostOrNull(typeof address === 'string' ? address : '');
    const previous = result.hops[result.hops.length - 1];
    // Several addresses at one hop come as consecutive rows with the same hop number.
    if (previous && previous.hop === hop) {
      if (host !== null && !previous.hosts.includes(host)) previous.hosts.push(host);
      return;
    }
    const entry: MtrHop = {
      hop,
      host,
      hosts: host === null ? [] : [host],
      lossPct: mtrNumber(pick(row, KEYS.loss)) ?? (host === null ? 100 : 0),
      sent: mtrNumber(pick(row, KEYS.sent)) ?? 0,
      lastMs: mtrNumber(pick(row, KEYS.last)),
      avgMs: mtrNumber(pick(row, KEYS.avg)),
      bestMs: mtrNumber(pick(row, KEYS.best)),
      worstMs: mtrNumber(pick(row, KEYS.worst)),
      stddevMs: mtrNumber(pick(row, KEYS.stddev)),
    };
    result.hops.push(entry);
  });
  if (stoppedAt) result.stoppedAt = stoppedAt;
  return result;
}
