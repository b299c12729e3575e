import ipaddr from 'ipaddr.js';
import { DomainError, type FieldIssue } from '../errors';

// An upstream provider a server registers to as a UAC (the reference's "UAC Auth": "register as
// a UAC (rather than a UAS) with upstream providers with a username and password"). Checked here,
// once, for the UI, the host and the CLI alike; the password is not part of it (the secret store
// holds it). Limits follow Kamailio's uacreg table (64 characters for user names and passwords,
// 128 for domains and proxies).

export const UAC_EXPIRY_MIN = 60;
export const UAC_EXPIRY_MAX = 86_400;
export const UAC_MAX_UPSTREAMS = 50;
export const UAC_PASSWORD_MAX = 64;

export type SipTransport = 'udp' | 'tcp' | 'tls';

export interface Registrar {
  /** Host name, IPv4 address, or IPv6 address in brackets: the domain of the registered AoR. */
  host: string;
  port: number | null;
  transport: SipTransport | null;
  /** Where the REGISTER is sent (Kamailio's auth_proxy): `sip:host[:port][;transport=x]`. */
  proxyUri: string;
}

export interface UpstreamFields {
  registrar: string;
  username: string;
  expiry: number;
}

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const REGISTRAR = /^(?:(sips?):)?(\[[0-9A-Fa-f:.]+\]|[^:;[\]]+)(?::(\d{1,5}))?(?:;transport=([A-Za-z]+))?$/i;
/** RFC 3261 `user`: unreserved, escaped and user-unreserved characters (no ":" or "@"). */
const SIP_USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;

function hostOf(text: string): string | null {
  if (text.startsWith('[')) {
    const inner = text.slice(1, -1);
    return inner.includes(':') && ipaddr.IPv6.isValid(inner) ? `[${ipaddr.parse(inner).toString()}]` : null;
  }
  if (/^[\d.]+$/.test(text)) return ipaddr.IPv4.isValidFourPartDecimal(text) ? text : null;
  if (text.length > 253) return null;
  const labels = text.replace(/\.$/, '').split('.');
  if (labels.some((l) => !HOST_LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1] ?? '')) return null;
  return labels.join('.').toLowerCase();
}

/** Reads `sip:host:port;transport=tcp`, `host:port`, `host` or `[v6]:port`; null when it is none of them. */
export function parseRegistrar(text: string): Registrar | null {
  const match = REGISTRAR.exec(text.trim());
  if (!match) return null;
  const host = hostOf(match[2] ?? '');
  if (host === null) return null;
  const port = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && (port < 1 || port > 65_535)) return null;
  const scheme = (match[1] ?? 'sip').toLowerCase();
  const given = match[4]?.toLowerCase() ?? null;
  if (given !== null && given !== 'udp' && given !== 'tcp' && given !== 'tls') return null;
  // sips: means TLS; a transport that says otherwise is a contradiction, not a choice.
  if (scheme === 'sips' && given !== null && given !== 'tls') return null;
  const transport: SipTransport | null = scheme === 'sips' ? 'tls' : given;
  const proxyUri = `sip:${host}${port === null ? '' : `:${port}`}${transport === null ? '' : `;transport=${transport}`}`;
  if (proxyUri.length > 128) return null;
  return { host, port, transport, proxyUri };
}

/** Every problem of one upstream, with the field named `upstreams.<index>.<field>`. */
export function upstreamIssues(u: UpstreamFields, index: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (field: string) => `upstreams.${index}.${field}`;
  const registrar = u.registrar.trim();
  if (registrar === '')
    issues.push({ field: at('registrar'), message: 'the registrar is required (a SIP URI or host[:port], e.g. sip:sip.example.net:5060)' });
  else if (parseRegistrar(registrar) === null) {
    issues.push({
      field: at('registrar'),
      message: `registrar "${registrar.slice(0, 80)}" is not a SIP URI or host[:port] (e.g. sip:sip.example.net:5060;transport=tcp, 203.0.113.7:5080)`,
    });
  }
  const username = u.username.trim();
  if (username === '') issues.push({ field: at('username'), message: 'the username is required' });
  else if (username.length > 64) issues.push({ field: at('username'), message: 'the username must be at most 64 characters' });
  else if (!SIP_USER.test(username))
    issues.push({
      field: at('username'),
      message: `username "${username.slice(0, 64)}" has characters a SIP user part cannot carry (no spaces, ":", "@" or "\\")`,
    });
  if (!Number.isInteger(u.expiry) || u.expiry < UAC_EXPIRY_MIN || u.expiry > UAC_EXPIRY_MAX) {
    issues.push({
      field: at('expiry'),
      message: `the expiry must be a whole number of seconds from ${UAC_EXPIRY_MIN} to ${UAC_EXPIRY_MAX} (got ${String(u.expiry)})`,
    });
  }
  return issues;
}

/** A password Kamailio's uacreg table and the file format carry: 1 to 64 printable characters. */
export function passwordIssue(password: string, index: number): FieldIssue | null {
  const field = `upstreams.${index}.password`;
  if (password.length === 0) return { field, message: 'the password is required for a new upstream' };
  if (password.length > UAC_PASSWORD_MAX) return { field, message: `the password must be at most ${UAC_PASSWORD_MAX} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(password)) return { field, message: 'the password must not contain control characters (tabs, line breaks)' };
  return null;
}

/** The registrar and username that identify an upstream (one registration per pair). */
export function upstreamKey(u: Pick<UpstreamFields, 'registrar' | 'username'>): string {
  const r = parseRegistrar(u.registrar);
  return `${(r?.proxyUri ?? u.registrar.trim()).toLowerCase()}\u0000${u.username.trim()}`;
}

/**
 * Checks a server's whole list, naming the server and the field in the message; refuses the list
 * as a whole (nothing is saved) on the first problem, listing every problem found.
 */
export function checkUpstreams(
  list: readonly (UpstreamFields & { password?: string | undefined; passwordKnown: boolean })[],
  where: string,
): void {
  const issues: FieldIssue[] = [];
  if (list.length > UAC_MAX_UPSTREAMS)
    issues.push({ field: 'upstreams', message: `at most ${UAC_MAX_UPSTREAMS} upstreams per server (got ${list.length})` });
  const seen = new Map<string, number>();
  list.forEach((u, i) => {
    issues.push(...upstreamIssues(u, i));
    if (u.password !== undefined) {
      const bad = passwordIssue(u.password, i);
      if (bad) issues.push(bad);
    } else if (!u.passwordKnown) {
      issues.push({ field: `upstreams.${i}.password`, message: 'the password is required for a new upstream' });
    }
    const key = upstreamKey(u);
    const first = seen.get(key);
    if (first !== undefined)
      issues.push({
        field: `upstreams.${i}.username`,
        message: `upstream ${i + 1} repeats upstream ${first + 1} (same registrar and username)`,
        conflict: true,
      });
    else seen.set(key, i);
  });
  const head = issues[0];
  if (!head) return;
  const row = (f: string) => /^upstreams\.(\d+)\./.exec(f)?.[1];
  const label = (issue: FieldIssue) => {
    const n = row(issue.field);
    return n === undefined ? issue.message : `upstream ${Number(n) + 1}: ${issue.message}`;
  };
  const more = issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length > 2 ? 's' : ''} listed beside the fields)` : '';
  throw new DomainError(
    issues.some((i) => i.conflict) ? 'conflict' : 'invalid-input',
    `UAC upstreams of ${where}: ${label(head)}. Nothing was saved${more}.`,
    {
      field: head.field,
      issues: issues.map(({ field, message }) => ({ field, message })),
    },
  );
}
