import os from 'node:os';

/** The name of the OS user running Switchyard, as action runs and snapshots record who did it. */
export function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // A uid with no passwd entry (some containers) has no name; the environment may.
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}
