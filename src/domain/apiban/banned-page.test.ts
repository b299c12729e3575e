import { describe, expect, it } from 'vitest';
import { readBannedPage, readCheckAnswer } from './banned-page';

describe('readBannedPage', () => {
  it('reads an array page and its next ID', () => {
    expect(readBannedPage({ ipaddress: ['192.0.2.1', '198.51.100.7'], ID: '1712345678' })).toEqual({
      kind: 'page', ips: ['192.0.2.1', '198.51.100.7'], nextId: '1712345678', rejected: 0,
    });
  });

  it('takes a single string for ipaddress and a numeric ID', () => {
    expect(readBannedPage({ ipaddress: '203.0.113.9', ID: 987 })).toEqual({ kind: 'page', ips: ['203.0.113.9'], nextId: '987', rejected: 0 });
  });

  it('recognises the end of the list', () => {
    expect(readBannedPage({ ipaddress: ['no new bans'], ID: 'none' })).toEqual({ kind: 'end' });
    expect(readBannedPage({ ipaddress: 'no new bans', ID: 'none' })).toEqual({ kind: 'end' });
  });

  it('drops what is not an address, counts it, and folds duplicates', () => {
    const page = readBannedPage({ ipaddress: ['192.0.2.1', 'rm -rf /', 42, '192.0.2.1', '2001:DB8::1'], ID: '5' });
    expect(page).toEqual({ kind: 'page', ips: ['192.0.2.1', '2001:db8::1'], nextId: '5', rejected: 2 });
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
