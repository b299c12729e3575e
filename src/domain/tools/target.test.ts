import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mtrArgv, pingArgv } from './argv';
import { MtrParams, PingParams, ToolParams } from './params';
import { checkTarget, SHELL_METACHARACTERS, type ValidTarget } from './target';

function valid(text: string): ValidTarget {
  const check = checkTarget(text);
  if (!check.ok) throw new Error(check.reason);
  return check.target;
}

const reasonOf = (text: string): string => {
  const check = checkTarget(text);
  return check.ok ? '' : check.reason;
};

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
// An all-digit name is what ping reads as a legacy address ("0" is 0.0.0.0): the generator ends
// names with a label that has a letter, as real ones do.
const tld = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);

describe('checkTarget', () => {
  it('accepts addresses in canonical form and host names as written', () => {
    expect(valid('127.0.0.1')).toMatchObject({ text: '127.0.0.1', family: 'ipv4' });
    expect(valid('2001:DB8:0::1')).toMatchObject({ text: '2001:db8::1', family: 'ipv6' });
    expect(valid('::1')).toMatchObject({ text: '::1', family: 'ipv6' });
    expect(valid('sip-1.example.net')).toMatchObject({ text: 'sip-1.example.net', family: 'name' });
    expect(valid('localhost')).toMatchObject({ family: 'name' });
  });

  it('refuses each hostile or broken form with a message naming the value', () => {
    expect(reasonOf('')).toMatch(/empty/);
    expect(reasonOf('-f')).toMatch(/"-f" starts with "-"/);
    expect(reasonOf('--help')).toMatch(/option/);
    expect(reasonOf(';rm -rf /')).toMatch(/";rm -rf \/"/);
    expect(reasonOf('a b')).toMatch(/"a b" contains a space/);
    expect(reasonOf('host\nrm')).toMatch(/"host\\nrm" contains a newline/);
    expect(reasonOf('host\u0000')).toMatch(/control character/);
    expect(reasonOf('$(id)')).toMatch(/contains "\$"/);
    expect(reasonOf('`id`')).toMatch(/contains "`"/);
    expect(reasonOf('a|b')).toMatch(/contains "\|"/);
    expect(reasonOf(`${'a'.repeat(63)}.`.repeat(5))).toMatch(/characters long/);
    expect(reasonOf('a'.repeat(64))).toMatch(/not a valid host name/);
    expect(reasonOf('999.1.1.1')).toMatch(/not a valid IPv4/);
    expect(reasonOf('127.1')).toMatch(/not a valid IPv4/);
    expect(reasonOf('0')).toMatch(/not a valid IPv4/);
    expect(reasonOf('fe80::1%eth0')).toMatch(/contains "%"/);
    expect(reasonOf('1:2:3')).toMatch(/not a valid IPv6/);
    expect(reasonOf('bücher.de')).toMatch(/xn--/);
    expect(reasonOf('under_score.net')).toMatch(/not a valid host name/);
  });

  it('refuses any string that contains a shell metacharacter', () => {
    const meta = fc.constantFrom(...SHELL_METACHARACTERS.split(''));
    fc.assert(
      fc.property(fc.string(), meta, fc.string(), (before, m, after) => {
        expect(checkTarget(`${before}${m}${after}`).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any string that starts with "-", or holds whitespace or a control character', () => {
    fc.assert(
      fc.property(fc.string(), (rest) => {
        expect(checkTarget(`-${rest}`).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
    const bad = fc.constantFrom(' ', '\t', '\n', '\r', '\u0000', '\u001b', '\u007f', '\u00a0', '\u2028');
    fc.assert(
      fc.property(fc.string(), bad, fc.string(), (a, c, b) => {
        expect(checkTarget(`${a}${c}${b}`).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws, and whatever it accepts is a plain address or name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const check = checkTarget(text);
        if (check.ok) expect(check.target.text).toMatch(/^[A-Za-z0-9][A-Za-z0-9.:-]*$/);
        else expect(check.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts every IPv4, IPv6 address and RFC 1123 name', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(checkTarget(ip).ok).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(checkTarget(ip).ok).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.array(label, { maxLength: 5 }), tld, (labels, last) => {
        expect(checkTarget([...labels, last].join('.')).ok).toBe(true);
      }),
    );
  });
});

describe('tool parameters and argv', () => {
  it('applies defaults and bounds with zod', () => {
    expect(PingParams.parse({})).toEqual({ count: 4, intervalS: 1 });
    expect(MtrParams.parse({ count: 2 })).toEqual({ count: 2, maxHops: 30 });
    expect(PingParams.safeParse({ count: 0 }).success).toBe(false);
    expect(PingParams.safeParse({ count: 1001 }).success).toBe(false);
    expect(PingParams.safeParse({ count: 1.5 }).success).toBe(false);
    expect(PingParams.safeParse({ intervalS: 0.1 }).success).toBe(false);
    expect(PingParams.safeParse({ intervalS: 61 }).success).toBe(false);
    expect(PingParams.safeParse({ count: 2, extra: '; id' }).success).toBe(false);
    expect(MtrParams.safeParse({ maxHops: 65 }).success).toBe(false);
    expect(ToolParams.parse({ tool: 'mtr' })).toEqual({ tool: 'mtr', count: 10, maxHops: 30 });
  });

  it('builds the documented argv, -6 for IPv6 literals only', () => {
    expect(pingArgv(valid('127.0.0.1'), { count: 3, intervalS: 0.2 })).toEqual(['ping', '-n', '-c', '3', '-i', '0.2', '127.0.0.1']);
    expect(pingArgv(valid('::1'), { count: 1, intervalS: 1 })).toEqual(['ping', '-n', '-c', '1', '-i', '1', '-6', '::1']);
    expect(mtrArgv(valid('localhost'), { count: 2, maxHops: 30 })).toEqual(['mtr', '-n', '--raw', '-c', '2', '-m', '30', 'localhost']);
    expect(mtrArgv(valid('::1'), { count: 2, maxHops: 5 }, 'json')).toEqual(['mtr', '-n', '--json', '-c', '2', '-m', '5', '-6', '::1']);
  });
});
