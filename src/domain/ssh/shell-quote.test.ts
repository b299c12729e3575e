import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOSTILE_ARGS } from '../../../test/helpers/hostile-args';
import { shellJoin, shellQuote } from './shell-quote';

/** Runs one command line in a real POSIX shell and returns the arguments it received. */
function throughSh(line: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('leaves plain words bare so logged commands stay readable', () => {
    expect(shellJoin(['systemctl', 'restart', '--', 'kamailio'])).toBe('systemctl restart -- kamailio');
    expect(shellQuote('/usr/local/sbin/sip-install')).toBe('/usr/local/sbin/sip-install');
    expect(shellQuote('a=b')).toBe('a=b');
  });

  it('quotes everything a shell would interpret', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(id)')).toBe("'$(id)'");
    expect(shellQuote('~')).toBe("'~'");
    expect(shellQuote('=cmd')).toBe("'=cmd'");
    expect(shellQuote('a{b,c}')).toBe("'a{b,c}'");
  });

  it('refuses a NUL, which no shell argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(RangeError);
  });

  it.each(HOSTILE_ARGS.map((a) => [JSON.stringify(a), a]))('%s round-trips literally through sh -c', (_label, arg) => {
    expect(throughSh(shellQuote(arg))).toEqual([arg]);
  });

  it('keeps every argv element apart through sh -c', () => {
    expect(throughSh(shellJoin(HOSTILE_ARGS))).toEqual([...HOSTILE_ARGS]);
  });

  it('round-trips any string without NUL (property, one shell run per batch)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 40 },
        ),
        (args) => {
          expect(throughSh(shellJoin(args))).toEqual(args);
        },
      ),
      { numRuns: 40 },
    );
    // Forty shell runs: well under a second idle, several on a loaded machine.
  }, 30_000);
});
