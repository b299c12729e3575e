// Writes a result back as `mtr --report` text, so results can be shared the way engineers
// already paste them; parseMtrReport reads it back.
import type { MtrHop, MtrResult } from './types';

const f1 = (n: number | null): string => (n === null ? '0.0' : n.toFixed(1));

function row(h: MtrHop): string {
  const name = (h.host ?? '???').slice(0, 25).replace(/\s/g, '_') || '???';
  const loss = h.host === null && h.lossPct >= 100 ? '100.0' : `${h.lossPct.toFixed(1)}%`;
  const stats = [f1(h.lastMs), f1(h.avgMs), f1(h.bestMs), f1(h.worstMs), f1(h.stddevMs)].map((v) => v.padStart(5)).join(' ');
  const head = `${String(h.hop).padStart(3)}.|-- ${name.padEnd(25)}`;
  const lines = [`${head} ${loss.padStart(6)} ${String(h.sent).padStart(5)}  ${stats}`];
  h.hosts.slice(1).forEach((extra, i) => lines.push(`    |  ${i === 0 ? '`' : ' '}|-- ${extra}`));
  return lines.join('\n');
}

export function formatMtrReport(result: MtrResult): string {
  // mtr puts the local host name here; the target is not part of the report text.
  const header = `HOST: ${'switchyard'.padEnd(28)}Loss%   Snt   Last   Avg  Best  Wrst StDev`;
  return [header, ...result.hops.map(row)].join('\n') + '\n';
}
