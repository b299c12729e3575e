import { canonicalIp } from '../fleet/ip';

// The APIBAN v1 answers, read tolerantly: `ipaddress` is an array or a single string, `ID` the
// position the next page starts from, and the end of the list is `{"ipaddress":["no new bans"],
// "ID":"none"}` (sent with HTTP 400). Anything that is not an address is dropped and counted.

/** The first ID of the banned list, as APIBAN documents it. */
export const APIBAN_FIRST_ID = '100';
/** An address APIBAN has not reported again for this long is dropped. */
export const APIBAN_EXPIRY_MS = 7 * 86_400_000;

export type BannedPage =
  /** `rejected` entries were not addresses; `rejectedSamples` shows the first few, quoted and cut short. */
  { kind: 'page'; ips: string[]; nextId: string; rejected: number; rejectedSamples: string[] } | { kind: 'end' };

/** A page is about 250 addresses; a body listing more than this is not APIBAN's. */
export const MAX_PAGE_ENTRIES = 50_000;
const SAMPLES = 3;

/** An entry as a message may quote it: JSON-escaped (no control characters), at most 40 characters. */
function sample(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const quoted = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  return quoted;
}

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

/** Reads one page body; throws with a plain message when it is not APIBAN's shape. */
export function readBannedPage(body: unknown): BannedPage {
  if (typeof body !== 'object' || body === null) throw new Error('the answer is not a JSON object');
  const record = body as Record<string, unknown>;
  const raw = listOf(record['ipaddress']);
  const id = record['ID'];
  const idText = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : '';
  if (idText.toLowerCase() === 'none' || raw.some((v) => typeof v === 'string' && v.trim().toLowerCase() === 'no new bans')) {
    return { kind: 'end' };
  }
  if (idText === '' || !/^[A-Za-z0-9_-]{1,64}$/.test(idText)) throw new Error(`the answer has no usable "ID" (${sample(id)})`);
  if (raw.length > MAX_PAGE_ENTRIES)
    throw new Error(`the page lists ${raw.length} entries, more than the ${MAX_PAGE_ENTRIES} an APIBAN page can hold`);
  const ips: string[] = [];
  const rejectedSamples: string[] = [];
  let rejected = 0;
  for (const value of raw) {
    const ip = typeof value === 'string' ? canonicalIp(value) : null;
    if (ip !== null) {
      ips.push(ip);
      continue;
    }
    rejected++;
    if (rejectedSamples.length < SAMPLES) rejectedSamples.push(sample(value));
  }
  return { kind: 'page', ips: [...new Set(ips)], nextId: idText, rejected, rejectedSamples };
}

export type CheckAnswer = { banned: true; id: string } | { banned: false };

/** `/check/{IP}`: banned when it answers with an ID; `{"ipaddress":["not blocked"],"ID":"none"}` otherwise. */
export function readCheckAnswer(body: unknown): CheckAnswer {
  if (typeof body !== 'object' || body === null) throw new Error('the answer is not a JSON object');
  const record = body as Record<string, unknown>;
  const id = record['ID'];
  const idText = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : '';
  const words = listOf(record['ipaddress']).map((v) => (typeof v === 'string' ? v.toLowerCase() : ''));
  if (idText === '' || idText.toLowerCase() === 'none' || words.includes('not blocked')) return { banned: false };
  return { banned: true, id: idText };
}

/**
 * Whether a body is APIBAN's at all (an object with `ipaddress` or `ID`). Anything else — an HTML
 * page, another service's JSON — is treated like no answer, so a probe of the base URL cannot tell
 * what else listens there.
 */
export function isApibanBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && ('ipaddress' in body || 'ID' in body);
}
