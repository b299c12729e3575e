// The exact argv of each tool. Only a ValidTarget and parsed params go in, so no text a user
// typed reaches a process unchecked. The same argv runs locally and, quoted, over SSH.
import type { MtrParams, PingParams } from './params';
import type { ValidTarget } from './target';

export type MtrOutputMode = 'raw' | 'json';

export function pingArgv(target: ValidTarget, params: PingParams): string[] {
  const argv = ['ping', '-n', '-c', String(params.count), '-i', String(params.intervalS)];
  if (target.family === 'ipv6') argv.push('-6');
  argv.push(target.text);
  return argv;
}

/** `raw` streams one line per probe and answer (live hop table); `json` prints one report at the end. */
export function mtrArgv(target: ValidTarget, params: MtrParams, mode: MtrOutputMode = 'raw'): string[] {
  const argv = ['mtr', '-n', mode === 'raw' ? '--raw' : '--json', '-c', String(params.count), '-m', String(params.maxHops)];
  if (target.family === 'ipv6') argv.push('-6');
  argv.push(target.text);
  return argv;
}
