// Every remote command is an argv joined by these functions: a parameter typed by an operator
// (a service name, a channel count, a script path) must reach the remote program as one literal
// argument, never as shell syntax. POSIX single quotes are the only quoting with no special
// characters inside them, so the rule is simple enough to trust: wrap in '…', and write a quote
// as '\'' (close, escaped quote, reopen).
//
// The remote login shell must be POSIX-like (sh, dash, bash, zsh, ksh). fish treats backslashes
// inside single quotes differently; a server with fish as the SSH user's shell is not supported.

/** Words that mean the same to every POSIX shell with or without quotes, kept bare for readable logs. */
const BARE_WORD = /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:@%+,=-]*$/;

/**
 * Quotes one argument for a POSIX shell. The result always stands for exactly `arg` as a single
 * word. A leading `-` still reaches the program as an option-looking argument: recipes that take
 * user text put `--` before it.
 */
export function shellQuote(arg: string): string {
  if (typeof arg !== 'string') throw new TypeError('A shell argument must be a string.');
  // A NUL cannot be carried through a shell command line at all: refuse rather than truncate.
  if (arg.includes('\0')) throw new RangeError('A shell argument cannot contain a NUL character.');
  if (BARE_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Joins an argv into one command line, each element quoted by `shellQuote`. */
export function shellJoin(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}
