// Filter chip counts that follow the rest of the filter: each chip says how many rows it would
// show if it were on, given the search and every other group's chips. Chips within one group
// combine with OR, groups with AND, so a group's own selection is left out of its counts. Every
// value the whole list holds keeps its chip (with 0 when nothing else matches), so chips never
// vanish or jump under the pointer, and a chip that is on can always be turned off.

export type Filters<K extends string> = Readonly<Record<K, ReadonlySet<string>>>;

/** True when the row passes every group's chips except `except`'s (a group with none on passes all). */
export function passesFilters<T, K extends string>(row: T, filters: Filters<K>, valueOf: (row: T, key: K) => string, except?: K): boolean {
  for (const key of Object.keys(filters) as K[]) {
    if (key === except) continue;
    const on = filters[key];
    if (on.size > 0 && !on.has(valueOf(row, key))) return false;
  }
  return true;
}

/**
 * How many rows each value of group `key` would show: rows passing `base` (the search) and every
 * other group. Values are those of all `rows`, so a value with no match left reads 0.
 */
export function facetCounts<T, K extends string>(
  rows: readonly T[],
  key: K,
  filters: Filters<K>,
  valueOf: (row: T, key: K) => string,
  base: (row: T) => boolean = () => true,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = valueOf(row, key);
    const before = counts.get(value) ?? 0;
    counts.set(value, before + (base(row) && passesFilters(row, filters, valueOf, key) ? 1 : 0));
  }
  return counts;
}

/**
 * `facetCounts` for every group at once, in one pass over the rows: each row's values are read
 * once (a live status is a lookup per row), and a row counts towards group `k` when it passes
 * `base` and every group but `k`. Same answers as calling `facetCounts` once per group.
 */
export function everyFacetCount<T, K extends string>(
  rows: readonly T[],
  filters: Filters<K>,
  valueOf: (row: T, key: K) => string,
  base: (row: T) => boolean = () => true,
): Record<K, Map<string, number>> {
  const keys = Object.keys(filters) as K[];
  const counts = keys.map(() => new Map<string, number>());
  const values: string[] = new Array<string>(keys.length);
  for (const row of rows) {
    let failing = 0;
    let failed = -1;
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[i] as K;
      const value = valueOf(row, key);
      values[i] = value;
      const on = filters[key];
      if (on.size > 0 && !on.has(value)) {
        failing += 1;
        failed = i;
      }
    }
    const matches = failing <= 1 && base(row);
    for (let i = 0; i < keys.length; i += 1) {
      const tally = counts[i] as Map<string, number>;
      const value = values[i] as string;
      // Passing every other group: nothing fails, or only this group does.
      const counted = matches && (failing === 0 || failed === i);
      tally.set(value, (tally.get(value) ?? 0) + (counted ? 1 : 0));
    }
  }
  return Object.fromEntries(keys.map((key, i) => [key, counts[i]])) as Record<K, Map<string, number>>;
}

/**
 * A group's values for every row of a list, coded: row i's value is `values[codes[i]]`. Values are
 * numbered in the order the rows first show them, the order `everyFacetCount` lists them in.
 */
export interface CodedColumn {
  readonly codes: Uint32Array;
  readonly values: readonly string[];
}

/** Codes a group's values, one per row (see CodedColumn). */
export function codeColumn(rowValues: readonly string[]): CodedColumn {
  const codes = new Uint32Array(rowValues.length);
  const values: string[] = [];
  const codeOf = new Map<string, number>();
  for (let i = 0; i < rowValues.length; i += 1) {
    const value = rowValues[i] as string;
    let code = codeOf.get(value);
    if (code === undefined) {
      code = values.length;
      codeOf.set(value, code);
      values.push(value);
    }
    codes[i] = code;
  }
  return { codes, values };
}

/** For each code of `column`, 1 when its value is on in `on`. */
function onCodes(column: CodedColumn, on: ReadonlySet<string>): Uint8Array {
  const out = new Uint8Array(column.values.length);
  for (let c = 0; c < out.length; c += 1) out[c] = on.has(column.values[c] as string) ? 1 : 0;
  return out;
}

/**
 * The rows (by index) passing every group's chips, as `passesFilters` says of each row, for rows
 * given as coded columns: a lookup per group and row instead of a set of strings.
 */
export function codedFilter<K extends string>(columns: Readonly<Record<K, CodedColumn>>, filters: Filters<K>): (row: number) => boolean {
  const checks = (Object.keys(filters) as K[])
    .filter((key) => filters[key].size > 0)
    .map((key) => ({ codes: columns[key].codes, on: onCodes(columns[key], filters[key]) }));
  return (row) => {
    for (const { codes, on } of checks) if (on[codes[row] as number] !== 1) return false;
    return true;
  };
}

/**
 * `everyFacetCount` for rows given as coded columns (row i of every column is the same row), with
 * the search as a mask (`base[i]` 1 when row i passes; null: every row passes). Same counts, and
 * the same values in the same order. At 10,000 servers this runs at every keystroke of the search
 * and every live push (the status group follows the probes), so it counts into typed arrays.
 */
export function everyFacetCountCoded<K extends string>(
  columns: Readonly<Record<K, CodedColumn>>,
  filters: Filters<K>,
  base: Uint8Array | null = null,
): Record<K, Map<string, number>> {
  const keys = Object.keys(filters) as K[];
  const groups = keys.map((key) => {
    const column = columns[key];
    return {
      codes: column.codes,
      on: filters[key].size > 0 ? onCodes(column, filters[key]) : null,
      tally: new Uint32Array(column.values.length),
    };
  });
  const rows = groups[0]?.codes.length ?? 0;
  for (let i = 0; i < rows; i += 1) {
    if (base !== null && base[i] !== 1) continue;
    let failing = 0;
    let failed = -1;
    for (let g = 0; g < groups.length; g += 1) {
      const { codes, on } = groups[g] as (typeof groups)[number];
      if (on !== null && on[codes[i] as number] !== 1) {
        failing += 1;
        failed = g;
        if (failing > 1) break;
      }
    }
    if (failing > 1) continue;
    for (let g = 0; g < groups.length; g += 1) {
      // Passing every other group: nothing fails, or only this group does.
      if (failing === 0 || failed === g) {
        const { codes, tally } = groups[g] as (typeof groups)[number];
        const code = codes[i] as number;
        tally[code] = (tally[code] as number) + 1;
      }
    }
  }
  return Object.fromEntries(
    keys.map((key, g) => {
      const tally = (groups[g] as (typeof groups)[number]).tally;
      return [key, new Map(columns[key].values.map((value, c) => [value, tally[c] as number]))];
    }),
  ) as Record<K, Map<string, number>>;
}
