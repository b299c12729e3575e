import { describe, expect, it } from 'vitest';
import { isApibanBody, readBannedPage, readCheckAnswer } from './banned-page';

describe('readBannedPage', () => {
  it('reads an array page and its next ID', () => {
    expect(readBannedPage({ ipaddress: ['192.0.2.1', '198.51.100.7'], ID: '1712345678' })).toEqual({
      kind: 'page',
      ips: ['192.0.2.1', '198.51.100.7'],
      nextId: '1712345678',
      rejected: 0,
      rejectedSamples: [],
    });
  });

  it('takes a single string for ipaddress and a numeric ID', () => {
    expect(readBannedPage({ ipaddress: '203.0.113.9', ID: 987 })).toEqual({
      kind: 'page',
      ips: ['203.0.113.9'],
      nextId: '987',
      rejected: 0,
      rejectedSamples: [],
    });
  });

  it('recognises the end of the list', () => {
    expect(readBannedPage({ ipaddress: ['no new bans'], ID: 'none' })).toEqual({ kind: 'end' });
    expect(readBannedPage({ ipaddress: 'no new bans', ID: 'none' })).toEqual({ kind: 'end' });
  });

  it('drops what is not an address, counts it, quotes the first few safely, and folds duplicates', () => {
    const page = readBannedPage({ ipaddress: ['192.0.2.1', 'rm -rf /', 42, '192.0.2.1', '2001:DB8::1'], ID: '5' });
    expect(page).toEqual({
      kind: 'page',
      ips: ['192.0.2.1', '2001:db8::1'],
      nextId: '5',
      rejected: 2,
      rejectedSamples: ['"rm -rf /"', '"42"'],
    });
  });

  it('quotes malformed entries without control characters or unbounded length, and refuses an oversized page', () => {
    const page = readBannedPage({ ipaddress: ['999.1.2.3', '1.2.3.4\n\u001b[31mred', 'x'.repeat(500), null, '10.0.0.1/8'], ID: '7' });
    if (page.kind !== 'page') throw new Error('expected a page');
    expect(page.rejected).toBe(5);
    expect(page.rejectedSamples).toEqual(['"999.1.2.3"', '"1.2.3.4\\n\\u001b[31mred"', `"${'x'.repeat(40)}…"`]);
    expect([...page.rejectedSamples.join('')].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(() => readBannedPage({ ipaddress: Array.from({ length: 50_001 }, () => '1.1.1.1'), ID: '8' })).toThrow(/more than the 50000/);
  });

  it('tells an APIBAN body from anything else', () => {
    expect(isApibanBody({ ipaddress: [], ID: 'none' })).toBe(true);
    expect(isApibanBody({ ID: '5' })).toBe(true);
    expect(isApibanBody({ status: 'ok' })).toBe(false);
    expect(isApibanBody(['1.1.1.1'])).toBe(false);
    expect(isApibanBody('<html>')).toBe(false);
    expect(isApibanBody(undefined)).toBe(false);
  });

  it('refuses a body with no usable ID', () => {
    expect(() => readBannedPage({ ipaddress: ['192.0.2.1'] })).toThrow(/ID/);
    expect(() => readBannedPage({ ipaddress: ['192.0.2.1'], ID: '../../x' })).toThrow(/ID/);
    expect(() => readBannedPage('nope')).toThrow(/JSON object/);
  });
});

describe('readCheckAnswer', () => {
  it('says banned with the ID, or not blocked', () => {
    expect(readCheckAnswer({ ipaddress: ['192.0.2.1'], ID: '1712345678' })).toEqual({ banned: true, id: '1712345678' });
    expect(readCheckAnswer({ ipaddress: ['not blocked'], ID: 'none' })).toEqual({ banned: false });
  });
});
