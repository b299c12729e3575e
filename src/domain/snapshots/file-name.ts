// Snapshot files named by the UI live in one folder of the host (`<dataDir>/snapshots/`). The web
// host must never open a path a browser sends, so only a bare file name is accepted: no folder
// separators, no `..`, nothing absolute, nothing hidden.

export const SNAPSHOT_EXTENSION = '.snapshot';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()+-]{0,199}$/;

/** Why a name given by the UI is refused, or null when it is a plain file name. */
export function snapshotNameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty: give a file name such as incident-4711.snapshot.';
  if (name.includes('/') || name.includes('\\')) return `"${name}" is a path: give only a file name inside the snapshots folder.`;
  if (name.includes('..')) return `"${name}" contains "..": give only a file name inside the snapshots folder.`;
  if (/^[A-Za-z]:/.test(name)) return `"${name}" is an absolute path: give only a file name inside the snapshots folder.`;
  if (!NAME.test(name))
    return `"${name}" is not a usable file name: use letters, digits, spaces and . _ - ( ) +, starting with a letter or digit.`;
  return null;
}

/** Adds the extension when the user typed a bare name. */
export function withSnapshotExtension(name: string): string {
  return name.toLowerCase().endsWith(SNAPSHOT_EXTENSION) ? name : `${name}${SNAPSHOT_EXTENSION}`;
}

/** The default name for a snapshot taken at `at` (UTC), sortable by time. */
export function defaultSnapshotName(at: number): string {
  const iso = new Date(at)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `switchyard-${iso}${SNAPSHOT_EXTENSION}`;
}

/**
 * The name an uploaded file is kept under in the snapshots folder: the user's own name where it
 * is usable (so the list and any message speak of the file they chose), characters outside the
 * allowed set replaced, the extension added, and a counter when the name is already taken. Never
 * a path, whatever the browser sent.
 */
export function uploadFileName(original: string, taken: (name: string) => boolean): string {
  const base = original.split(/[/\\]/).pop() ?? '';
  const stem = base
    .replace(/\.snapshot$/i, '')
    .replace(/[^A-Za-z0-9 ._()+-]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 150)
    .trim();
  const plain = stem === '' ? 'uploaded' : stem;
  for (let n = 1; ; n++) {
    const name = `${n === 1 ? plain : `${plain} (${n})`}${SNAPSHOT_EXTENSION}`;
    if (!taken(name)) return name;
  }
}
