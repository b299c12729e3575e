// The interactive mtr screen, read from the real pastes kept as fixtures (sources in
// test/fixtures/mtr/README.md) and from cut and mangled copies of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mtrFlavorOf, parseMtr } from './index';
import { parseMtrScreen } from './screen';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../../../test/fixtures/mtr', name), 'utf8');
const row = (r: ReturnType<typeof parseMtr>, hop: number) => r.hops.find((h) => h.hop === hop);

describe('parseMtrScreen on real screens', () => {
  it('reads AS columns, waiting hops, extra addresses and a different Snt per hop (mtr 0.93)', () => {
    const text = fixture('screen-asn-ecmp-waiting.txt');
    expect(mtrFlavorOf(text)).toBe('screen');
    const r = parseMtr(text);
    expect(r.stoppedAt).toBeUndefined();
    expect(r.hops.map((h) => h.hop)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(row(r, 1)).toMatchObject({
      host: '10.0.2.2',
      lossPct: 0,
      sent: 19,
      lastMs: 1.5,
      avgMs: 2.6,
      bestMs: 0.8,
      worstMs: 11.4,
      stddevMs: 2.8,
    });
    expect(row(r, 3)).toMatchObject({ host: null, hosts: [], lossPct: 100, avgMs: null });
    expect(row(r, 6)).toMatchObject({
      host: '74.125.52.232',
      hosts: ['74.125.52.232', '209.85.254.20'],
      lossPct: 88.9,
      sent: 19,
      avgMs: 146.5,
    });
    expect(row(r, 9)).toMatchObject({ sent: 18, avgMs: 45.2 });
    expect(row(r, 10)?.hosts).toEqual(['142.250.56.219', '209.85.254.20', '142.251.49.24']);
    // mtr prints a worst of 1258 ms as `1258.` to keep the column width.
    expect(row(r, 11)).toMatchObject({ worstMs: 1258, stddevMs: 294.8 });
    expect(row(r, 13)).toMatchObject({ lossPct: 94.1, hosts: ['213.228.116.69'] });
    expect(r.hops.slice(13).every((h) => h.host === null)).toBe(true);
  });

  it('reads bare ??? hops on a wide screen (mtr 0.92)', () => {
    const r = parseMtr(fixture('screen-unknown-hops-wide.txt'));
    expect(r.hops.filter((h) => h.host === null).map((h) => h.hop)).toEqual([1, 2, 3, 4, 5, 10, 11, 12, 13, 14]);
    expect(row(r, 6)).toMatchObject({ host: '100.65.8.129', sent: 28, avgMs: 1.6, worstMs: 16.1 });
    expect(row(r, 15)).toMatchObject({ host: 'server-54-192-151-44.sin2.r.cloudfront.net', sent: 27, avgMs: 0.5 });
  });

  it('reads a screen copied without its title, and one with AS??? before the address', () => {
    const untitled = fixture('screen-no-title-waiting.txt');
    expect(mtrFlavorOf(untitled)).toBe('screen');
    const r = parseMtr(untitled);
    expect(row(r, 1)).toMatchObject({ host: '_gateway', sent: 36 });
    expect(row(r, 9)).toMatchObject({ host: '142.251.49.158', lossPct: 38.9 });
    expect(row(r, 20)).toMatchObject({ host: 'dns.google', lossPct: 88.2, sent: 35, avgMs: 26.9 });
    const asn = parseMtr(fixture('screen-asn-unknown-first.txt'));
    expect(row(asn, 1)?.host).toBeNull();
    expect(row(asn, 2)).toMatchObject({ host: '100.122.0.1', sent: 288 });
    expect(row(asn, 11)).toMatchObject({ host: '8.8.8.8', sent: 287, avgMs: 23.9 });
  });

  it('reads the target from the title line mtr 0.95 prints', () => {
    const r = parseMtr(fixture('recorded-screen.txt'));
    expect(r).toMatchObject({ target: '127.0.0.1', hops: [{ hop: 1, host: 'localhost', sent: 20, avgMs: 0.1 }] });
  });
});

describe('parseMtrScreen on cut and partial pastes', () => {
  const text = fixture('screen-asn-unknown-first.txt');
  const lines = text.split('\n');

  it('recognises rows pasted without title and header', () => {
    const rowsOnly = lines.slice(5).join('\n');
    expect(mtrFlavorOf(rowsOnly)).toBe('screen');
    expect(parseMtr(rowsOnly).hops).toHaveLength(11);
  });

  it('keeps the hops before a line cut short and says where it stopped', () => {
    const cut = [...lines.slice(0, 8), lines[8]?.slice(0, 50) ?? ''].join('\n');
    const r = parseMtr(cut);
    expect(r.hops.map((h) => h.hop)).toEqual([1, 2, 3]);
    expect(r.stoppedAt).toEqual({ line: 9, reason: 'hop line cut short' });
  });

  it('reads only the first of two screens pasted one after the other', () => {
    const r = parseMtrScreen(`${text}\n${text}`);
    expect(r.hops).toHaveLength(11);
    expect(r.stoppedAt?.reason).toMatch(/second screen/);
  });

  it('does not take prose after the table for an extra address', () => {
    const r = parseMtrScreen(`${lines.slice(0, 7).join('\n')}\n\nSee above.\n`);
    expect(row(r, 2)?.hosts).toEqual(['100.122.0.1']);
  });

  it('never throws on mangled screens', () => {
    const real = fixture('screen-asn-ecmp-waiting.txt');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: real.length }), fc.string({ maxLength: 40 }), (at, noise) => {
        const r = parseMtrScreen(real.slice(0, at) + noise);
        expect(Array.isArray(r.hops)).toBe(true);
      }),
    );
  });
});
