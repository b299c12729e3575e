/** A source of random identifiers: `bytes` random bytes as lower-case hex. Injected so tests are deterministic. */
export type RandomHex = (bytes: number) => string;

/** The Web Crypto source, available in Node, Electron and browsers alike. */
export const cryptoRandomHex: RandomHex = (bytes) => {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
};

/** A repeatable source for tests and fixtures: a counter spread over the requested bytes. */
export function sequentialRandomHex(seed = 0): RandomHex {
  let counter = seed;
  return (bytes) => {
    counter += 1;
    return counter
      .toString(16)
      .padStart(bytes * 2, '0')
      .slice(-bytes * 2);
  };
}
