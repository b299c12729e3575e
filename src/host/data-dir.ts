import os from 'node:os';
import path from 'node:path';

/**
 * Where the fleet database lives when no `--data` is given: the same folder the desktop app uses
 * (Electron's userData for an app named Switchyard), so the CLI and the app see one fleet.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SWITCHYARD_DATA) return env.SWITCHYARD_DATA;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Switchyard');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Switchyard');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Switchyard');
}
