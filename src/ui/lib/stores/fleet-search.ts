// The fleet table's search: which servers hold the query in their address or alias. At 10,000
// servers it runs at every keystroke, so it compares against lower-cased copies made once per
// fleet list, and a query that holds the one before it (typing on) only looks again at what that
// one matched: no server can match "eu-west-sw01" without matching "sw0".

/** The lower-cased addresses and aliases of a fleet list, row i of each being the list's server i. */
export interface SearchIndex {
  readonly ip: readonly string[];
  readonly alias: readonly string[];
}

export interface SearchResult {
  readonly q: string;
  readonly index: SearchIndex;
  /** Rows that match, ascending. */
  readonly matches: Uint32Array;
  /** 1 for a row that matches, one entry per row. */
  readonly mask: Uint8Array;
}

/**
 * The rows of `index` whose address or alias holds `q` (already trimmed and lower-cased). `last`,
 * the result before, is narrowed when it was for the same index and `q` holds its query; otherwise
 * every row is looked at.
 */
export function searchFleet(index: SearchIndex, q: string, last: SearchResult | null): SearchResult {
  const { ip, alias } = index;
  const mask = new Uint8Array(ip.length);
  const matches: number[] = [];
  const test = (i: number): void => {
    if ((ip[i] as string).includes(q) || (alias[i] as string).includes(q)) {
      mask[i] = 1;
      matches.push(i);
    }
  };
  if (last !== null && last.index === index && q.includes(last.q)) for (const i of last.matches) test(i);
  else for (let i = 0; i < ip.length; i += 1) test(i);
  return { q, index, matches: Uint32Array.from(matches), mask };
}
