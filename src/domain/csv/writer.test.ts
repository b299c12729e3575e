import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Alert } from '../../contract/alerts';
import type { ActionRunDetail } from '../../contract/actions-methods';
import { formatAlertsCsv } from '../alerts/export';
import { formatFleetCsv, parseFleetCsv } from '../fleet-file/csv';
import { formatRunsCsv } from '../ssh/audit-export';
import { csvCell, formatCsv, unneutralise } from './writer';

// The one CSV writer: quoting, formula neutralisation, and every export built on it (the tool-run
// exports are driven through the contract in test/integration/csv-exports-neutralised.test.ts).

const RUNNABLE = /^[=+\-@\t\r]/;
const HOSTILE = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', "'=already"];

const cellsOf = (text: string) => Papa.parse<string[]>(text.trim(), { delimiter: ',' }).data.flat();

describe('csvCell', () => {
  it('neutralises each formula start with a quote, and quotes the cell', () => {
    expect(csvCell('=cmd()')).toBe(`"'=cmd()"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('-1')).toBe(`"'-1"`);
    expect(csvCell('@x')).toBe(`"'@x"`);
    expect(csvCell('\tx')).toBe(`"'\tx"`);
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell("'=x")).toBe(`"''=x"`);
  });

  it('writes numbers as numbers (a negative figure is no formula) and empties for null', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes commas, quotes, line breaks and edge spaces (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('never lets a spreadsheet see a runnable cell, and one quote less gives the text back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom(...HOSTILE)), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          const width = Math.max(...rows.map((r) => r.length));
          const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('x')]);
          const text = formatCsv(padded[0]?.map((_, i) => `c${i}`) ?? [], padded);
          const parsed = Papa.parse<string[]>(text, { delimiter: ',', newline: '\r\n' }).data.slice(1, -1);
          expect(parsed.flat().filter((c) => RUNNABLE.test(c))).toEqual([]);
          expect(parsed.map((r) => r.map(unneutralise))).toEqual(padded);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('every export neutralises formulas', () => {
  it('fleet CSV (and the import reads the text back)', () => {
    const server = parseFleetCsv('kind,ip,alias,type,zone\nserver,192.0.2.1,x,dispatcher,z\n').servers[0]?.server;
    if (server === undefined) throw new Error('fixture did not parse');
    const text = formatFleetCsv({
      servers: [{ ...server, alias: HOSTILE[0] as string }],
      rtpServers: [{ ip: '192.0.2.9', alias: '@rtp', zone: '-z' }],
    } as never);
    const cells = cellsOf(text);
    expect(cells.filter((c) => RUNNABLE.test(c))).toEqual([]);
    expect(cells).toContain(`'${HOSTILE[0]}`);
    expect(parseFleetCsv(text).servers[0]?.server.alias).toBe(HOSTILE[0]);
  });

  it('actions log CSV', () => {
    const run: ActionRunDetail = {
      ...({} as ActionRunDetail),
      id: 'r1',
      action: 'restart',
      user: '=user',
      origin: 'web',
      startedAt: 0,
      endedAt: 1,
      status: 'succeeded',
      stoppedBy: null,
      params: {},
      results: [
        {
          ...({} as ActionRunDetail['results'][number]),
          position: 0,
          serverId: 's1',
          alias: '@alias',
          ip: '192.0.2.1',
          command: '-cmd',
          state: 'done',
          exitCode: -1,
          error: '=err',
          startedAt: 0,
          endedAt: 1,
          output: '=HYPERLINK("x")',
        },
      ],
    };
    const cells = cellsOf(formatRunsCsv([run]));
    expect(cells.filter((c) => RUNNABLE.test(c))).toEqual(['-1']);
    for (const hostile of ['=user', '@alias', '-cmd', '=err', '=HYPERLINK("x")']) expect(cells).toContain(`'${hostile}`);
  });

  it('alerts CSV', () => {
    const alert: Alert = {
      id: 1,
      kind: 'sip-loss',
      subject: { type: 'server', id: 's1', label: '=label' },
      serverId: 's1',
      ip: '192.0.2.1',
      zoneId: null,
      clusterId: null,
      severity: 'critical',
      state: 'firing',
      flapping: false,
      summary: '+summary',
      value: -5,
      threshold: null,
      ruleSource: '@rule',
      startedAt: 0,
      updatedAt: 0,
      acknowledgedAt: null,
      acknowledgedBy: '-bob',
      ackNote: '\tnote',
      resolvedAt: null,
      resolveNote: '\rnote',
      notifiedAt: null,
      notifications: 0,
      held: null,
    };
    const cells = cellsOf(formatAlertsCsv([alert]));
    expect(cells.filter((c) => RUNNABLE.test(c))).toEqual(['-5']);
    for (const hostile of ['=label', '+summary', '@rule', '-bob', '\tnote', '\rnote']) expect(cells).toContain(`'${hostile}`);
  });
});
