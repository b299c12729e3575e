import { describe, expect, it } from 'vitest';
import { runBy, runByTitle } from './run-by';

describe('who started a run', () => {
  it('names the account on a team host, with where it came from', () => {
    const run = { account: 'ana', address: '192.0.2.10', user: 'switchyard', origin: 'web' as const };
    expect(runBy(run)).toBe('ana');
    expect(runByTitle(run)).toBe('Started by account ana from 192.0.2.10, through the web console');
  });

  it('names the OS user at a single-seat console', () => {
    const run = { account: 'local user', address: null, user: 'noc', origin: 'desktop' as const };
    expect(runBy(run)).toBe('noc');
    expect(runByTitle(run)).toBe('Started by noc (OS user) at this console, through the desktop console');
  });
});
