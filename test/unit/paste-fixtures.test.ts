// Walks every fixture: decodes the real bytes, recognises the tool and language, and checks
// the figures against values read off each file by hand (see test/fixtures/*/README.md).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/services/paste/decode';
import { parsePasted, type Recognized } from '../../src/domain/paste/recognize';

type PingExpect = {
  replies: number;
  sent: number;
  received: number;
  min: number | null;
  avg: number | null;
  max: number | null;
  stopped: boolean;
};
type MtrExpect = { hops: number; unknown: number; lastHop: number | undefined; lastAvg: number | null | undefined };

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

const EXPECTED: Array<[string, string, Recognized, PingExpect | MtrExpect]> = [
  [
    'ping/bsd-macos-4.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 4, sent: 4, received: 4, min: 4.269, avg: 4.96, max: 5.371, stopped: false },
  ],
  [
    'ping/bsd-macos-5.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 5, sent: 5, received: 5, min: 20.482, avg: 31.927, max: 46.093, stopped: false },
  ],
  [
    'ping/bsd-macos-duplicates.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 0, sent: 3, received: 3, min: 0.311, avg: 1.091, max: 2.186, stopped: false },
  ],
  [
    'ping/bsd-macos-interrupted-loss.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 0, sent: 59, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/bsd-macos-nan-stddev.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 1, sent: 1, received: 1, min: 4.628, avg: 4.628, max: 4.628, stopped: false },
  ],
  [
    'ping/bsd-macos-permission-denied.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 0, sent: 0, received: 0, min: null, avg: null, max: null, stopped: true },
  ],
  [
    'ping/bsd-macos-quiet.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 0, sent: 10, received: 10, min: 218.391, avg: 283.477, max: 405.879, stopped: false },
  ],
  [
    'ping/bsd-macos-total-loss.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 0, sent: 10, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/bsd-macos-ping6-loss.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 3, sent: 4, received: 3, min: 109.89, avg: 111.151, max: 113.267, stopped: false },
  ],
  [
    'ping/bsd-junos-ping6.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 1, sent: 1, received: 1, min: 2.858, avg: 2.858, max: 2.858, stopped: false },
  ],
  [
    'ping/busybox-alpine-dup-loss.txt',
    'utf-8',
    { kind: 'ping', flavor: 'busybox' },
    { replies: 11, sent: 10, received: 9, min: 0.613, avg: 0.93, max: 1.219, stopped: false },
  ],
  [
    'ping/busybox-alpine-quiet.txt',
    'utf-8',
    { kind: 'ping', flavor: 'busybox' },
    { replies: 0, sent: 5, received: 5, min: 0.638, avg: 0.683, max: 0.746, stopped: false },
  ],
  [
    'ping/linux-debian-quiet.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 0, sent: 60, received: 60, min: 61.425, avg: 99.731, max: 212.597, stopped: false },
  ],
  [
    'ping/linux-debian-total-loss.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 0, sent: 5, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/linux-fedora-dup-pipe-ipg.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 0, sent: 1688, received: 1553, min: 0.282, avg: 0.642, max: 11.699, stopped: false },
  ],
  [
    'ping/linux-fedora-empty-body.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 0, sent: 0, received: 0, min: null, avg: null, max: null, stopped: true },
  ],
  [
    'ping/linux-fedora-host-unreachable.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 5, sent: 5, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/linux-host-unreachable.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 3, sent: 5, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/linux-localhost-4.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 4, sent: 4, received: 4, min: 0.022, avg: 0.027, max: 0.03, stopped: false },
  ],
  [
    'ping/linux-permission-denied.txt',
    'utf-8',
    { kind: 'ping', flavor: 'bsd' },
    { replies: 0, sent: 0, received: 0, min: null, avg: null, max: null, stopped: true },
  ],
  [
    'ping/linux-ping6-literal.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 2, sent: 2, received: 2, min: 0.672, avg: 0.84, max: 1.009, stopped: false },
  ],
  [
    'ping/linux-ping6-multicast.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 1, sent: 1, received: 1, min: 2.708, avg: 2.708, max: 2.708, stopped: false },
  ],
  [
    'ping/linux-ping6-named.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 2, sent: 2, received: 2, min: 1.429, avg: 1.546, max: 1.663, stopped: false },
  ],
  [
    'ping/linux-ping6-no-route.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 6, sent: 6, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/linux-pipe-errors.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 9, sent: 5, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/linux-sendmsg-unreachable.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 11, sent: 19, received: 11, min: 0.646, avg: 73.819, max: 797.744, stopped: false },
  ],
  [
    'ping/linux-single.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 1, sent: 1, received: 1, min: 9.162, avg: 9.162, max: 9.162, stopped: false },
  ],
  [
    'ping/linux-ubuntu-5.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 5, sent: 5, received: 5, min: 64.912, avg: 66.494, max: 68.524, stopped: false },
  ],
  [
    'ping/linux-ubuntu-no-answer-yet.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 7, sent: 8, received: 3, min: null, avg: null, max: null, stopped: true },
  ],
  [
    'ping/linux-ubuntu-rdns.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 3, sent: 3, received: 3, min: 48.832, avg: 54.309, max: 64.334, stopped: false },
  ],
  [
    'ping/linux-ubuntu-timestamps.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 5, sent: 5, received: 5, min: 136.537, avg: 139.174, max: 148.006, stopped: false },
  ],
  [
    'ping/recorded-linux-O.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 3, sent: 3, received: 3, min: 0.046, avg: 0.048, max: 0.051, stopped: false },
  ],
  [
    'ping/recorded-linux-c4.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 4, sent: 4, received: 4, min: 0.05, avg: 0.059, max: 0.082, stopped: false },
  ],
  [
    'ping/recorded-linux-deadline.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 2, sent: 2, received: 2, min: 0.02, avg: 0.04, max: 0.06, stopped: false },
  ],
  [
    'ping/recorded-linux-ping6.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 2, sent: 2, received: 2, min: 0.062, avg: 0.072, max: 0.083, stopped: false },
  ],
  [
    'ping/recorded-linux-timestamps.txt',
    'utf-8',
    { kind: 'ping', flavor: 'linux' },
    { replies: 3, sent: 3, received: 3, min: 0.044, avg: 0.052, max: 0.06, stopped: false },
  ],
  [
    'ping/windows-de-abbreviated.txt',
    'cp850',
    { kind: 'ping', flavor: 'windows', language: 'de' },
    { replies: 1, sent: 5, received: 5, min: 14, avg: 16, max: 23, stopped: false },
  ],
  [
    'ping/windows-de-ipv6.txt',
    'cp850',
    { kind: 'ping', flavor: 'windows', language: 'de' },
    { replies: 4, sent: 4, received: 4, min: 11, avg: 12, max: 18, stopped: false },
  ],
  [
    'ping/windows-de-timeout.txt',
    'cp850',
    { kind: 'ping', flavor: 'windows', language: 'de' },
    { replies: 1, sent: 4, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/windows-en-cut-header.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'en' },
    { replies: 4, sent: 4, received: 4, min: 548, avg: 555, max: 564, stopped: false },
  ],
  [
    'ping/windows-en-host-unreachable.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'en' },
    { replies: 4, sent: 4, received: 4, min: 0, avg: 0, max: 0, stopped: false },
  ],
  [
    'ping/windows-en-no-stats.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'en' },
    { replies: 4, sent: 4, received: 0, min: null, avg: null, max: null, stopped: true },
  ],
  [
    'ping/windows-en-timeouts.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'en' },
    { replies: 4, sent: 4, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/windows-en-win10-loss.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'en' },
    { replies: 10, sent: 10, received: 9, min: 0, avg: 14, max: 33, stopped: false },
  ],
  [
    'ping/windows-en-win7-10.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'en' },
    { replies: 10, sent: 10, received: 10, min: 56, avg: 107, max: 194, stopped: false },
  ],
  [
    'ping/windows-es-8888.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'es' },
    { replies: 4, sent: 4, received: 4, min: 4, avg: 6, max: 9, stopped: false },
  ],
  [
    'ping/windows-es-crlf.txt',
    'cp850',
    { kind: 'ping', flavor: 'windows', language: 'es' },
    { replies: 4, sent: 4, received: 4, min: 26, avg: 184, max: 461, stopped: false },
  ],
  [
    'ping/windows-fr-8888.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'fr' },
    { replies: 4, sent: 4, received: 4, min: 6, avg: 6, max: 6, stopped: false },
  ],
  [
    'ping/windows-fr-loopback.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'fr' },
    { replies: 4, sent: 4, received: 4, min: 0, avg: 0, max: 0, stopped: false },
  ],
  [
    'ping/windows-fr-timeouts.txt',
    'cp850',
    { kind: 'ping', flavor: 'windows', language: 'fr' },
    { replies: 4, sent: 4, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/windows-fr-unreachable.txt',
    'cp850',
    { kind: 'ping', flavor: 'windows', language: 'fr' },
    { replies: 4, sent: 4, received: 2, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/windows-ja-8888.txt',
    'cp932',
    { kind: 'ping', flavor: 'windows', language: 'ja' },
    { replies: 4, sent: 4, received: 4, min: 4, avg: 4, max: 6, stopped: false },
  ],
  [
    'ping/windows-ja-google.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'ja' },
    { replies: 4, sent: 4, received: 4, min: 4, avg: 5, max: 7, stopped: false },
  ],
  [
    'ping/windows-ja-single.txt',
    'cp932',
    { kind: 'ping', flavor: 'windows', language: 'ja' },
    { replies: 1, sent: 1, received: 1, min: 1, avg: 1, max: 1, stopped: false },
  ],
  [
    'ping/windows-ja-timeout.txt',
    'cp932',
    { kind: 'ping', flavor: 'windows', language: 'ja' },
    { replies: 1, sent: 1, received: 0, min: null, avg: null, max: null, stopped: false },
  ],
  [
    'ping/windows-ru-8888.txt',
    'cp866',
    { kind: 'ping', flavor: 'windows', language: 'ru' },
    { replies: 4, sent: 4, received: 4, min: 33, avg: 35, max: 38, stopped: false },
  ],
  [
    'ping/windows-ru-timeouts.txt',
    'cp866',
    { kind: 'ping', flavor: 'windows', language: 'ru' },
    { replies: 9, sent: 9, received: 5, min: 68, avg: 68, max: 69, stopped: false },
  ],
  [
    'ping/windows-zh-cn-control-c.txt',
    'cp936',
    { kind: 'ping', flavor: 'windows', language: 'zh-CN' },
    { replies: 2, sent: 2, received: 2, min: 0, avg: 0, max: 0, stopped: false },
  ],
  [
    'ping/windows-zh-cn-powershell.txt',
    'cp936',
    { kind: 'ping', flavor: 'windows', language: 'zh-CN' },
    { replies: 4, sent: 4, received: 4, min: 580, avg: 623, max: 656, stopped: false },
  ],
  [
    'ping/windows-zh-tw-google.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'zh-TW' },
    { replies: 4, sent: 4, received: 4, min: 2, avg: 2, max: 3, stopped: false },
  ],
  [
    'ping/windows-zh-tw-leading-blank.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'zh-TW' },
    { replies: 4, sent: 4, received: 4, min: 2, avg: 2, max: 3, stopped: false },
  ],
  [
    'ping/windows-zh-tw-loopback.txt',
    'utf-8',
    { kind: 'ping', flavor: 'windows', language: 'zh-TW' },
    { replies: 4, sent: 4, received: 4, min: 0, avg: 0, max: 0, stopped: false },
  ],
  ['mtr/json-jitter-fields.json', 'utf-8', { kind: 'mtr', flavor: 'json' }, { hops: 5, unknown: 1, lastHop: 10, lastAvg: 10.799 }],
  // Older mtr (0.92/0.93) --json: hop numbers, tos, psize and tests as strings.
  ['mtr/json-strings-asn-cut.json', 'utf-8', { kind: 'mtr', flavor: 'json' }, { hops: 1, unknown: 0, lastHop: 1, lastAvg: 34.93 }],
  ['mtr/json-strings-yaru.json', 'utf-8', { kind: 'mtr', flavor: 'json' }, { hops: 3, unknown: 0, lastHop: 3, lastAvg: 267.74 }],
  ['mtr/recorded-csv.csv', 'utf-8', { kind: 'mtr', flavor: 'csv' }, { hops: 1, unknown: 0, lastHop: 1, lastAvg: 0.06 }],
  ['mtr/recorded-json.json', 'utf-8', { kind: 'mtr', flavor: 'json' }, { hops: 1, unknown: 0, lastHop: 1, lastAvg: 0.082 }],
  ['mtr/recorded-raw-dns.txt', 'utf-8', { kind: 'mtr', flavor: 'raw' }, { hops: 1, unknown: 0, lastHop: 1, lastAvg: 0.074 }],
  ['mtr/recorded-raw.txt', 'utf-8', { kind: 'mtr', flavor: 'raw' }, { hops: 1, unknown: 0, lastHop: 1, lastAvg: 0.072 }],
  ['mtr/recorded-report-wide.txt', 'utf-8', { kind: 'mtr', flavor: 'report-wide' }, { hops: 1, unknown: 0, lastHop: 1, lastAvg: 0.1 }],
  ['mtr/recorded-report.txt', 'utf-8', { kind: 'mtr', flavor: 'report' }, { hops: 1, unknown: 0, lastHop: 1, lastAvg: 0.1 }],
  ['mtr/recorded-screen.txt', 'utf-8', { kind: 'mtr', flavor: 'screen' }, { hops: 1, unknown: 0, lastHop: 1, lastAvg: 0.1 }],
  ['mtr/report-multipath-r540.txt', 'utf-8', { kind: 'mtr', flavor: 'report' }, { hops: 8, unknown: 0, lastHop: 8, lastAvg: 26.6 }],
  ['mtr/report-multipath-u56e.txt', 'utf-8', { kind: 'mtr', flavor: 'report' }, { hops: 13, unknown: 1, lastHop: 13, lastAvg: 28.8 }],
  ['mtr/report-overflow-canonical.txt', 'utf-8', { kind: 'mtr', flavor: 'report' }, { hops: 11, unknown: 0, lastHop: 11, lastAvg: 78.7 }],
  ['mtr/report-rich-traceroute-1.txt', 'utf-8', { kind: 'mtr', flavor: 'report' }, { hops: 10, unknown: 0, lastHop: 10, lastAvg: 20.5 }],
  ['mtr/report-rich-traceroute-2.txt', 'utf-8', { kind: 'mtr', flavor: 'report' }, { hops: 11, unknown: 1, lastHop: 11, lastAvg: 49.6 }],
  ['mtr/report-unknown-only.txt', 'utf-8', { kind: 'mtr', flavor: 'report' }, { hops: 1, unknown: 1, lastHop: 1, lastAvg: 0 }],
  // The interactive screen as copied from a terminal: Snt per hop, `???` and waiting hops, AS column.
  ['mtr/screen-asn-ecmp-waiting.txt', 'utf-8', { kind: 'mtr', flavor: 'screen' }, { hops: 17, unknown: 5, lastHop: 17, lastAvg: null }],
  ['mtr/screen-asn-unknown-first.txt', 'utf-8', { kind: 'mtr', flavor: 'screen' }, { hops: 11, unknown: 1, lastHop: 11, lastAvg: 23.9 }],
  ['mtr/screen-no-title-waiting.txt', 'utf-8', { kind: 'mtr', flavor: 'screen' }, { hops: 20, unknown: 8, lastHop: 20, lastAvg: 26.9 }],
  ['mtr/screen-unknown-hops-wide.txt', 'utf-8', { kind: 'mtr', flavor: 'screen' }, { hops: 15, unknown: 10, lastHop: 15, lastAvg: 0.5 }],
  ['mtr/winmtr-yarnet.txt', 'utf-8', { kind: 'mtr', flavor: 'winmtr' }, { hops: 19, unknown: 16, lastHop: 19, lastAvg: 25 }],
];

describe('paste fixtures', () => {
  it('covers every fixture file', () => {
    const files = ['ping', 'mtr'].flatMap((d) =>
      readdirSync(join(FIXTURES, d))
        .filter((f) => f !== 'README.md')
        .map((f) => `${d}/${f}`),
    );
    expect(files.sort()).toEqual(EXPECTED.map((e) => e[0]).sort());
  });

  it.each(EXPECTED)('%s', (file, encoding, recognized, expected) => {
    const decoded = decodeText(readFileSync(join(FIXTURES, file)));
    expect(decoded.encoding).toBe(encoding);
    const pasted = parsePasted(decoded.text);
    if (pasted.kind === 'ping') {
      expect(pasted.recognized).toEqual(recognized);
      const s = pasted.result.summary;
      expect({
        replies: pasted.result.replies.length,
        sent: s.sent,
        received: s.received,
        min: s.minMs,
        avg: s.avgMs,
        max: s.maxMs,
        stopped: pasted.result.stoppedAt !== undefined,
      }).toEqual(expected);
    } else if (pasted.kind === 'mtr') {
      expect(pasted.recognized).toEqual(recognized);
      const h = pasted.result.hops;
      expect({
        hops: h.length,
        unknown: h.filter((x) => x.host === null).length,
        lastHop: h.at(-1)?.hop,
        lastAvg: h.at(-1)?.avgMs,
      }).toEqual(expected);
    } else {
      expect.unreachable(`${file} recognised as ${pasted.kind}`);
    }
  });
});
