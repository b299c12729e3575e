import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { importPlace, importProblemLine, refuseImportRecord } from './import-problem';

const refusal = (fn: () => void): DomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('import problems', () => {
  it('names the place, the field and the problem, with spaces between them', () => {
    expect(importProblemLine(importPlace('json', 1, 'Server 1 (999.1.1.1)'), 'ip', '999.1.1.1 is not an IP address (IPv4 or IPv6).')).toBe(
      'Row 1, field ip: 999.1.1.1 is not an IP address (IPv4 or IPv6).',
    );
    expect(importPlace('csv', 5, 'Line 5 (10.0.0.1)')).toBe('Line 5');
    expect(importPlace('json', 2, 'RTP server 2 (10.0.0.9)')).toBe('RTP server row 2');
    expect(importProblemLine('Line 3', null, 'kind must be server or rtp. Nothing was imported.')).toBe(
      'Line 3: kind must be server or rtp.',
    );
  });

  it('refuses a record with one line per problem and says nothing was imported', () => {
    const error = refusal(() =>
      refuseImportRecord(
        [
          { field: 'ip', message: '999.1.1.1 is not an IP address (IPv4 or IPv6).' },
          { field: 'zoneId', message: 'Choose a zone that exists.' },
        ],
        'Row 1',
        1,
        (f) => (f === 'zoneId' ? 'zone' : f),
      ),
    );
    expect(error.message.split('\n')).toEqual([
      'Row 1, field ip: 999.1.1.1 is not an IP address (IPv4 or IPv6).',
      'Row 1, field zone: Choose a zone that exists.',
      'Nothing was imported.',
    ]);
    expect(error).toMatchObject({ code: 'invalid-input', row: 1, field: 'ip' });
    expect(error.issues?.map((i) => i.field)).toEqual(['ip', 'zone']);
    expect(error.message).not.toMatch(/\S:\S|,\S/);
  });

  it('is a conflict when a value clashes with the fleet, and silent with no problem', () => {
    expect(
      refusal(() => refuseImportRecord([{ field: 'alias', message: 'Alias "a" is already used.', conflict: true }], 'Row 2', 2, (f) => f))
        .code,
    ).toBe('conflict');
    expect(() => refuseImportRecord([], 'Row 1', 1, (f) => f)).not.toThrow();
  });
});
