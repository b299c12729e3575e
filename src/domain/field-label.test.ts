import { describe, expect, it } from 'vitest';
import { expectedWords, fieldLabel } from './field-label';

describe('fieldLabel', () => {
  it('names a server field by its form label, with or without the draft wrapper', () => {
    expect(fieldLabel('draft.config.ports.udp')).toBe('UDP port');
    expect(fieldLabel('channels')).toBe('Channels');
  });

  it('names any other field by its last word in plain case, never by its path', () => {
    expect(fieldLabel('maxConcurrentToolRuns')).toBe('Max concurrent tool runs');
    expect(fieldLabel('draft.description')).toBe('Description');
    expect(fieldLabel('rules.2.threshold_ms')).toBe('Threshold ms (item 3)');
    expect(fieldLabel('targets.0')).toBe('Targets (item 1)');
    expect(fieldLabel('')).toBe('The input');
  });
});

describe('expectedWords', () => {
  it('says what a value of each type is called', () => {
    expect(expectedWords('int')).toBe('a whole number');
    expect(expectedWords('string')).toBe('text');
    expect(expectedWords('object')).toBe('an object');
    expect(expectedWords('symbol')).toBe('symbol');
  });
});
