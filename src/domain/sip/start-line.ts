import { isToken } from './compact-forms';
import { findControlCharacter, trimWs } from './lexical';
import { error, quote, warning, type SipProblem } from './problems';
import { checkRequestUri } from './uri';

export type StartLine =
  { kind: 'request'; method: string; uri: string; version: string } | { kind: 'response'; status: number; reason: string; version: string };

const VERSION = /^SIP\/\d+\.\d+$/i;
const RESPONSE = /^(SIP\/\S*)[ \t]+(\d+)(?:[ \t](.*))?$/is;

/**
 * Reads a start line the way a forgiving receiver would: any run of blanks separates the parts,
 * and a Request-URI with blanks inside is kept whole. Null when it is neither a request nor a
 * response line. {@link startLineProblems} says what a strict reader would object to.
 */
export function parseStartLine(line: string): StartLine | null {
  const response = RESPONSE.exec(line);
  if (response) {
    const [, version = '', digits = '', reason = ''] = response;
    if (!VERSION.test(version)) return null;
    return { kind: 'response', status: Number(digits), reason, version };
  }
  // Split by hand rather than with a backtracking pattern: a line of many blanks must stay cheap.
  const trimmed = trimWs(line);
  const firstGap = trimmed.search(/[ \t]/);
  const lastGap = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('\t'));
  if (firstGap < 0 || lastGap <= firstGap) return null;
  const method = trimmed.slice(0, firstGap);
  const uri = trimWs(trimmed.slice(firstGap, lastGap));
  const version = trimmed.slice(lastGap + 1);
  if (uri.length === 0 || !VERSION.test(version)) return null;
  return { kind: 'request', method, uri, version };
}

export function startLineProblems(line: string, start: StartLine): SipProblem[] {
  const problems: SipProblem[] = [];
  if (start.version.toUpperCase() !== 'SIP/2.0') {
    problems.push(error('bad-version', `The message says it is ${quote(start.version)}; only SIP/2.0 exists.`));
  }
  if (start.kind === 'response') {
    if (!/^SIP\/\S+ \d+( |$)/.test(line)) {
      problems.push(error('start-line-whitespace', 'The status line must separate its parts with exactly one space.'));
    } else if (!/^\S+ \d+ /.test(line)) {
      problems.push(warning('start-line-whitespace', 'The status line has no space after the status code.'));
    }
    const digits = /^\S+[ \t]+(\d+)/.exec(line)?.[1] ?? '';
    if (digits.length !== 3 || start.status < 100 || start.status > 699) {
      problems.push(error('bad-status-code', `Status code ${quote(digits)} is not a three-digit code from 100 to 699.`));
    }
    if (findControlCharacter(start.reason, false) >= 0) {
      problems.push(error('invalid-character', 'The reason phrase contains a control character.'));
    }
    return problems;
  }
  if (!isToken(start.method)) {
    problems.push(error('bad-method', `Method ${quote(start.method)} has characters a method name cannot contain.`));
  }
  if (/[ \t]/.test(start.uri)) {
    problems.push(error('bad-request-uri', `The Request-URI ${quote(start.uri)} contains whitespace.`));
  } else {
    if (line !== `${start.method} ${start.uri} ${start.version}`) {
      problems.push(
        error(
          'start-line-whitespace',
          'The request line must be method, URI and version separated by single spaces, with nothing after the version.',
        ),
      );
    }
    problems.push(...checkRequestUri(start.uri));
  }
  return problems;
}
