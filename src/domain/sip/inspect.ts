import { checkBodyLength, checkFields } from './check-fields';
import { findControlCharacter, trimWs } from './lexical';
import { buildMessage, headerEntries, type SipHeader } from './message';
import { error, quote, warning, type SipProblem } from './problems';
import { decodeText, MAX_MESSAGE_BYTES, scanMessage, type Scan } from './scan';
import { parseStartLine, startLineProblems } from './start-line';
import { errorMessage } from '../error-message';

/**
 * The inspector's verdict on one pasted message. `kind` is 'unknown' when the text has no
 * readable start line (a trace excerpt that starts at the headers, or not SIP at all); the
 * headers are still listed when they can be read.
 */
export interface SipInspection {
  kind: 'request' | 'response' | 'unknown';
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  version: string;
  headers: SipHeader[];
  body: string;
  problems: SipProblem[];
  /** True when no problem is an error; warnings alone leave a message valid. */
  valid: boolean;
}

/** Inspects a SIP message pasted from a trace. Never throws; every finding is in `problems`. */
export function inspectSip(text: string | Uint8Array): SipInspection {
  try {
    return inspect(text);
  } catch (cause) {
    const detail = errorMessage(cause);
    return unreadable([error('bad-start-line', `The message could not be read (${detail}).`)]);
  }
}

function inspect(text: string | Uint8Array): SipInspection {
  const scanned = scanMessage(text);
  if (!scanned.ok) {
    if (scanned.reason === 'empty') return unreadable([error('empty-message', 'There is no message: the text is empty.')]);
    if (scanned.reason.startsWith('larger')) {
      return unreadable([error('too-large', `The message is larger than ${MAX_MESSAGE_BYTES} bytes; SIP over UDP cannot carry it.`)]);
    }
    return unreadable([error('bad-start-line', 'The text does not start with a SIP request or status line.')]);
  }
  const scan = scanned.scan;
  const start = parseStartLine(scan.firstLine);
  if (start === null) return withoutStartLine(scan);

  const problems = [
    ...startLineProblems(scan.firstLine, start),
    ...checkFields(scan, start),
    ...checkBodyLength(scan),
    ...framingProblems(scan),
  ];
  return finish({ ...buildMessage(scan, start), problems });
}

/** A paste that begins at the headers: show them, and say what is missing. */
function withoutStartLine(scan: Scan): SipInspection {
  const firstAsHeader = /^[^:\s]+[ \t]*:/.test(scan.firstLine);
  const problems = [error('bad-start-line', `The first line ${quote(scan.firstLine)} is not a SIP request or status line.`)];
  if (!firstAsHeader) return unreadable(problems);
  // Re-scan with a placeholder start line so the first header is read like the others.
  const rescanned = { ...scan, fields: [...headerFromLine(scan.firstLine), ...scan.fields] };
  problems.push(...checkFields(rescanned, null), ...framingProblems(rescanned));
  return finish({
    kind: 'unknown',
    version: '',
    headers: headerEntries(rescanned),
    body: decodeText(rescanned.body).text,
    problems,
  });
}

function headerFromLine(line: string): Scan['fields'] {
  const colon = line.indexOf(':');
  return [{ rawName: trimWs(line.slice(0, colon)), value: trimWs(line.slice(colon + 1)) }];
}

function framingProblems(scan: Scan): SipProblem[] {
  const problems: SipProblem[] = [];
  if (findControlCharacter(scan.firstLine, false) >= 0) {
    problems.push(error('invalid-character', 'The start line contains a control character.'));
  }
  if (scan.invalidUtf8) {
    problems.push(warning('invalid-utf8', 'The headers contain bytes that are not valid UTF-8; they are shown as \uFFFD.'));
  }
  if (scan.bareLfLines > 0) {
    problems.push(warning('bare-lf', `${scan.bareLfLines} header lines end with a bare LF instead of CRLF.`));
  }
  if (!scan.terminated) {
    problems.push(warning('unterminated-headers', 'The headers are not followed by the empty line that ends them.'));
  }
  return problems;
}

function unreadable(problems: SipProblem[]): SipInspection {
  return finish({ kind: 'unknown', version: '', headers: [], body: '', problems });
}

/** Findings of one kind shown before the rest are summed up (33 Vias without a branch are one story). */
const SAME_CODE_SHOWN = 3;

function finish(result: Omit<SipInspection, 'valid'>): SipInspection {
  const seen = new Set<string>();
  const perCode = new Map<string, number>();
  const problems: SipProblem[] = [];
  for (const p of result.problems) {
    const key = `${p.code}\u0000${p.message}`;
    if (seen.has(key)) continue; // one repeated fault (";;;;") is one finding, not four
    seen.add(key);
    const count = (perCode.get(p.code) ?? 0) + 1;
    perCode.set(p.code, count);
    if (count <= SAME_CODE_SHOWN) problems.push(p);
  }
  for (const [code, count] of perCode) {
    const first = problems.find((p) => p.code === code);
    if (count > SAME_CODE_SHOWN && first) {
      problems.push({ ...first, message: `…and ${count - SAME_CODE_SHOWN} more findings like the above.` });
    }
  }
  return { ...result, problems, valid: problems.every((p) => p.severity !== 'error') };
}
