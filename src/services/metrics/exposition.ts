// The Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` once per family,
// then one line per series. Only what Switchyard emits (no timestamps, no exemplars); a family
// declared twice is a programming error and throws, as Prometheus would refuse the whole scrape.

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
}

const LABEL_SPECIAL = /[\\"\n]/;
const HELP_SPECIAL = /[\\\n]/;

/** Label values escape backslash, double quote and line feed; everything else is taken as is. */
export function escapeLabelValue(value: string): string {
  // Most values (aliases, addresses) need nothing: skip the replace for them.
  if (!LABEL_SPECIAL.test(value)) return value;
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escapes backslash and line feed only (a quote is fine there). */
export function escapeHelp(text: string): string {
  if (!HELP_SPECIAL.test(text)) return text;
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** Go's ParseFloat reads JavaScript's number text; only the infinities and NaN are spelled differently. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** `a="x",b="y"` from label pairs, values escaped; label names are ours and already valid. */
export function labelText(pairs: readonly (readonly [string, string])[]): string {
  let out = '';
  for (const [name, value] of pairs) out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  return out;
}

/** Joins pre-rendered label texts, skipping empty ones. */
export function joinLabels(...parts: string[]): string {
  let out = '';
  for (const part of parts) if (part !== '') out += out === '' ? part : `,${part}`;
  return out;
}

/**
 * Builds one exposition as a single growing string: V8 keeps it as a rope and copies it once when
 * it is sent, which costs less than joining an array of 100,000 lines.
 */
export class ExpositionWriter {
  #text = '';
  readonly #declared = new Set<string>();

  /** Starts a family: its HELP and TYPE lines. Series of it follow until the next family. */
  family(family: MetricFamily): void {
    if (this.#declared.has(family.name)) throw new Error(`metric family ${family.name} declared twice`);
    this.#declared.add(family.name);
    this.#text += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
  }

  /** One series; `labels` is a pre-rendered label text (see labelText), '' for none. */
  sample(name: string, labels: string, value: number): void {
    this.#text += labels === '' ? `${name} ${formatValue(value)}\n` : `${name}{${labels}} ${formatValue(value)}\n`;
  }

  /** Series lines of the current family already formatted, each ending in a line feed (hot loops). */
  raw(lines: string): void {
    this.#text += lines;
  }

  text(): string {
    return this.#text;
  }
}
