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
