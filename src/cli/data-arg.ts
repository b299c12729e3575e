import { defaultDataDir } from '../host/data-dir';
import { UsageError } from './io';

/** The `--data FOLDER` (or `--data=FOLDER`) of a command line, or the default data folder. */
export function dataDirOf(args: string[]): string {
  const i = args.indexOf('--data');
  const inline = args.find((a) => a.startsWith('--data='));
  if (inline) return inline.slice('--data='.length);
  const value = i >= 0 ? args[i + 1] : undefined;
  if (i >= 0 && (value === undefined || value.startsWith('--'))) throw new UsageError('--data needs a folder.');
  return value ?? defaultDataDir();
}
