// `mtr --csv`: a header line naming the columns, then one line per hop.
import type { MtrResult } from './types';
import { hostOrNull, mtrNumber } from './hop';

export function parseMtrCsv(text: string): MtrResult {
  const result: MtrResult = { hops: [] };
  let header: string[] | null = null;
  text.split(/\r?\n|\r/).forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = line.split(',');
    if (cells[0] === 'Mtr_Version') {
      header = cells.map((c) => c.trim());
      return;
    }
    if (header === null) return;
    const names = header;
    const get = (name: string): string | undefined => cells[names.indexOf(name)];
    const hop = mtrNumber(get('Hop'));
    if (hop === null || cells.length < names.length - 1) {
      result.stoppedAt ??= { line: index + 1, reason: 'CSV line cut short' };
      return;
    }
    result.target ??= get('Host');
    const host = hostOrNull(get('Ip') ?? '');
    const previous = result.hops[result.hops.length - 1];
    if (previous && previous.hop === hop) {
      if (host !== null) previous.hosts.push(host);
      return;
    }
    result.hops.push({
      hop,
      host,
      hosts: host === null ? [] : [host],
      lossPct: mtrNumber(get('Loss%')) ?? 0,
      sent: mtrNumber(get('Snt')) ?? 0,
      lastMs: mtrNumber(get('Last')),
      avgMs: mtrNumber(get('Avg')),
      bestMs: mtrNumber(get('Best')),
      worstMs: mtrNumber(get('Wrst')),
      stddevMs: mtrNumber(get('StDev')),
    });
  });
  return result;
}
