// A smaller JSON form of answers that hold long lists of like records, for the answers a web host
// writes into the console's page (src/host/web/first-screen.ts). At 10,000 servers the fleet's rows
// and latest values are about 6 MB as plain JSON, most of it the same keys written 10,000 times,
// and the browser parses every byte of the page before the console's scripts may run. Packed:
//   - an array of at least MIN_RUN plain objects that all have the same keys in the same order
//     (nulls allowed among them) becomes one object per column:
//       {"$records": {"n": length, "keys": [...], "cols": [column, ...], "nulls": [index, ...]}}
//     each column packed the same way in turn (a column of like objects becomes records again);
//   - an array of at least MIN_RUN strings with at most half of them distinct becomes a list of
//     words and the index of each: {"$words": {"words": [...], "at": [index, ...]}};
//   - an array of at least MIN_RUN integers that is shorter written as steps becomes the first and
//     the difference of each from the one before: {"$steps": [first, step, ...]} (the probe times of
//     10,000 servers are 13 digits each and a few apart).
// Anything else is written as it is. `unpackValue` gives back exactly what was packed (JSON's own
// values, key order included). A value holding an object with a key the form reserves ($records,
// $words, $steps, __proto__) cannot be packed: `packValue` throws and the caller sends it as it is.

const RECORDS = '$records';
const WORDS = '$words';
const STEPS = '$steps';
/** Shorter runs save too little to be worth a shape of their own. */
const MIN_RUN = 8;

export class NotPackable extends Error {}

type JsonObject = { [key: string]: unknown };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const reserved = (key: string): boolean => key === RECORDS || key === WORDS || key === STEPS || key === '__proto__';

function sameKeys(keys: readonly string[], object: JsonObject): boolean {
  let i = 0;
  for (const key in object) {
    if (keys[i] !== key) return false;
    i += 1;
  }
  return i === keys.length;
}

function packArray(values: readonly unknown[]): unknown {
  if (values.length >= MIN_RUN) {
    const records = packRecords(values);
    if (records !== null) return records;
    const words = packWords(values);
    if (words !== null) return words;
    const steps = packSteps(values);
    if (steps !== null) return steps;
  }
  return values.map(packValue);
}

function packRecords(values: readonly unknown[]): unknown {
  let keys: string[] | null = null;
  const nulls: number[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null) {
      nulls.push(i);
      continue;
    }
    if (!isObject(value)) return null;
    if (keys === null) {
      keys = Object.keys(value);
      if (keys.some(reserved)) throw new NotPackable(`an object has a key the packed form reserves`);
    } else if (!sameKeys(keys, value)) return null;
  }
  if (keys === null) return null;
  const cols = keys.map((key) => packArray(values.map((v) => (isObject(v) ? v[key] : null))));
  return { [RECORDS]: nulls.length === 0 ? { n: values.length, keys, cols } : { n: values.length, keys, cols, nulls } };
}

function packWords(values: readonly unknown[]): unknown {
  const index = new Map<string, number>();
  const at: number[] = [];
  for (const value of values) {
    if (typeof value !== 'string') return null;
    let i = index.get(value);
    if (i === undefined) {
      i = index.size;
      index.set(value, i);
      if (index.size * 2 > values.length) return null;
    }
    at.push(i);
  }
  return { [WORDS]: { words: [...index.keys()], at } };
}

/** Digits and sign of an integer as JSON writes it. */
const widthOf = (n: number): number => String(n).length;

function packSteps(values: readonly unknown[]): unknown {
  const steps: number[] = [];
  let before = 0;
  let plain = 0;
  let stepped = 0;
  for (const value of values) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || Object.is(value, -0)) return null;
    const step = value - before;
    if (!Number.isSafeInteger(step)) return null;
    steps.push(step);
    plain += widthOf(value);
    stepped += widthOf(step);
    before = value;
  }
  return stepped < plain ? { [STEPS]: steps } : null;
}

/** The packed form of a JSON value; throws NotPackable when it holds a reserved key. */
export function packValue(value: unknown): unknown {
  if (Array.isArray(value)) return packArray(value);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key in value) {
    if (reserved(key)) throw new NotPackable(`an object has a key the packed form reserves`);
    out[key] = packValue(value[key]);
  }
  return out;
}

const fail = (what: string): never => {
  throw new Error(`not a packed value: ${what}`);
};

function unpackRecords(form: unknown): unknown[] {
  if (!isObject(form)) return fail('records without their description');
  const { n, keys, cols, nulls } = form;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return fail('records without a length');
  if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string' && !reserved(k))) return fail('records keys');
  if (!Array.isArray(cols) || cols.length !== keys.length) return fail('records columns');
  const columns = cols.map((col) => {
    const values = unpackValue(col);
    if (!Array.isArray(values) || values.length !== n) return fail('a records column of the wrong length');
    return values;
  });
  const out: unknown[] = new Array<unknown>(n);
  for (let i = 0; i < n; i += 1) {
    const record: JsonObject = {};
    for (let k = 0; k < keys.length; k += 1) record[keys[k] as string] = (columns[k] as unknown[])[i];
    out[i] = record;
  }
  if (nulls !== undefined) {
    if (!Array.isArray(nulls)) return fail('records nulls');
    for (const i of nulls) {
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) return fail('a records null out of range');
      out[i] = null;
    }
  }
  return out;
}

function unpackWords(form: unknown): string[] {
  if (!isObject(form)) return fail('words without their description');
  const { words, at } = form;
  if (!Array.isArray(words) || !words.every((w): w is string => typeof w === 'string')) return fail('words');
  if (!Array.isArray(at)) return fail('word indexes');
  return at.map((i) =>
    typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < words.length ? (words[i] as string) : fail('a word index out of range'),
  );
}

function unpackSteps(form: unknown): number[] {
  if (!Array.isArray(form)) return fail('steps');
  const out: number[] = new Array<number>(form.length);
  let value = 0;
  for (let i = 0; i < form.length; i += 1) {
    const step: unknown = form[i];
    if (typeof step !== 'number' || !Number.isSafeInteger(step)) return fail('a step that is not an integer');
    value += step;
    if (!Number.isSafeInteger(value)) return fail('steps beyond a safe integer');
    out[i] = value;
  }
  return out;
}

/**
 * The value `packValue` was given, from its packed form as JSON.parse read it (the parsed value is
 * reused in place). Throws on a form that is not one `packValue` makes.
 */
export function unpackValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = unpackValue(value[i]);
    return value;
  }
  if (!isObject(value)) return value;
  if (Object.hasOwn(value, RECORDS)) return unpackRecords(value[RECORDS]);
  if (Object.hasOwn(value, WORDS)) return unpackWords(value[WORDS]);
  if (Object.hasOwn(value, STEPS)) return unpackSteps(value[STEPS]);
  // A key JSON.parse made an own property, `__proto__` included: assigning to it sets that property.
  for (const key in value) value[key] = unpackValue(value[key]);
  return value;
}
