// Launchers for `startSshd({ launcher })` that give an sshd, and every session it starts, a private
// mount namespace: one path bound over another there and nowhere else. Several servers on one
// machine can then each show their sessions "their" files at the path a real server has them.

/** Runs the sshd with `source` (an existing file or folder) bound over `target`; `label` names the shell in ps. */
export function boundOver(source: string, target: string, label: string): string[] {
  return [
    'unshare',
    '--mount',
    '--propagation',
    'private',
    '--',
    'sh',
    '-c',
    'mount --bind "$1" "$2" && shift 2 && exec "$@"',
    label,
    source,
    target,
  ];
}
