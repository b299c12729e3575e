// Helpers shared by the ping parsers: line splitting and number reading that tolerate what
// pasted text brings along (CRLF, NBSP from French Windows, full-width punctuation).

/** Splits text into lines, dropping the CR of CRLF endings. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n|\r/);
}

/** Normalises one line: NBSP and full-width comma/colon become their ASCII forms. */
export function normalizeLine(line: string): string {
  return line
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/，/g, ',')
    .replace(/：/g, ':')
    .replace(/、/g, ',');
}

/** Parses a decimal number; NaN, infinities and garbage become null. */
export function num(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

export function int(value: string | undefined): number | null {
  const n = num(value);
  return n === null ? null : Math.trunc(n);
}

/** Loss percentage from the counts; 0 when nothing was sent. */
export function lossFrom(sent: number, received: number): number {
  if (sent <= 0) return 0;
  const pct = ((sent - Math.min(received, sent)) / sent) * 100;
  return Math.round(pct * 1000) / 1000;
}
