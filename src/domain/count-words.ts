// A count and its noun as a sentence needs them: "1 server", "4 servers". For messages the host
// writes (the UI has its own, locale-formatted plural() in src/ui/lib/format.ts).

export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The non-zero counts joined as a person lists them: "4 servers and 1 RTP server". */
export function countsOf(parts: readonly (readonly [number, string, string?])[]): string {
  const said = parts.filter(([n]) => n !== 0).map(([n, one, many]) => countOf(n, one, many));
  if (said.length <= 1) return said[0] ?? 'nothing';
  return `${said.slice(0, -1).join(', ')} and ${said[said.length - 1] ?? ''}`;
}
