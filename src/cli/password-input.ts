// Reading a password on the command line: from standard input for scripts, or typed at the
// terminal with echo off (raw mode, so nothing typed appears on screen or in a terminal log).

/** Bounded: a password is short, and a mistaken pipe of a large file should not be read whole. */
const MAX_BYTES = 8192;

/** All of standard input, less one trailing line break (`echo pass | …` adds one). */
export async function readStdinPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BYTES) throw new Error(`--password-stdin: standard input is longer than ${MAX_BYTES} bytes; a password is expected.`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** One line typed at the terminal, not echoed. Ctrl-C and Ctrl-D give up with nothing changed. */
export function readHiddenLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt shows: whatever is typed once it is visible is never echoed.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new Error('Cancelled; nothing was changed.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (value.length < MAX_BYTES) value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
