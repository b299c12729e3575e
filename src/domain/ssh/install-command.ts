import { invalid } from '../errors';

// The install command Install Server runs: an absolute path of a script on the server, or an https
// URL the recipe downloads into a private temporary file and runs with `sh` (see the install recipe
// in resources/recipes/default.json). It is one argument, never shell text: no arguments, spaces,
// quotes or shell syntax, so what the operator saw in the dialog is exactly what runs.

export const INSTALL_COMMAND_MAX = 2048;

export type InstallCommandKind = 'path' | 'https';

/** A path made of the characters file names on servers use, none of which a shell treats specially. */
const PLAIN_PATH = /^\/[A-Za-z0-9._+\-/@%=:,~]*$/;
/** Characters that make a URL read as shell text, or hide what it is. */
const URL_UNSAFE = /[\s"'`<>\\^{}|$;]/;

const EXAMPLE = 'an absolute path of a script on the server (/opt/sip/install.sh) or an https:// URL the server downloads and runs';

/** Why `value` cannot be an install command, or null when it can. `what` names the field in the message. */
export function installCommandProblem(value: string, what = 'The install command'): string | null {
  const command = value.trim();
  if (command === '') return `${what} is empty: give ${EXAMPLE}.`;
  if (command.length > INSTALL_COMMAND_MAX)
    return `${what} is ${command.length} characters long; at most ${INSTALL_COMMAND_MAX} are allowed.`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(command)) return `${what} contains a control character (a line break or tab?): give ${EXAMPLE}.`;
  if (command.startsWith('/')) {
    if (!PLAIN_PATH.test(command)) {
      const bad = [...command].find((c) => !/[A-Za-z0-9._+\-/@%=:,~]/.test(c)) ?? '';
      return `${what} "${short(command)}" is not a plain path: "${bad === ' ' ? 'a space' : bad}" is not allowed. Give the script's path alone, with no arguments, spaces or shell syntax.`;
    }
    if (command.endsWith('/')) return `${what} "${short(command)}" names a folder: give the path of the script itself.`;
    return null;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(command)?.[1]?.toLowerCase();
  if (scheme === 'http')
    return `${what} "${short(command)}" is plain http: the server would run as root whatever answered on the way. Use an https:// URL.`;
  if (scheme !== 'https') {
    return `${what} "${short(command)}" is neither an absolute path nor an https:// URL (a relative path would depend on the SSH user's home folder). Give ${EXAMPLE}.`;
  }
  if (URL_UNSAFE.test(command))
    return `${what} "${short(command)}" contains a space, quote or shell character a URL does not need: give the URL alone.`;
  let url: URL;
  try {
    url = new URL(command);
  } catch {
    return `${what} "${short(command)}" is not a valid URL.`;
  }
  if (url.hostname === '') return `${what} "${short(command)}" has no host name.`;
  if (url.username !== '' || url.password !== '') {
    return `${what} must not carry a user name or password: they would be kept in plain text in the fleet database and the actions log. Use a URL that needs none (a signed or private link).`;
  }
  return null;
}

/** The command, trimmed; refuses with `field` named when it is not a path or https URL. */
export function checkInstallCommand(value: string, field: string, what?: string): string {
  const problem = installCommandProblem(value, what);
  if (problem !== null) throw invalid(field, problem);
  return value.trim();
}

export function installCommandKind(command: string): InstallCommandKind {
  return command.startsWith('/') ? 'path' : 'https';
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
