import { isToken } from './compact-forms';
import { parseParams, splitOutside, trimWs } from './lexical';
import { error, quote, warning, type SipProblem } from './problems';
import { isHostPort } from './uri';

/** RFC 3261 section 8.1.1.7: branches of RFC 3261 clients start with this magic cookie. */
export const BRANCH_COOKIE = 'z9hG4bK';

/**
 * `sent-protocol LWS sent-by *( SEMI via-params )`, where SLASH and COLON may carry whitespace
 * on either side (RFC 4475 3.1.1.1 spreads a Via over three lines).
 */
const VIA_HEAD = /^([^\s/]+)[ \t]*\/[ \t]*([^\s/]+)[ \t]*\/[ \t]*([^\s/]+)[ \t]+(\S(?:.*\S)?)$/s;

/** Checks one Via field value (which may hold several comma-separated Via elements). */
export function checkVia(value: string): SipProblem[] {
  const problems: SipProblem[] = [];
  const elements = splitOutside(value, ',');
  if (elements.unterminatedQuote) {
    return [error('bad-via', `Via ${quote(value)} has a quoted string that never ends.`)];
  }
  for (const element of elements.parts) {
    const text = trimWs(element);
    if (text.length === 0) {
      problems.push(error('bad-via', `Via ${quote(value)} has an empty element between commas.`));
      continue;
    }
    problems.push(...checkViaElement(text));
  }
  return problems;
}

function checkViaElement(text: string): SipProblem[] {
  const pieces = splitOutside(text, ';').parts;
  const head = VIA_HEAD.exec(trimWs(pieces[0] ?? ''));
  if (!head) {
    return [error('bad-via', `Via ${quote(text)} is not "SIP/2.0/transport host[:port]".`)];
  }
  const [, protocol = '', version = '', transport = '', sentBy = ''] = head;
  const problems: SipProblem[] = [];
  if (protocol.toUpperCase() !== 'SIP' || !isToken(transport)) {
    problems.push(error('bad-via', `Via ${quote(text)} does not name the SIP protocol and a transport.`));
  } else if (version !== '2.0') {
    problems.push(error('bad-version', `Via ${quote(text)} names SIP version ${quote(version)}; only 2.0 exists.`));
  }
  if (!isHostPort(normaliseSentBy(sentBy))) {
    problems.push(error('bad-via', `Via ${quote(text)} has no valid host (and port) after the transport.`));
  }
  const params = parseParams(text);
  if (params.some((p) => p.name.length === 0 || !isToken(p.name))) {
    problems.push(error('bad-via', `Via ${quote(text)} has an empty or malformed parameter.`));
  }
  const branch = params.find((p) => p.name === 'branch');
  if (!branch) {
    problems.push(warning('via-missing-branch', `Via ${quote(text)} has no branch parameter, which RFC 3261 requires.`));
  } else if (branch.value === null || branch.value === '' || branch.value === BRANCH_COOKIE) {
    problems.push(warning('via-weak-branch', `Via ${quote(text)} has a branch with no transaction identifier after the magic cookie.`));
  }
  return problems;
}

/** COLON is `SWS ":" SWS`, so blanks around the port separator are legal; drop them. */
function normaliseSentBy(sentBy: string): string {
  const colon = sentBy.lastIndexOf(':');
  if (colon < 0) return sentBy;
  const port = trimWs(sentBy.slice(colon + 1));
  return /^\d+$/.test(port) ? `${trimWs(sentBy.slice(0, colon))}:${port}` : sentBy;
}
