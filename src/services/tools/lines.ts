/**
 * Cuts a stream of text chunks into lines, whatever the chunk boundaries: a pipe or an SSH
 * channel may split a line anywhere. CR of CRLF is dropped; `end()` delivers an unfinished last line.
 */
export function createLineSplitter(onLine: (line: string) => void): { write(chunk: string): void; end(): void } {
  let pending = '';
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    write(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) emit(line);
    },
    end() {
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}
