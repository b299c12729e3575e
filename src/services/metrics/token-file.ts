// The web host's token kept in a file (`serve --token-file FILE`), so a Prometheus scrape config
// (`authorization: { credentials_file: FILE }`) and a systemd unit keep working across restarts,
// where the default token is new at every start. Made here when missing: 32 random bytes as hex,
// mode 0600, written under a temporary name and linked into place, so a crash or a second start
// racing this one never leaves a half-written file. An existing file is refused, never repaired,
// when other users could read or change it or when it does not hold a token of that shape.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, openSync, readSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors';
import { errorMessage } from '../../domain/error-message';

/** What this host writes, and so all it accepts: `openssl rand -hex 32` makes one too. */
const TOKEN_SHAPE = /^[0-9a-f]{64}$/;
/** Other users' bits, and the group's write bit: group read stays allowed, to share with a `prometheus` group. */
const TOO_OPEN = 0o027;
/** A token line is 65 bytes; anything much longer is not a token file. */
const MAX_BYTES = 1_024;

function refuse(message: string): never {
  throw new DomainError('invalid-input', message, { field: 'token-file' });
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return errorMessage(error);
}

/** Reads the token from `file`, making the file first when there is none. */
export function loadTokenFile(file: string): string {
  // Read first: a file that exists in a folder this user may not write to is still usable.
  return (
    readTokenFile(file) ??
    createTokenFile(file) ??
    readTokenFile(file) ??
    refuse(`The token file ${file} can be neither read nor made (a broken symbolic link?).`)
  );
}

/** Makes the file with a new token; null when a file is already there. */
function createTokenFile(file: string): string | null {
  const token = randomBytes(32).toString('hex');
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    return refuse(`Cannot create the token file ${file}: ${describe(error)}`);
  }
  try {
    // link() fails when the name exists (a symlink included): never overwrites, never follows.
    linkSync(temp, file);
    return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    return refuse(`Cannot create the token file ${file}: ${describe(error)}`);
  } finally {
    unlinkSync(temp);
  }
}

/** The token in `file`; null when there is no such file. */
function readTokenFile(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return refuse(`Cannot read the token file ${file}: ${describe(error)}`);
  }
  try {
    // Checked on the open file, so what is checked is what is read.
    const stat = fstatSync(fd);
    if (!stat.isFile()) refuse(`The token file ${file} is not a regular file.`);
    if (process.platform !== 'win32') {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      if ((stat.mode & TOO_OPEN) !== 0) {
        refuse(
          `The token file ${file} can be read or changed by other users (mode ${mode}): run \`chmod 600 ${file}\` (or 640 to share it with one group).`,
        );
      }
      const uid = process.getuid?.();
      if (uid !== undefined && stat.uid !== uid && stat.uid !== 0)
        refuse(`The token file ${file} belongs to another user (uid ${stat.uid}), who could change it.`);
    }
    const buffer = Buffer.alloc(MAX_BYTES + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, length)
      .toString('utf8')
      .replace(/\r?\n$/, '');
    if (length > MAX_BYTES || !TOKEN_SHAPE.test(text)) {
      refuse(
        `The token file ${file} does not hold a Switchyard token: one line of 64 hexadecimal digits (as \`openssl rand -hex 32\` prints). Delete it to have a new one made.`,
      );
    }
    return text;
  } finally {
    closeSync(fd);
  }
}
