import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUlDump, parseUlLookup, UlDumpError } from './ul-dump';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/kamailio/${name}`, import.meta.url), 'utf8');

describe('parseUlDump', () => {
  it('reads a dump recorded from Kamailio 5.6.3', () => {
    const dump = parseUlDump(fixture('ul-dump-recorded-5.6.3.txt'));
    expect(dump.aorCount).toBe(3);
    expect(dump.contactCount).toBe(3);
    expect(dump.domains.map((d) => [d.name, d.records])).toEqual([['location', 3]]);
    const alice = dump.domains[0]?.aors.find((a) => a.aor === 'alice');
    expect(alice?.contacts[0]).toMatchObject({
      address: 'sip:alice@127.0.0.1:37001;transport=udp',
      expires: 2994,
      callId: 'reg-alice-7f3a@127.0.0.1',
      cseq: 4,
      userAgent: 'Linphone/5.2.0 (belle-sip/5.2.0)',
      received: null,
      socket: 'udp:127.0.0.1:15099',
      state: 'CS_NEW',
      serverId: 0,
    });
  });

  it('reads an empty table printed with spaces (kamailio issue 3123)', () => {
    const dump = parseUlDump(fixture('ul-dump-empty-issue-3123.txt'));
    expect(dump).toEqual({ domains: [{ name: 'devflip_location', aors: [], records: 0 }], serverTime: null, aorCount: 0, contactCount: 0 });
  });

  it('keeps the Server-Id of a replicated contact (kamailio issue 1299)', () => {
    const dump = parseUlDump(fixture('ul-dump-server-id-issue-1299.txt'));
    expect(dump.domains[0]?.aors[0]?.contacts[0]).toMatchObject({
      address: 'sip:123456@10.8.0.151:5066',
      serverId: 1,
      socket: null,
      userAgent: 'Grandstream GXP2160 1.0.5.33',
    });
  });

  it("reports kamcmd's own error instead of a count (Kamailio 5.6.0 bad record)", () => {
    expect(() => parseUlDump(fixture('ul-dump-bad-record-issue-3123.txt'))).toThrow(
      /kamcmd reported an error: while parsing the record 14/,
    );
  });

  it('refuses output cut short, empty output and other commands', () => {
    const full = fixture('ul-dump-recorded-5.6.3.txt');
    expect(() => parseUlDump(full.slice(0, full.length / 2))).toThrow(UlDumpError);
    expect(() => parseUlDump(full.slice(0, full.length / 2))).toThrow(/cut short/);
    expect(() => parseUlDump('')).toThrow(/printed nothing/);
    expect(() => parseUlDump('{\n\tfoo: 1\n}\n')).toThrow(/not a ul.dump/);
    expect(() => parseUlDump('error: 500 - command ul.dump not found')).toThrow(/command ul.dump not found/);
  });

  it("reads usrloc's keepalive fields and the server clock the recipe prints first (recorded with ka_mode 1)", () => {
    const dump = parseUlDump(`Server-Time: 1796208170\n${fixture('ul-dump-keepalive-5.6.3.txt')}`);
    expect(dump.serverTime).toBe(1796208170);
    const byAor = new Map(dump.domains[0]?.aors.map((a) => [a.aor, a.contacts[0]]));
    expect(byAor.get('alice')).toMatchObject({ lastKeepalive: 1796208170, kaRoundtripUs: 720, ruid: expect.stringMatching(/^uloc-/) });
    // carol's phone went away: no answer since its REGISTER, and ka_timeout has cut its expiry to seconds.
    expect(byAor.get('carol')).toMatchObject({ lastKeepalive: 1796208158, kaRoundtripUs: 0, expires: 3 });
    // The older recording has the fields too, with no keepalive answered.
    expect(parseUlDump(fixture('ul-dump-recorded-5.6.3.txt')).domains[0]?.aors[0]?.contacts[0]).toMatchObject({
      kaRoundtripUs: 0,
      lastKeepalive: 1795613929,
    });
  });
});

describe('parseUlLookup', () => {
  it('reads one AoR as ul.lookup prints it, with the header lines of the shipped recipe', () => {
    const found = parseUlLookup(`Server-Time: 1796208171\nLast-Round: 1796208170\n${fixture('ul-lookup-5.6.3.txt')}`);
    expect(found).toMatchObject({ aor: 'carol', serverTime: 1796208171, lastRound: 1796208170 });
    expect(found.contacts).toHaveLength(1);
    expect(found.contacts[0]).toMatchObject({ address: expect.stringContaining('sip:carol@127.0.0.1:'), kaRoundtripUs: 0 });
  });

  it('answers "not registered" to kamcmd\'s AOR not found, and refuses other errors and empty output', () => {
    expect(parseUlLookup(`Server-Time: 5\nLast-Round: 0\n${fixture('ul-lookup-not-found-5.6.3.txt')}`)).toEqual({
      aor: null,
      contacts: [],
      serverTime: 5,
      lastRound: null,
    });
    expect(() => parseUlLookup('error: 500 - Domain table not found\n')).toThrow(/kamcmd reported an error: 500 - Domain table not found/);
    expect(() => parseUlLookup('Server-Time: 5\nLast-Round: 0\n')).toThrow(/printed nothing/);
    expect(() => parseUlLookup('{\n\tfoo: 1\n}\n')).toThrow(/not a ul.lookup answer/);
  });
});
