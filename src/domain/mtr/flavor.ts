import type { MtrFlavor } from './types';
import { reportVariant } from './report';
import { looksLikeScreen } from './screen';
import { looksLikeJsonHops } from './json-hops';

/** Tells which mtr output format the text is, or null. */
export function mtrFlavorOf(text: string): MtrFlavor | null {
  const head = text.trimStart();
  if (head.startsWith('{') && /"report"/.test(head) && /"hubs"/.test(head)) return 'json';
  if (looksLikeJsonHops(head)) return 'json-hops';
  if (/WinMTR statistics/.test(text) || /\|\s*Host\s+-\s+%\s+\|\s*Sent\s*\|/.test(text)) return 'winmtr';
  if (/^Mtr_Version,Start_Time,/m.test(text)) return 'csv';
  if (/^\s*(?:HOST:.*)?Loss%\s+Snt/m.test(text) && /^\s*\d+\.(?:\|--)?\s+\S/m.test(text)) return reportVariant(text);
  // After the report: a report's own `N.|-- host` rows never make it look like the screen.
  if (!/^\s*\d+\.\|--/m.test(text) && looksLikeScreen(text)) return 'screen';
  const lines = text
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length > 0 && lines.every((l) => /^[xhpds] \d+ \S+/.test(l)) && lines.some((l) => l.startsWith('h ') || l.startsWith('p ')))
    return 'raw';
  return null;
}
