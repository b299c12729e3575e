import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RpcErrorAnswer, RpcTextError } from '../kamailio/rpc-tree';
import { parseUacRegDump } from './reg-dump';
import { uacStates } from './reg-state';
import { renderUacreg, UACREG_HEADER } from './uacreg-file';

const recorded = readFileSync(new URL('../../../test/fixtures/kamailio/uac-reg-dump-5.6.3.txt', import.meta.url), 'utf8');

describe('parseUacRegDump', () => {
  it('reads the dump recorded from Kamailio 5.6.3 and drops the passwords it prints', () => {
    const records = parseUacRegDump(recorded);
    expect(records.map((r) => [r.uuid, r.flags, r.proxy, r.expires])).toEqual([
      ['up-alice', 20, 'sip:127.0.0.1:41570', 120],
      ['up-bob', 17, 'sip:127.0.0.1:41570', 120],
    ]);
    expect(recorded).toContain('alice-secret');
    expect(JSON.stringify(records)).not.toContain('alice-secret');
    expect(JSON.stringify(records)).not.toContain('WRONG');
  });

  it('reads no output as no registration, and an error answer as an error', () => {
    expect(parseUacRegDump('')).toEqual([]);
    expect(() => parseUacRegDump('error: 500 - command uac.reg_dump not found\n')).toThrow(RpcErrorAnswer);
  });

  it('refuses output cut short or not a dump', () => {
    expect(() => parseUacRegDump('{\n\tl_uuid: a\n\tflags: 4\n')).toThrow(RpcTextError);
    expect(() => parseUacRegDump('{\n\tl_username: a\n}\n')).toThrow(/no l_uuid or flags/);
    expect(() => parseUacRegDump('hello world\n')).toThrow(RpcTextError);
  });
});

describe('uacStates', () => {
  const configured = [
    { id: 'up-alice', registrar: 'sip:127.0.0.1:41570', username: 'alice', expiry: 120 },
    { id: 'up-bob', registrar: '127.0.0.1:41570', username: 'bob', expiry: 120 },
    { id: 'up-carol', registrar: '127.0.0.1:41570', username: 'carol', expiry: 300 },
  ];

  it('says which upstream is registered, which gave up and why, and which the server lacks', () => {
    const { upstreams, unmanaged } = uacStates(configured, parseUacRegDump(recorded));
    expect(upstreams.map((u) => [u.upstreamId, u.state])).toEqual([
      ['up-alice', 'registered'],
      ['up-bob', 'failed'],
      ['up-carol', 'not-loaded'],
    ]);
    expect(upstreams[0]).toMatchObject({ reason: null, refreshInSec: 114, stale: false });
    expect(upstreams[1]?.reason).toMatch(/wrong username or password/);
    expect(upstreams[2]?.reason).toMatch(/run Install/);
    expect(unmanaged).toEqual([]);
  });

  it('flags a record that runs older values, and lists records Switchyard did not write', () => {
    const { upstreams, unmanaged } = uacStates([{ ...configured[0]!, expiry: 600 }], parseUacRegDump(recorded));
    expect(upstreams[0]).toMatchObject({ state: 'registered', stale: true });
    expect(unmanaged).toEqual([{ uuid: 'up-bob', username: 'bob', proxy: 'sip:127.0.0.1:41570', registered: false }]);
  });

  it('tells registering, waiting and retrying apart by the flags', () => {
    const record = (flags: number) => ({
      uuid: 'up-alice',
      username: 'alice',
      domain: null,
      authUsername: null,
      proxy: null,
      expires: null,
      flags,
      diffExpires: null,
      timerExpires: null,
    });
    const state = (flags: number) => uacStates([configured[0]!], [record(flags)]).upstreams[0]?.state;
    expect(state(16 | 2)).toBe('registering');
    expect(state(0)).toBe('waiting');
    expect(state(16)).toBe('retrying');
  });
});

describe('renderUacreg', () => {
  it('writes the db_text table with ":" and "\\" escaped and the registrar as the proxy', () => {
    const text = renderUacreg([{ id: 'u1', registrar: 'sips:reg.example.net:5061', username: 'acct', expiry: 3600, password: 'p:a\\ss' }]);
    const [header, row, end] = text.split('\n');
    expect(header).toBe(UACREG_HEADER);
    expect(row).toBe(
      '1:u1:acct:reg.example.net:acct:reg.example.net::acct:p\\:a\\\\ss::sip\\:reg.example.net\\:5061;transport=tls:3600:0:0::',
    );
    expect(end).toBe('');
  });
});
