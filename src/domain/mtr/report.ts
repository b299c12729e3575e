// `mtr --report` and `--report-wide` (and the same table copied from the interactive screen).
import type { MtrHop, MtrResult } from './types';
import { hostOrNull, mtrNumber } from './hop';

const DEFAULT_COLUMNS = ['Loss%', 'Snt', 'Last', 'Avg', 'Best', 'Wrst', 'StDev'];
const ROW = /^\s*(\d+)\.\s*(?:\|--\s*)?(.*)$/;
const EXTRA_HOST = /^\s*\|\s+`?\|--\s+(\S+)/;

function column(row: Map<string, string>, name: string): number | null {
  return mtrNumber(row.get(name));
}

export function parseMtrReport(text: string): MtrResult {
  const lines = text.split(/\r?\n|\r/);
  const hops: MtrHop[] = [];
  let columns = DEFAULT_COLUMNS;
  const result: MtrResult = { hops };
  lines.forEach((line, index) => {
    const header = /^\s*(?:HOST:\s*(\S+)\s+)?(?:Host\s+)?(Loss%.*)$/.exec(line);
    if (header && !ROW.test(line)) {
      columns = (header[2] ?? '').trim().split(/\s+/);
      return;
    }
    const extra = EXTRA_HOST.exec(line);
    if (extra) {
      hops[hops.length - 1]?.hosts.push(extra[1] ?? '');
      return;
    }
    const row = ROW.exec(line);
    if (!row) return;
    const tokens = (row[2] ?? '').trim().split(/\s+/);
    if (tokens.length < columns.length + 1) {
      result.stoppedAt ??= { line: index + 1, reason: 'hop line cut short' };
      return;
    }
    const values = tokens.slice(tokens.length - columns.length);
    const name = tokens
      .slice(0, tokens.length - columns.length)
      .join(' ')
      .replace(/^AS\S+\s+/, '');
    const cells = new Map(columns.map((c, i) => [c, values[i] ?? '']));
    const host = hostOrNull(name);
    hops.push({
      hop: Number(row[1]),
      host,
      hosts: host === null ? [] : [host],
      lossPct: column(cells, 'Loss%') ?? 0,
      sent: column(cells, 'Snt') ?? 0,
      lastMs: column(cells, 'Last'),
      avgMs: column(cells, 'Avg'),
      bestMs: column(cells, 'Best'),
      worstMs: column(cells, 'Wrst'),
      stddevMs: column(cells, 'StDev'),
    });
  });
  return result;
}

/** Tells `--report` from `--report-wide`: the plain report pads host names to a fixed width. */
export function reportVariant(text: string): 'report' | 'report-wide' {
  const header = /^HOST: .*?Loss%/m.exec(text);
  if (!header) return 'report';
  return header[0].length - 'Loss%'.length === 34 ? 'report' : 'report-wide';
}
