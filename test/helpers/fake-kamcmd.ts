// A `kamcmd` for the test sshd: prints a `ul.dump` recorded from Kamailio 5.6.3, so registrations
// are read over real SSH without a Kamailio holding real user locations.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sshd } from './sshd';

/** Installs the script in the sshd's work folder and returns the folder it is in. */
export function installFakeKamcmd(sshd: Sshd): string {
  const bin = path.join(sshd.workDir, 'bin');
  mkdirSync(bin, { mode: 0o777 });
  copyFileSync(new URL('../fixtures/kamailio/ul-dump-recorded-5.6.3.txt', import.meta.url), path.join(bin, 'ul-dump.txt'));
  chmodSync(path.join(bin, 'ul-dump.txt'), 0o644);
  writeFileSync(path.join(bin, 'kamcmd'), `#!/bin/sh\n[ "$1" = ul.dump ] || exit 1\ncat ${bin}/ul-dump.txt\n`);
  chmodSync(path.join(bin, 'kamcmd'), 0o755);
  return bin;
}
