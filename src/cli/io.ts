import type { CallError, Result } from '../contract/result';

/** Exit codes shared by every command: 2 for input the user can fix, 1 for anything else. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

export class UsageError extends Error {}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function describeError(error: CallError): string {
  const where = [error.row !== undefined ? `row ${error.row}` : null, error.field ? `field ${error.field}` : null]
    .filter(Boolean)
    .join(', ');
  return where ? `${error.message} [${where}]` : error.message;
}

/** Prints a refused call and returns the exit code it deserves. */
export function reportFailure(result: Extract<Result<unknown>, { ok: false }>, io: Io): number {
  io.err(`switchyard: ${describeError(result.error)}\n`);
  return result.error.code === 'invalid-input' || result.error.code === 'conflict' || result.error.code === 'not-found'
    ? EXIT_BAD_INPUT
    : EXIT_FAILURE;
}
