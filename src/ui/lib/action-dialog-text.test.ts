import { describe, expect, it } from 'vitest';
import { errorSentences, typedConfirmationProblem } from './action-dialog-text';

const four = {
  confirm: 'typed' as const,
  confirmText: '4',
  confirmHint: 'the number of servers',
  label: 'Restart',
  servers: [1, 2, 3, 4].map((i) => ({ id: `s${i}`, alias: `sw-${i}`, ip: `10.0.0.${i}`, command: 'reboot' })),
};

describe('typedConfirmationProblem', () => {
  it('says what to type when the count is wrong', () => {
    expect(typedConfirmationProblem(four, '3')).toBe('"3" is not the number of servers: type 4 to run Restart on 4 servers.');
    expect(typedConfirmationProblem(four, 'four')).toMatch(/^"four" is not the number of servers/);
  });

  it('stays quiet while empty, right, or still being typed, and for a simple confirmation', () => {
    expect(typedConfirmationProblem(four, '')).toBeNull();
    expect(typedConfirmationProblem(four, ' 4 ')).toBeNull();
    expect(
      typedConfirmationProblem(
        { ...four, confirmText: '1200', confirmHint: 'the new channel count', servers: four.servers.slice(0, 1) },
        '12',
      ),
    ).toBeNull();
    expect(
      typedConfirmationProblem(
        { ...four, confirmText: '1200', confirmHint: 'the new channel count', servers: four.servers.slice(0, 1) },
        '1300',
      ),
    ).toBe('"1300" is not the new channel count: type 1200 to run Restart.');
    expect(typedConfirmationProblem({ ...four, confirm: 'simple', confirmText: null }, '3')).toBeNull();
  });
});

describe('errorSentences', () => {
  it('writes a JSON array of schema issues as sentences, never as the array', () => {
    const raw =
      'Power Cycle failed: [{"code":"invalid_type","expected":"string","path":["host"],"message":"Invalid input: expected string, received undefined"}]';
    const out = errorSentences(raw);
    expect(out).toBe('Power Cycle failed: host: Invalid input: expected string, received undefined.');
    expect(out).not.toMatch(/[[\]{}]/);
  });

  it('keeps words as words, with a full stop', () => {
    expect(errorSentences('sw-1 (10.0.0.1) has no out-of-band method')).toBe('sw-1 (10.0.0.1) has no out-of-band method.');
    expect(errorSentences('Set it in Config [Out-of-band power].')).toBe('Set it in Config [Out-of-band power].');
  });
});
