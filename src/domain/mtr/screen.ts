// mtr's interactive (curses) screen as a customer copies it out of a terminal: an optional
// `My traceroute [v0.9x]` title, a `Keys:` line, a ` Host  Loss%  Snt …` header, then hops as
// `N. host  figures` with no `|--`. Unlike `--report`, each hop has its own `Snt` (the screen
// was copied mid-run), a hop not heard from yet reads `(waiting for reply)`, an unknown one a
// bare `N. ???`, with `--aslookup` an `AS…` column comes first, and the other addresses of a
// load-balanced hop follow on indented lines of their own. Chat and Markdown pastes add
// indentation and stray backticks, which are ignored.
import type { MtrHop, MtrResult } from './types';
import { hostOrNull, mtrNumber, unknownHop } from './hop';

const DEFAULT_COLUMNS = ['Loss%', 'Snt', 'Last', 'Avg', 'Best', 'Wrst', 'StDev'];
const HEADER = /^\s*Host\s+(Loss%.*)$/;
const ROW = /^\s*(\d+)\.\s+(.*)$/;
const WAITING = /^\(waiting for reply\)$/;
/** `AS15169  209.85.254.20` or `209.85.254.20` alone, indented, under a hop. */
const EXTRA = /^\s+(?:AS\S+\s+)?([A-Za-z0-9_.:-]+)$/;
const ASN = /^AS(?:\d+|\?\?\?)$/;
const TARGET = /->\s+(\S+)/;

/** The line without the backticks a Markdown or chat paste wraps around it, or trailing spaces. */
const clean = (line: string): string => line.replace(/`/g, ' ').trimEnd();

/** True when the text looks like the interactive screen (with or without its title lines). */
export function looksLikeScreen(text: string): boolean {
  if (/My traceroute\s+\[v\d/.test(text) || /Keys:\s+Help\s+Display mode/.test(text)) return true;
  const lines = text.split(/\r?\n|\r/).map(clean);
  if (lines.some((l) => HEADER.test(l)) && lines.some((l) => ROW.test(l) && !l.includes('|--'))) return true;
  // Rows alone (title and header left out of the paste): a full row with a loss percentage,
  // or a hop still waiting, is specific enough not to be ping or traceroute output.
  return lines.some((l) => {
    const row = ROW.exec(l);
    if (!row || l.includes('|--')) return false;
    const rest = row[2] ?? '';
    return WAITING.test(rest) || /\s\d+(?:\.\d+)?%\s+\d+\s+\d/.test(rest);
  });
}

export function parseMtrScreen(text: string): MtrResult {
  const hops: MtrHop[] = [];
  const result: MtrResult = { hops };
  let columns = DEFAULT_COLUMNS;
  // Extra addresses belong to the hop on the line just above (no blank line between).
  let underHop = false;
  let done = false;
  text
    .split(/\r?\n|\r/)
    .map(clean)
    .forEach((line, index) => {
      if (done) return;
      if (result.target === undefined && hops.length === 0) {
        const target = TARGET.exec(line);
        if (target?.[1]) result.target = target[1];
      }
      const header = HEADER.exec(line);
      if (header) {
        columns = (header[1] ?? '').trim().split(/\s+/);
        underHop = false;
        return;
      }
      const row = ROW.exec(line);
      if (row && !line.includes('|--')) {
        const hop = Number(row[1]);
        const previous = hops[hops.length - 1];
        if (previous && hop <= previous.hop) {
          result.stoppedAt = { line: index + 1, reason: 'a second screen starts here; only the first is read' };
          done = true;
          return;
        }
        const entry = readRow(hop, row[2] ?? '', columns);
        if (entry === null) {
          result.stoppedAt ??= { line: index + 1, reason: 'hop line cut short' };
          underHop = false;
          return;
        }
        hops.push(entry);
        underHop = entry.host !== null;
        return;
      }
      const extra = underHop ? EXTRA.exec(line) : null;
      const last = hops[hops.length - 1];
      // An address or a name with a dot: a lone word under the table is prose, not a host.
      if (extra?.[1] && /[.:]/.test(extra[1]) && last) {
        if (!last.hosts.includes(extra[1])) last.hosts.push(extra[1]);
        return;
      }
      underHop = false;
    });
  return result;
}

function readRow(hop: number, rest: string, columns: string[]): MtrHop | null {
  if (WAITING.test(rest)) return unknownHop(hop);
  const tokens = rest.split(/\s+/).filter((t) => t !== '');
  // `AS???` (or `AS15169`) before the name when mtr looks AS numbers up.
  if (tokens.length > 0 && ASN.test(tokens[0] ?? '')) tokens.shift();
  if (tokens.length === 1 && tokens[0] === '???') return unknownHop(hop);
  if (tokens.length < columns.length + 1) return null;
  const values = tokens.slice(tokens.length - columns.length);
  const cells = new Map(columns.map((c, i) => [c, values[i] ?? '']));
  const get = (name: string): number | null => mtrNumber(cells.get(name));
  const host = hostOrNull(tokens.slice(0, tokens.length - columns.length).join(' '));
  return {
    hop,
    host,
    hosts: host === null ? [] : [host],
    lossPct: get('Loss%') ?? 0,
    sent: get('Snt') ?? 0,
    lastMs: get('Last'),
    avgMs: get('Avg'),
    bestMs: get('Best'),
    worstMs: get('Wrst'),
    stddevMs: get('StDev'),
  };
}
