import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { KdfParams } from '../store/accounts-repo';

// Passwords are hashed with scrypt (RFC 7914), memory-hard, from Node's own crypto (no native
// package to build for Electron). Parameters: N = 2^17, r = 8, p = 1, a 16-byte random salt and a
// 32-byte key, the minimum OWASP's Password Storage Cheat Sheet gives for scrypt. Each hash needs
// 128 × N × r = 128 MiB of memory and about 0.3 s of one core here (0.8 s on a loaded machine):
// slow enough that a stolen database is expensive to guess, fast enough that a sign-in does not
// drag. The parameters are stored with every hash, so they can be raised later without locking
// out anyone. At most two hashes run at once (each holds 128 MiB): a burst of sign-ins waits its
// turn instead of exhausting the host's memory.

export const DEFAULT_KDF: Readonly<KdfParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_PARALLEL = 2;

export interface PasswordHash {
  hash: Buffer;
  salt: Buffer;
  kdf: KdfParams;
}

/** Bounds how many hashes run at once (see above); FIFO so nobody starves. */
class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

const gate = new Gate(MAX_PARALLEL);

function derive(password: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  // maxmem: Node refuses anything over 32 MiB by default; twice the need leaves room for overhead.
  const maxmem = 2 * 128 * kdf.N * kdf.r + 1024 * 1024;
  return gate.run(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

export async function hashPassword(password: string, kdf: KdfParams = DEFAULT_KDF): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  return { hash: await derive(password, salt, kdf), salt, kdf: { ...kdf } };
}

/** Compares in constant time: how long it takes says nothing about how much of the hash matched. */
export async function passwordMatches(password: string, stored: PasswordHash): Promise<boolean> {
  const key = await derive(password, stored.salt, stored.kdf);
  return key.length === stored.hash.length && timingSafeEqual(key, stored.hash);
}

/**
 * A hash of a random password nobody knows, made once per parameter set: an unknown account is
 * checked against it, so a sign-in with a name that does not exist costs the same as a wrong
 * password and timing does not tell which names exist.
 */
export function dummyHash(kdf: KdfParams): Promise<PasswordHash> {
  const key = `${kdf.N}/${kdf.r}/${kdf.p}`;
  let made = dummies.get(key);
  if (made === undefined) {
    made = hashPassword(randomBytes(24).toString('base64'), kdf);
    dummies.set(key, made);
  }
  return made;
}

const dummies = new Map<string, Promise<PasswordHash>>();
