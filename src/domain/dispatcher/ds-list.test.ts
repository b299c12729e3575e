import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DsListError, parseDispatcherList } from './ds-list';

const fixture = (name: string): string => readFileSync(new URL(`../../../test/fixtures/kamailio/${name}`, import.meta.url), 'utf8');

describe('parseDispatcherList on output recorded from Kamailio 5.6.3', () => {
  it('reads every destination with its set, state, probing flag, attributes and latency', () => {
    const list = parseDispatcherList(fixture('dispatcher-list-latency-5.6.3.txt'));
    expect(list.setIds).toEqual([2, 1]);
    expect(list.destinations.map((d) => [d.setId, d.uri, d.flags, d.state, d.probing])).toEqual([
      [2, 'sip:127.0.0.45:25160', 'AP', 'active', true],
      [2, 'sip:127.0.0.41:25161;transport=tcp', 'DX', 'disabled', false],
      [1, 'sip:127.0.0.44:25160', 'IP', 'inactive', true],
      [1, 'sip:127.0.0.43:25160', 'AP', 'active', true],
      [1, 'sip:127.0.0.42:25160', 'IP', 'inactive', true],
      [1, 'sip:127.0.0.41:25160', 'AP', 'active', true],
    ]);
    const sipp = list.destinations[0];
    expect(sipp).toMatchObject({ priority: 10, attrs: 'duid=sipp', weight: 0 });
    expect(sipp?.latency?.avgMs).toBeGreaterThan(0);
    const silent = list.destinations.find((d) => d.uri === 'sip:127.0.0.44:25160');
    expect(silent?.latency).toMatchObject({ avgMs: 0, timeouts: expect.any(Number) });
    expect(silent?.latency?.timeouts).toBeGreaterThan(0);
    expect(list.destinations.find((d) => d.uri === 'sip:127.0.0.41:25160')).toMatchObject({ attrs: 'weight=50', weight: 50 });
  });

  it('without ds_ping_latency_stats the destinations carry no latency', () => {
    const list = parseDispatcherList(fixture('dispatcher-list-plain-5.6.3.txt'));
    expect(list.destinations).toHaveLength(6);
    expect(list.destinations.every((d) => d.latency === null)).toBe(true);
    expect(list.destinations.find((d) => d.uri.includes('transport=tcp'))).toMatchObject({ attrs: null, weight: null, priority: 5 });
  });

  it('"No Destination Sets" is an answer: no destinations', () => {
    expect(parseDispatcherList(fixture('dispatcher-list-empty-5.6.3.txt'))).toEqual({ destinations: [], setIds: [] });
  });

  it('a Kamailio without the dispatcher module is said to be one', () => {
    const error = catchError(() => parseDispatcherList(fixture('dispatcher-list-no-module-5.6.3.txt')));
    expect(error).toMatchObject({ kind: 'no-module' });
    expect(error.message).toMatch(/dispatcher module is not loaded/);
  });
});

describe('parseDispatcherList on output it must refuse', () => {
  const recorded = fixture('dispatcher-list-latency-5.6.3.txt');

  it.each([
    ['nothing at all', '', /printed nothing/],
    ['a shell error', 'sh: 1: kamcmd: not found\n', /no RECORDS block/],
    ['another RPC answer', fixture('dialog-stats-5.6.3.txt'), /no RECORDS block/],
    ['binary noise', '\u0000\u0001\u00ff garbage\n', /not "Key: value"/],
    ['a struct with no RECORDS', '{\n\tnow: Wed Dec  2 07:02:31 2026\n}\n', /no RECORDS block/],
    ['output cut short after a line', recorded.slice(0, recorded.indexOf('\n', recorded.length / 2) + 1), /cut short/],
    ['output cut short inside a line', `${recorded.slice(0, recorded.indexOf('PRIORITY'))}PRIORI`, /not "Key: value"/],
    ['a set lost from the middle', recorded.replace('NRSETS: 2', 'NRSETS: 3'), /says 3 destination sets but lists 2/],
    ['a destination without a SIP URI', recorded.replace('URI: sip:127.0.0.44:25160', 'URI: rm -rf /'), /no SIP URI/],
    ['unreadable flags', recorded.replace('FLAGS: DX', 'FLAGS: {}'), /no readable FLAGS/],
    ['another RPC error', 'error: 500 - Ongoing reload\n', /Ongoing reload/],
  ])('%s', (_label, text, message) => {
    const error = catchError(() => parseDispatcherList(text));
    expect(error).toBeInstanceOf(DsListError);
    expect(error.message).toMatch(message);
  });

  it('keeps an unknown state letter visible instead of guessing', () => {
    // Kamailio's fourth state (T, trying) and a letter no version prints, edited into recorded output.
    const list = parseDispatcherList(recorded.replace('FLAGS: IP', 'FLAGS: TP').replace('FLAGS: IP', 'FLAGS: QX'));
    expect(list.destinations.map((d) => [d.flags, d.state])).toContainEqual(['TP', 'trying']);
    expect(list.destinations.map((d) => [d.flags, d.state])).toContainEqual(['QX', null]);
  });
});

function catchError(fn: () => unknown): DsListError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DsListError) return err;
    throw err;
  }
  throw new Error('expected a DsListError');
}
