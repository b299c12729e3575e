// Text helpers every format shares. Aliases and summaries come from operators and remote
// servers: a newline in one must not start a line that looks like another alert, and a long one
// must not push a message past its receiver's limits.
import { WHAT_WORD, countWhat, itemLine, type NoticeItem } from '../notice';

const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;

/** Newlines, tabs and other control characters become spaces; runs of spaces collapse. */
export function oneLine(text: string): string {
  let out = '';
  for (const ch of text) out += isControl(ch.codePointAt(0) ?? 0) ? ' ' : ch;
  return out.replace(/ {2,}/g, ' ').trim();
}

/** At most `max` UTF-16 units, ending in "…" when cut; never splits a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** `itemLine` split into its change word ("FIRING") and the rest, on one line, for formats that set the word apart. */
export function lineParts(item: NoticeItem): { word: string; rest: string } {
  const word = WHAT_WORD[item.what];
  const line = itemLine(item);
  const prefix = `[${word}] `;
  return { word, rest: oneLine(line.startsWith(prefix) ? line.slice(prefix.length) : line) };
}

/** The changes in words, most urgent first: "FIRING 3 · RESOLVED 1". */
export function changeWords(items: readonly NoticeItem[]): string {
  const counts = countWhat(items);
  const parts = (['firing', 'flapping', 'reminder', 'acknowledged', 'resolved'] as const)
    .filter((w) => counts[w] > 0)
    .map((w) => `${WHAT_WORD[w]} ${counts[w]}`);
  return parts.join(' · ') || 'no changes';
}
