import { isToken } from './compact-forms';
import { endOfQuoted, splitOutside, trimWs } from './lexical';
import { error, quote, type SipProblem } from './problems';
import { isAbsoluteUri } from './uri';

/** Headers whose values are `name-addr / addr-spec` followed by parameters. */
export const ADDRESS_HEADERS: ReadonlySet<string> = new Set([
  'To',
  'From',
  'Contact',
  'Reply-To',
  'Route',
  'Record-Route',
  'Refer-To',
  'Referred-By',
  'P-Asserted-Identity',
  'Path',
  'Service-Route',
]);

const MAX_UINT32 = 4294967295;

/** Checks one address header field value (a list header's value may hold several addresses). */
export function checkAddressField(name: string, value: string): SipProblem[] {
  if (name === 'Contact' && value === '*') return [];
  const split = splitOutside(value, ',');
  if (split.unterminatedQuote) {
    return [error('unterminated-quote', `${name} ${quote(value)} opens a quoted string that is never closed.`)];
  }
  const elements = name === 'Contact' || name === 'Route' || name === 'Record-Route' ? split.parts : [value];
  const problems: SipProblem[] = [];
  for (const element of elements) problems.push(...checkAddress(name, trimWs(element)));
  return problems;
}

function checkAddress(name: string, text: string): SipProblem[] {
  if (text.length === 0) return [error('bad-address', `${name} has an empty address.`)];
  const open = findOpenAngle(text);
  let params: string;
  const problems: SipProblem[] = [];
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0) return [error('bad-address', `${name} ${quote(text)} has "<" without a closing ">".`)];
    const uri = text.slice(open + 1, close);
    if (uri !== trimWs(uri) || /\s/.test(uri)) {
      problems.push(error('bad-address', `${name} ${quote(text)} has spaces inside the <…> around its URI.`));
    } else if (!isAbsoluteUri(uri)) {
      problems.push(error('bad-address', `${name} ${quote(text)} does not hold a URI between < and >.`));
    }
    problems.push(...checkDisplayName(name, trimWs(text.slice(0, open))));
    params = text.slice(close + 1);
  } else {
    // addr-spec form: the URI runs to the first ';', whatever follows are header parameters.
    const semi = text.indexOf(';');
    const uri = trimWs(semi < 0 ? text : text.slice(0, semi));
    if (/\s/.test(uri) || !isAbsoluteUri(uri)) {
      problems.push(error('bad-address', `${name} ${quote(text)} is not a URI or a name with a URI in <…>.`));
    } else if (uri.includes('?') || uri.includes(',')) {
      problems.push(
        error('unenclosed-uri', `${name} URI ${quote(uri)} contains "?" or ","; RFC 3261 requires such a URI to be enclosed in <…>.`),
      );
    }
    params = semi < 0 ? '' : text.slice(semi);
  }
  problems.push(...checkParams(name, params));
  return problems;
}

/** Position of the `<` that opens a name-addr, skipping any inside the quoted display name. */
function findOpenAngle(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') {
      const end = endOfQuoted(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (text[i] === '<') {
      return i;
    }
  }
  return -1;
}

function checkDisplayName(name: string, display: string): SipProblem[] {
  if (display.length === 0) return [];
  if (display.startsWith('"')) {
    const end = endOfQuoted(display, 0);
    if (end === display.length) return [];
    return [error('bad-display-name', `${name} display name ${quote(display)} has text outside its quotes.`)];
  }
  // An unquoted display name is `*(token LWS)`: commas, colons and the like need quotes.
  const words = display.split(/[ \t]+/);
  if (words.every(isToken)) return [];
  return [error('bad-display-name', `${name} display name ${quote(display)} contains characters that are only allowed inside quotes.`)];
}

function checkParams(name: string, params: string): SipProblem[] {
  const split = splitOutside(params, ';').parts;
  const problems: SipProblem[] = [];
  if (trimWs(split[0] ?? '').length > 0) {
    problems.push(error('bad-address', `${name} has unexpected text ${quote(split[0] ?? '')} after its address.`));
  }
  for (const param of split.slice(1)) {
    const eq = param.indexOf('=');
    const key = trimWs(eq < 0 ? param : param.slice(0, eq)).toLowerCase();
    if (key.length === 0) {
      problems.push(error('empty-parameter', `${name} has an empty parameter (";;" or a trailing ";").`));
    } else if (!isToken(key)) {
      problems.push(error('bad-address', `${name} has a malformed parameter name ${quote(key)}.`));
    } else if (key === 'expires' && eq >= 0) {
      const seconds = trimWs(param.slice(eq + 1));
      if (!/^\d{1,10}$/.test(seconds) || Number(seconds) > MAX_UINT32) {
        problems.push(error('bad-expires', `${name} expires=${quote(seconds)} is not a number of seconds up to 2^32-1.`));
      }
    }
  }
  return problems;
}
