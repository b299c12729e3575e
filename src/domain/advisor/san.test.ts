import { describe, expect, it } from 'vitest';
import { sanCovers } from './san';

describe('certificate name matching', () => {
  it('matches exact names case-insensitively', () => {
    expect(sanCovers('SIP.Example.com', 'sip.example.COM')).toBe(true);
    expect(sanCovers('sip.example.com', 'sip2.example.com')).toBe(false);
  });
  it('a wildcard covers one label only', () => {
    expect(sanCovers('*.example.com', 'sip.example.com')).toBe(true);
    expect(sanCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(sanCovers('*.example.com', 'example.com')).toBe(false);
  });
});
