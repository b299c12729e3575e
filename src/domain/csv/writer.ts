// The one CSV writer behind every export (fleet, actions log, tool runs, alerts, series): RFC 4180
// quoting plus formula neutralisation, so a value that came from outside (a pasted SIP header, a
// server alias, command output) is shown by a spreadsheet as text and never run as a formula.

export type CsvValue = string | number | boolean | null | undefined;

/**
 * Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula, and some strip a
 * leading tab or carriage return first. Such a cell gets a leading `'`, which the spreadsheet
 * shows as text. A value that already starts with quotes before such a character gets one more,
 * so a reader that removes one quote (the fleet import does) gets the value back exactly.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** True for a text that a spreadsheet would run, as the writer sees it (quotes included). */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** Undoes `csvCell`'s neutralisation on a parsed cell (for importers of our own files). */
export function unneutralise(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * One cell. Numbers are written as numbers (a negative RTT or exit code is no formula); every
 * text is neutralised, then quoted when it holds a comma, a quote or a line break.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : value;
  // A neutralised cell is always quoted, so a reader sees the `'` as part of the text.
  if (looksLikeFormula(text)) return quote(`'${text}`);
  // Edge spaces are quoted too: some readers trim an unquoted cell.
  return /[",\r\n]|^ | $/.test(text) ? quote(text) : text;
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export interface CsvOptions {
  /** Line ending after every row, the last one included; RFC 4180's CRLF unless an export already promised `\n`. */
  newline?: '\r\n' | '\n';
}

/** A header row and data rows; header names are ours, but go through the same cell rule. */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[], options: CsvOptions = {}): string {
  const newline = options.newline ?? '\r\n';
  let out = `${header.map(csvCell).join(',')}${newline}`;
  for (const row of rows) out += `${row.map(csvCell).join(',')}${newline}`;
  return out;
}
