// `switchyard parse ping|mtr|sip|auto FILE|-`: reads text someone else produced (a customer's
// Windows ping in German, a carrier's mtr report, a SIP message from a trace) with the parsers
// our own runs use, and prints the same JSON as `switchyard ping|mtr --json`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mtrFlavorOf, parseMtr } from '../domain/mtr';
import { recognize } from '../domain/paste/recognize';
import { parsePing, pingFlavorOf } from '../domain/ping';
import { inspectSip } from '../domain/sip';
import { decodeText } from '../services/paste/decode';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, type Io } from './io';
import { json, mtrJson, mtrText, pingJson, pingText, sipJson, sipText } from './tool-output';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const PARSE_USAGE = usageOf('parse');

const KINDS = ['ping', 'mtr', 'sip', 'auto'] as const;
type Kind = (typeof KINDS)[number];

/** Larger than any ping, mtr or SIP text a person pastes; a bigger file is a mistake. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface ParseDeps {
  /** The bytes of stdin, for `-`; read from the process by default. */
  readStdin?: () => Promise<Uint8Array>;
}

export async function parseCommand(args: string[], io: Io, deps: ParseDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, data: { type: 'string' } },
  });
  const [kind, file, ...extra] = positionals;
  if (!KINDS.includes(kind as Kind))
    throw new UsageError(kind ? `parse reads ping, mtr, sip or auto, not "${kind}".` : 'parse needs a kind: ping, mtr, sip or auto.');
  if (file === undefined) throw new UsageError('parse needs a FILE, or - for stdin.');
  if (extra.length > 0) throw new UsageError(`parse reads one FILE; also got ${JSON.stringify(extra.join(' '))}.`);

  let bytes: Uint8Array;
  try {
    bytes = file === '-' ? await (deps.readStdin ?? readStdin)() : readFileSync(file);
  } catch (error) {
    io.err(`switchyard: cannot read ${file === '-' ? 'stdin' : file}: ${(error as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (bytes.byteLength > MAX_INPUT_BYTES) {
    io.err(`switchyard: ${file === '-' ? 'stdin' : file} is ${bytes.byteLength} bytes; parse reads at most ${MAX_INPUT_BYTES}.\n`);
    return EXIT_BAD_INPUT;
  }
  const { text } = decodeText(bytes);
  const outcome = parseAs(kind as Kind, text, bytes);
  if ('reason' in outcome) {
    io.err(`switchyard: ${outcome.reason}\n`);
    return EXIT_BAD_INPUT;
  }
  io.out(values.json ? json(outcome.json) : outcome.text);
  return EXIT_OK;
}

type Parsed = { json: unknown; text: string } | { reason: string };

function parseAs(kind: Kind, text: string, bytes: Uint8Array): Parsed {
  if (kind === 'auto') return parseAuto(text, bytes);
  if (kind === 'ping') {
    const flavor = pingFlavorOf(text);
    if (flavor === null) return { reason: `this is not ping output: ${seenAs(text)}` };
    const result = parsePing(text);
    return { json: pingJson(result), text: pingText(result, `ping (${describe(flavor.flavor, flavor.language)})`) };
  }
  if (kind === 'mtr') {
    const flavor = mtrFlavorOf(text);
    if (flavor === null) return { reason: `this is not mtr output: ${seenAs(text)}` };
    const result = parseMtr(text, flavor);
    return { json: mtrJson(result), text: mtrText(result, `mtr (${flavor})`) };
  }
  // SIP is inspected from the bytes, so Content-Length is checked against what was really sent.
  const sip = inspectSip(bytes);
  if (sip.kind === 'unknown') return { reason: `this is not a SIP message: ${sip.problems[0]?.message ?? 'no start line'}` };
  return { json: sipJson(sip), text: sipText(sip) };
}

function parseAuto(text: string, bytes: Uint8Array): Parsed {
  const seen = recognize(text);
  switch (seen.kind) {
    case 'unknown':
      return { reason: `cannot tell what this is: ${seen.reason}.` };
    case 'ping': {
      const result = parsePing(text);
      const format = { format: seen.flavor, ...(seen.language === undefined ? {} : { language: seen.language }) };
      return {
        json: { kind: 'ping', ...format, ...pingJson(result) },
        text: pingText(result, `ping (${describe(seen.flavor, seen.language)})`),
      };
    }
    case 'mtr': {
      const result = parseMtr(text, seen.flavor);
      return { json: { kind: 'mtr', format: seen.flavor, ...mtrJson(result) }, text: mtrText(result, `mtr (${seen.flavor})`) };
    }
    case 'sip': {
      const sip = inspectSip(bytes);
      // `kind` says which parser read it; the SIP message's own request/response kind moves aside.
      const { kind: messageKind, ...rest } = sipJson(sip);
      return { json: { kind: 'sip', messageKind, ...rest }, text: sipText(sip) };
    }
  }
}

function describe(flavor: string, language?: string): string {
  return language === undefined ? flavor : `${flavor}, ${language}`;
}

/** Says what the text looks like instead, so `parse ping` of an mtr report explains itself. */
function seenAs(text: string): string {
  const seen = recognize(text);
  if (seen.kind === 'unknown') return `${seen.reason}.`;
  return `it looks like ${seen.kind === 'sip' ? 'a SIP message' : `${seen.kind} output`}; try \`switchyard parse ${seen.kind}\` or \`parse auto\`.`;
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    chunks.push(buffer);
    // Stop reading past the limit; the caller refuses the input by its size.
    if (size > MAX_INPUT_BYTES) break;
  }
  return Buffer.concat(chunks);
}
