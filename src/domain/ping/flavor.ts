import type { PingFlavor } from './types';
import { windowsLanguageOf } from './windows-lang';

const UNIX_REPLY = /\d+ bytes from .+: (?:icmp_seq|icmp_req|seq)=\d+/;

/** Tells which ping printed the text, or null when it does not look like ping output. */
export function pingFlavorOf(text: string): { flavor: PingFlavor; language?: string } | null {
  const hasUnix =
    /(^|\n)\s*(?:\[[\d.]+\]\s*)?(?:PING6?[ (]|\d+ bytes from |From \S+ icmp_seq=|Request timeout for icmp_seq)|packets transmitted/.test(
      text,
    );
  if (hasUnix) {
    if (/\d+ bytes from [^\n]*: seq=\d+/.test(text) || /round-trip min\/avg\/max = /.test(text)) return { flavor: 'busybox' };
    if (/packets received|round-trip min\/avg\/max\/stddev|Request timeout for icmp_seq|PING6\(|\): \d+ data bytes/.test(text)) {
      // BusyBox shares BSD's header and "packets received"; its replies say seq= (checked above).
      return { flavor: 'bsd' };
    }
    if (UNIX_REPLY.test(text) || /PING /.test(text)) return { flavor: 'linux' };
  }
  const language = windowsLanguageOf(text);
  if (language !== undefined) return { flavor: 'windows', language };
  return null;
}
