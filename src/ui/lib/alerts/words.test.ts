import { describe, expect, test } from 'vitest';
import type { Hold } from '../../../contract/alerts';
import { holdActive, holdSentence, holdUntil, splitList } from './words';

const NOW = new Date(2026, 2, 3, 12, 0).getTime();
const maintenance: Hold = {
  kind: 'maintenance',
  id: 1,
  until: new Date(2026, 2, 3, 14, 32).getTime(),
  reason: 'Restart Server',
  by: 'alice',
};
const silence: Hold = { kind: 'silence', id: 2, until: new Date(2026, 2, 5, 16, 0).getTime(), reason: 'carrier work', by: 'bob' };

describe('holds in words', () => {
  test('maintenance reads as the server banner says it, the time and its zone alone when it is today', () => {
    expect(holdSentence(maintenance, NOW)).toMatch(/^In maintenance until 14:32 \S+ \(Restart Server by alice\)$/);
  });

  test('a silence ending another day names the day; the reason and who follow', () => {
    const text = holdSentence(silence, NOW);
    expect(text).toMatch(/^Silenced until .*5.*16:00 \S+: carrier work \(by bob\)$/);
    expect(text).not.toMatch(/^Silenced until 16:00/);
  });

  test('a maintenance whose action still runs lasts "until the run ends"', () => {
    const open: Hold = { ...maintenance, until: null };
    expect(holdUntil(open, NOW)).toBe('until the run ends');
    expect(holdSentence(open, NOW)).toBe('In maintenance until the run ends (Restart Server by alice)');
  });

  test('a hold past its end is over even before the host says so', () => {
    expect(holdActive(maintenance, NOW)).toBe(true);
    expect(holdActive(maintenance, maintenance.until ?? 0)).toBe(false);
    expect(holdActive({ ...maintenance, until: null }, NOW + 1e9)).toBe(true);
    expect(holdActive(undefined, NOW)).toBe(false);
  });

  test('address lists split on commas, semicolons, spaces and lines', () => {
    expect(splitList(' noc@example.net, oncall@example.net;\nops@example.net  ')).toEqual([
      'noc@example.net',
      'oncall@example.net',
      'ops@example.net',
    ]);
    expect(splitList(' , ')).toEqual([]);
  });
});
