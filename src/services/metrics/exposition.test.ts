import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../test/helpers/prometheus';
import { escapeHelp, escapeLabelValue, ExpositionWriter, formatValue, joinLabels, labelText } from './exposition';

describe('exposition format', () => {
  it('escapes backslash, double quote and line feed in label values, and nothing else', () => {
    expect(escapeLabelValue('sbc-1')).toBe('sbc-1');
    expect(escapeLabelValue('a\\b')).toBe('a\\\\b');
    expect(escapeLabelValue('say "hi"')).toBe('say \\"hi\\"');
    expect(escapeLabelValue('two\nlines')).toBe('two\\nlines');
    expect(escapeLabelValue('tab\there, é, {x}=,')).toBe('tab\there, é, {x}=,');
  });

  it('escapes backslash and line feed in HELP text, leaving quotes', () => {
    expect(escapeHelp('a "b" c\\d\ne')).toBe('a "b" c\\\\d\\ne');
  });

  it('writes numbers as Go reads them', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(200)).toBe('200');
    expect(formatValue(0.00004)).toBe('0.00004');
    expect(formatValue(1e-7)).toBe('1e-7');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatValue(Number.NaN)).toBe('NaN');
  });

  it('joins label texts, skipping empty ones', () => {
    expect(
      labelText([
        ['server', 'a'],
        ['cluster', ''],
      ]),
    ).toBe('server="a",cluster=""');
    expect(joinLabels('', 'a="1"', '', 'b="2"')).toBe('a="1",b="2"');
  });

  it('writes HELP and TYPE once per family and refuses a family declared twice', () => {
    const out = new ExpositionWriter();
    out.family({ name: 'x_total', type: 'counter', help: 'Things "counted".\nTwice.' });
    out.sample('x_total', labelText([['server', 'odd "name"\\\n']]), 3);
    out.sample('x_total', '', 4);
    expect(() => out.family({ name: 'x_total', type: 'counter', help: '' })).toThrow(/twice/);
    const text = out.text();
    expect(text).toBe(
      '# HELP x_total Things "counted".\\nTwice.\n# TYPE x_total counter\nx_total{server="odd \\"name\\"\\\\\\n"} 3\nx_total 4\n',
    );
    const parsed = parseExposition(text).get('x_total');
    expect(parsed?.help).toBe('Things "counted".\nTwice.');
    expect(parsed?.samples[0]?.labels).toEqual({ server: 'odd "name"\\\n' });
  });

  it('writes nothing at all for no families', () => {
    expect(new ExpositionWriter().text()).toBe('');
  });
});
