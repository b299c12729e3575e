// Text someone else produced (a customer's Windows ping in German, a carrier's mtr report, a SIP
// message from a trace), read by the parsers our own runs use. Dropped files arrive as bytes, so
// a legacy Windows code page (CP850, CP866, CP932, CP936) is decoded here, on the host.
import type { PastedParse, SipInspection } from '../../contract/tools-methods';
import { invalid } from '../../domain/errors';
import { parsePasted } from '../../domain/paste/recognize';
import { inspectSip } from '../../domain/sip';
import { decodeText } from '../paste/decode';

export interface PastedSource {
  text?: string | undefined;
  base64?: string | undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function readPasted(input: PastedSource): { text: string; encoding: string; bytes: Uint8Array | null } {
  if (input.text !== undefined && input.base64 !== undefined) throw invalid('text', 'Give the pasted text or a dropped file, not both.');
  if (input.base64 !== undefined) {
    const compact = input.base64.replace(/\s+/g, '');
    if (!BASE64.test(compact) || compact.length % 4 === 1)
      throw invalid('base64', 'The dropped file could not be read: its bytes did not arrive as base64.');
    const bytes = new Uint8Array(Buffer.from(compact, 'base64'));
    if (bytes.length === 0) throw invalid('base64', 'The dropped file is empty.');
    return { ...decodeText(bytes), bytes };
  }
  if (input.text === undefined || input.text.trim() === '')
    throw invalid('text', 'Paste the output of ping or mtr, or a SIP message, first.');
  return { text: input.text, encoding: 'utf-8', bytes: null };
}

export function parsePastedInput(input: PastedSource): PastedParse {
  const { text, encoding, bytes } = readPasted(input);
  const pasted = parsePasted(text);
  switch (pasted.kind) {
    case 'ping':
      return {
        kind: 'ping',
        encoding,
        text,
        flavor: pasted.recognized.flavor,
        ...(pasted.recognized.language ? { language: pasted.recognized.language } : {}),
        ping: pasted.result,
      };
    case 'mtr':
      return { kind: 'mtr', encoding, text, flavor: pasted.recognized.flavor, mtr: pasted.result };
    case 'sip':
      // The bytes when there are some: Content-Length counts bytes, not characters.
      return { kind: 'sip', encoding, text, sip: inspectSip(bytes ?? text) };
    case 'unknown':
      return {
        kind: 'unknown',
        encoding,
        text,
        reason: `Switchyard cannot read this: ${pasted.reason}. It reads ping (Linux, BusyBox, macOS/BSD, Windows in several languages), mtr (report, wide, the interactive screen, JSON, raw, CSV, WinMTR) and SIP messages.`,
      };
  }
}

/**
 * What a kept SIP message is listed under: a request's Request-URI, a response's To URI (the
 * party it answers for). Undefined when the message has neither, and the caller says so.
 */
export function sipTarget(sip: SipInspection): string | undefined {
  if (sip.kind === 'request' && sip.uri) return sip.uri;
  const to = sip.headers.find((h) => h.name === 'To')?.value;
  if (!to) return undefined;
  const bracketed = /<([^>]+)>/.exec(to)?.[1];
  return (bracketed ?? to.split(';')[0] ?? to).trim() || undefined;
}

/** A kept SIP message's history line: what it is and how many problems it has. */
export function sipParams(sip: SipInspection, encoding: string): Record<string, string | number> {
  const count = (severity: 'error' | 'warning') => sip.problems.filter((p) => p.severity === severity).length;
  const message =
    sip.kind === 'request' ? (sip.method ?? '') : sip.kind === 'response' ? `${sip.status ?? ''} ${sip.reason ?? ''}`.trim() : '';
  return { flavor: sip.kind, message, encoding, errors: count('error'), warnings: count('warning') };
}
