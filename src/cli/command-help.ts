// Help text, all of it derived from the one command list (command-list.ts): the global usage,
// `switchyard help COMMAND`, `COMMAND --help` for every command and subcommand, and the usage a
// command prints beside a usage error.
import { readFileSync } from 'node:fs';
import { COMMANDS, type CommandEntry } from './command-list';

const WIDTH = 100;
const HEADER = 'Switchyard — network-operations console for a fleet of SIP servers';

/** The entry named `path` ('fleet list') and every entry under it ('fleet' gives list, import, export). */
export function entriesUnder(path: string): CommandEntry[] {
  return COMMANDS.filter((e) => e.name === path || e.name.startsWith(`${path} `));
}

/** The top-level command words: `serve`, `fleet`, `apiban`, … in list order. */
export function topLevelCommands(): string[] {
  return [...new Set(COMMANDS.map((e) => e.name.split(' ')[0] ?? ''))];
}

/** The longest run of leading words that names a command or a group of them; null when even the first does not. */
export function commandPathOf(words: readonly string[]): string | null {
  let found: string | null = null;
  for (let i = 1; i <= words.length; i += 1) {
    const path = words.slice(0, i).join(' ');
    if (entriesUnder(path).length === 0) break;
    found = path;
  }
  return found;
}

function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => `${indent}${l}\n`).join('');
}

export function usageLine(e: CommandEntry): string {
  return `switchyard ${e.name}${e.synopsis === '' ? '' : ` ${e.synopsis}`}`;
}

/** `Usage:` and each entry under the paths with its description: what `PATH --help` prints. */
export function usageOf(...paths: string[]): string {
  const entries = paths.flatMap((path) => {
    const under = entriesUnder(path);
    if (under.length === 0) throw new Error(`No command "${path}" in the command list.`);
    return under;
  });
  return `Usage:\n${entries.map((e) => `  ${usageLine(e)}\n${wrap(e.description, '      ')}`).join('')}`;
}

/** The command a misused argv names, by its leading words (`monitor series --kind x` gives `monitor series`). */
export function misusedCommandOf(argv: readonly string[]): string | null {
  const firstOption = argv.findIndex((a) => a.startsWith('-'));
  return commandPathOf(firstOption < 0 ? argv : argv.slice(0, firstOption));
}

/** Every command on one line each: what `switchyard help` (and `switchyard` alone) prints. */
export function globalUsage(defaultDataDir: string): string {
  const lines = COMMANDS.map((e) => `  ${usageLine(e)}\n`).join('');
  return `${HEADER}\n\nUsage:\n${lines}  switchyard --version\n\n\`switchyard help COMMAND\` (or \`switchyard COMMAND --help\`) says what a command does.\n--data DIR selects the database folder (default: ${defaultDataDir}).\n`;
}

/** `switchyard X.Y.Z`, from package.json (two folders up from src/cli and from the bundle in out/cli alike). */
export function versionLine(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `switchyard ${pkg.version}\n`;
}

export type HelpRequest = { kind: 'global' } | { kind: 'command'; path: string } | { kind: 'unknown'; words: string };

/**
 * What help argv asks for, or null when it asks for none: `help [WORDS…]`, or `WORDS… --help|-h`
 * anywhere before a `--`. With --help the leading words choose the command (`silence SERVER
 * --help` is silence's help); after `help` every word must name one.
 */
export function helpRequest(argv: readonly string[]): HelpRequest | null {
  if (argv[0] === 'help') {
    const words = argv.slice(1).filter((w) => w !== '--help' && w !== '-h');
    if (words.length === 0) return argv.length > 1 ? { kind: 'command', path: 'help' } : { kind: 'global' };
    const path = commandPathOf(words);
    return path !== null && path === words.join(' ') ? { kind: 'command', path } : { kind: 'unknown', words: words.join(' ') };
  }
  const end = argv.indexOf('--');
  const before = end < 0 ? argv : argv.slice(0, end);
  if (!before.includes('--help') && !before.includes('-h')) return null;
  const firstOption = before.findIndex((a) => a.startsWith('-'));
  const words = before.slice(0, firstOption);
  if (words.length === 0) return { kind: 'global' };
  const path = commandPathOf(words);
  return path === null ? { kind: 'unknown', words: words[0] ?? '' } : { kind: 'command', path };
}

/** The one line for a command not in the list. */
export function unknownCommandLine(words: string): string {
  return `switchyard: unknown command "${words}"; see \`switchyard help\`.\n`;
}
