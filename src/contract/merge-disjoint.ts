// Merges the per-area maps of the contract (methods) and of the host (handlers). A spread lets a
// later map silently replace an earlier entry of the same name, so two areas declaring
// `fleet:list-servers` would leave one of them dead with no error; this throws and names the key.

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** What merging the parts gives: every part's keys with their own types. */
export type MergedParts<P extends Record<string, object>> = {
  [K in keyof UnionToIntersection<P[keyof P]>]: UnionToIntersection<P[keyof P]>[K];
};

/**
 * `{ ...a, ...b, … }` over named parts (`{ fleetMethods, toolsMethods }`), but a key found in two
 * parts throws, naming the key and both parts.
 */
export function mergeDisjoint<const P extends Record<string, object>>(what: string, parts: P): MergedParts<P> {
  const out: Record<string, unknown> = {};
  const from = new Map<string, string>();
  for (const [partName, part] of Object.entries(parts)) {
    for (const [key, value] of Object.entries(part)) {
      const first = from.get(key);
      if (first !== undefined) throw new Error(`${what}: "${key}" is declared by both ${first} and ${partName}`);
      from.set(key, partName);
      out[key] = value;
    }
  }
  return out as MergedParts<P>;
}
