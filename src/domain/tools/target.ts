// Targets of ping and mtr. A target reaches a process's argv (locally, and through a remote
// shell over SSH), so only plain addresses and RFC 1123 host names pass; everything else is
// refused here, with the reason, before any process exists.
import { isHostname } from '../fleet/hostname';
import { canonicalIp } from '../fleet/ip';

declare const checked: unique symbol;

/** A target that passed checkTarget; argv builders accept nothing else. */
export type ValidTarget = {
  readonly text: string;
  readonly family: 'ipv4' | 'ipv6' | 'name';
  readonly [checked]: true;
};

export type TargetCheck = { ok: true; target: ValidTarget } | { ok: false; reason: string };

/** 253 is the longest host name DNS can carry (RFC 1035 section 2.3.4). */
export const MAX_TARGET_LENGTH = 253;

/** Characters a POSIX shell, cmd.exe or PowerShell would read as syntax. */
export const SHELL_METACHARACTERS = ';&|$`<>(){}[]*?!~\'"\\#%^=,@+';

/** Quotes a refused value for a message: escaped, and cut short so a huge paste stays readable. */
function shown(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return JSON.stringify(cut);
}

function refuse(value: string, why: string): TargetCheck {
  return { ok: false, reason: `The target ${shown(value)} ${why}` };
}

export function checkTarget(value: string): TargetCheck {
  if (typeof value !== 'string' || value.length === 0)
    return { ok: false, reason: 'The target is empty: give a host name or an IP address.' };
  if (value.startsWith('-')) return refuse(value, 'starts with "-" and would be read as an option.');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) return refuse(value, 'contains a newline or another control character.');
  const meta = [...value].find((c) => SHELL_METACHARACTERS.includes(c));
  if (meta !== undefined) return refuse(value, `contains ${JSON.stringify(meta)}, which is not part of a host name or an IP address.`);
  if (/\s/.test(value)) return refuse(value, 'contains a space: give one host name or IP address.');
  if (value.length > MAX_TARGET_LENGTH)
    return refuse(value, `is ${value.length} characters long; a host name has at most ${MAX_TARGET_LENGTH}.`);
  if (value.includes(':')) {
    const ip = canonicalIp(value);
    return ip === null ? refuse(value, 'is not a valid IPv6 address.') : accept(ip, 'ipv6');
  }
  if (/^[\d.]+$/.test(value)) {
    // All digits and dots is meant as an IPv4 address; never let it fall through as a "name".
    const ip = canonicalIp(value);
    return ip === null ? refuse(value, 'is not a valid IPv4 address (four numbers 0–255, like 192.0.2.10).') : accept(ip, 'ipv4');
  }
  if (/[^\x20-\x7e]/.test(value)) return refuse(value, 'contains characters outside ASCII; write an international name in its xn-- form.');
  if (!isHostname(value))
    return refuse(value, 'is not a valid host name: labels of letters, digits and inner hyphens, at most 63 characters each.');
  return accept(value, 'name');
}

function accept(text: string, family: ValidTarget['family']): TargetCheck {
  return { ok: true, target: { text, family } as ValidTarget };
}
