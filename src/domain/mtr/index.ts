import type { MtrFlavor, MtrResult } from './types';
import { parseMtrReport } from './report';
import { parseMtrJson } from './json';
import { parseMtrJsonHops } from './json-hops';
import { parseMtrScreen } from './screen';
import { parseMtrCsv } from './csv';
import { parseWinMtr } from './winmtr';
import { parseMtrRaw } from './raw';
import { mtrFlavorOf } from './flavor';

export type { MtrFlavor, MtrHop, MtrResult } from './types';
export { createMtrRawStream, type MtrRawStream } from './raw';
export { mtrFlavorOf } from './flavor';
export { formatMtrReport } from './format';

/** Parses mtr output of the given (or detected) flavour; never throws. */
export function parseMtr(text: string, flavor: MtrFlavor | null = mtrFlavorOf(text)): MtrResult {
  switch (flavor) {
    case 'report':
    case 'report-wide':
      return parseMtrReport(text);
    case 'screen':
      return parseMtrScreen(text);
    case 'json':
      return parseMtrJson(text);
    case 'json-hops':
      return parseMtrJsonHops(text);
    case 'csv':
      return parseMtrCsv(text);
    case 'winmtr':
      return parseWinMtr(text);
    case 'raw':
      return parseMtrRaw(text);
    case null:
      return { hops: [], stoppedAt: { line: 1, reason: 'not mtr output' } };
  }
}
