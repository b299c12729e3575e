// Recognises pasted text (ping, mtr, or a SIP message) and sends it to the right parser.
import { parsePing, pingFlavorOf, type PingFlavor, type PingResult } from '../ping';
import { mtrFlavorOf, parseMtr, type MtrFlavor, type MtrResult } from '../mtr';

export type Recognized =
  | { kind: 'ping'; flavor: PingFlavor; language?: string }
  | { kind: 'mtr'; flavor: MtrFlavor }
  | { kind: 'sip' }
  | { kind: 'unknown'; reason: string };

export type Pasted =
  | { kind: 'ping'; recognized: Extract<Recognized, { kind: 'ping' }>; result: PingResult }
  | { kind: 'mtr'; recognized: Extract<Recognized, { kind: 'mtr' }>; result: MtrResult }
  | { kind: 'sip'; text: string }
  | { kind: 'unknown'; reason: string };

const SIP_REQUEST = /^[A-Z]+ sips?:\S+ SIP\/2\.0$/;
const SIP_RESPONSE = /^SIP\/2\.0 \d{3}(?: .*)?$/;

export function recognize(text: string): Recognized {
  if (typeof text !== 'string' || text.trim() === '') return { kind: 'unknown', reason: 'empty text' };
  const body = text.replace(/^\uFEFF/, '');
  const first =
    body
      .trimStart()
      .split(/\r?\n|\r/, 1)[0]
      ?.trim() ?? '';
  if (SIP_REQUEST.test(first) || SIP_RESPONSE.test(first)) return { kind: 'sip' };
  // mtr first: its report and raw formats contain nothing a ping parser would claim.
  const mtr = mtrFlavorOf(body);
  if (mtr !== null) return { kind: 'mtr', flavor: mtr };
  const ping = pingFlavorOf(body);
  if (ping !== null)
    return ping.language === undefined
      ? { kind: 'ping', flavor: ping.flavor }
      : { kind: 'ping', flavor: ping.flavor, language: ping.language };
  return { kind: 'unknown', reason: 'neither ping, mtr nor a SIP message' };
}

export function parsePasted(text: string): Pasted {
  const recognized = recognize(text);
  switch (recognized.kind) {
    case 'ping':
      return { kind: 'ping', recognized, result: parsePing(text) };
    case 'mtr':
      return { kind: 'mtr', recognized, result: parseMtr(text, recognized.flavor) };
    case 'sip':
      return { kind: 'sip', text };
    case 'unknown':
      return recognized;
  }
}
