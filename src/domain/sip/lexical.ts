/**
 * Splitting that respects SIP's quoted strings (with backslash quoted-pairs) and angle brackets,
 * so a comma in a display name or inside `<sip:a,b@host>` does not cut a value in two.
 */

/** Trims SP and HTAB only; `String.prototype.trim` would also eat U+FEFF and other text. */
export function trimWs(text: string): string {
  // Index loops, not a `[ \t]+$` pattern, which is quadratic on a long run of inner blanks.
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

export interface SplitResult {
  parts: string[];
  /** A quoted string was still open at the end of the text. */
  unterminatedQuote: boolean;
}

export function splitOutside(text: string, separator: ',' | ';'): SplitResult {
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  let angle = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuote) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuote = false;
      continue;
    }
    if (ch === '"') inQuote = true;
    else if (ch === '<') angle++;
    else if (ch === '>' && angle > 0) angle--;
    else if (ch === separator && angle === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return { parts, unterminatedQuote: inQuote };
}

/**
 * Splits a list header's value into its elements, trimmed, dropping empty ones (`a,,b` holds two
 * elements; the inspector reports the empty ones separately where the grammar forbids them).
 */
export function splitList(value: string): string[] {
  const parts = splitOutside(value, ',')
    .parts.map(trimWs)
    .filter((p) => p.length > 0);
  return parts.length > 0 ? parts : [trimWs(value)];
}

/** Index just past the quoted string that opens at `start`, or -1 when it never closes. */
export function endOfQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '"') return i + 1;
  }
  return -1;
}

/** Control characters other than HTAB, outside quoted-pairs when `quoteAware` is set. */
export function findControlCharacter(text: string, quoteAware: boolean): number {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (quoteAware) {
      if (inQuote && code === 0x5c) {
        i++; // quoted-pair: RFC 3261 allows %x00-09 / %x0B-0C / %x0E-7F after the backslash
        continue;
      }
      if (code === 0x22) inQuote = !inQuote;
    }
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return i;
  }
  return -1;
}

/** Parameters of the form `;name[=value]` after a value; names lowered, values unquoted. */
export function parseParams(text: string): { name: string; value: string | null }[] {
  return splitOutside(text, ';')
    .parts.slice(1)
    .map((part) => {
      const eq = part.indexOf('=');
      const name = trimWs(eq < 0 ? part : part.slice(0, eq)).toLowerCase();
      if (eq < 0) return { name, value: null };
      const raw = trimWs(part.slice(eq + 1));
      const value = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
      return { name, value };
    });
}
