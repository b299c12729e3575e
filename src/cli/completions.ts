// The bash and zsh completion scripts, generated from the one command list (command-list.ts):
// the subcommands after each command path, the options its synopsis names, and how an option's
// value completes, read from the synopsis too (`--data DIR`: folders; `FILE`: files; `json|csv`:
// those words). scripts/build-completions.ts writes them to resources/completions/; a test checks
// the files there equal what this makes, so a command added to the list cannot be left out.
import { COMMANDS, type CommandEntry } from './command-list';

export const COMPLETION_FILES = { bash: 'resources/completions/switchyard.bash', zsh: 'resources/completions/_switchyard' } as const;

type ValueKind = { kind: 'dir' } | { kind: 'file' } | { kind: 'words'; words: string[] } | { kind: 'value' };

interface PathWords {
  subs: string[];
  opts: string[];
  /** Words for the first argument after the path (`probe sip|icmp|tcp`). */
  args: string[];
}

/** A lowercase alternation such as json|csv, yes|no, sip|icmp|tcp: words to offer; anything else (N, SERVER) none. */
function alternatives(token: string): string[] | null {
  const words = token.split('|');
  return words.length > 1 && words.every((w) => /^[a-z0-9][a-z0-9.-]*$/.test(w)) ? words : null;
}

/** Every `--option` in a synopsis with what follows it: a value token, or nothing for a switch. */
function optionsOf(synopsis: string): Map<string, ValueKind | null> {
  const found = new Map<string, ValueKind | null>();
  for (const m of synopsis.matchAll(/(--[a-z][a-z0-9-]*)( ([^\s[\]()|-][^\s[\]()|]*(?:\|[^\s[\]()|-][^\s[\]()|]*)*))?/g)) {
    const [, name, , value] = m;
    if (name === undefined) continue;
    let kind: ValueKind | null = null;
    if (value !== undefined) {
      const words = alternatives(value);
      kind = value === 'DIR' ? { kind: 'dir' } : value === 'FILE' ? { kind: 'file' } : words ? { kind: 'words', words } : { kind: 'value' };
    }
    if (!found.has(name) || kind !== null) found.set(name, kind);
  }
  return found;
}

function pathWords(path: string): PathWords {
  const prefix = path === '' ? '' : `${path} `;
  const subs = [
    ...new Set(
      COMMANDS.filter((e) => e.name.startsWith(prefix) && e.name !== path).map((e) => e.name.slice(prefix.length).split(' ')[0] ?? ''),
    ),
  ];
  const entry: CommandEntry | undefined = COMMANDS.find((e) => e.name === path);
  const opts = path === '' ? ['--help', '--version'] : [...optionsOf(entry?.synopsis ?? '').keys(), '--help'];
  const first = entry?.synopsis.split(' ')[0] ?? '';
  return { subs, opts: [...new Set(opts)], args: first.startsWith('-') ? [] : (alternatives(first) ?? []) };
}

function allPaths(): string[] {
  const paths = new Set<string>(['']);
  for (const e of COMMANDS) {
    const words = e.name.split(' ');
    for (let i = 1; i <= words.length; i += 1) paths.add(words.slice(0, i).join(' '));
  }
  return [...paths];
}

/** How each option's value completes, across all commands (an option means one thing everywhere). */
function valueKinds(): Map<string, ValueKind> {
  const kinds = new Map<string, ValueKind>();
  for (const e of COMMANDS) {
    for (const [name, kind] of optionsOf(e.synopsis)) {
      const seen = kinds.get(name);
      if (kind !== null && (seen === undefined || seen.kind === 'value')) kinds.set(name, kind);
    }
  }
  return kinds;
}

const GENERATED = 'Generated from src/cli/command-list.ts by `npm run build:completions`: edit the list, not this file.';

/** The two shell functions both scripts share, in the syntax bash and zsh both read. */
function sharedFunctions(): string {
  const cases = allPaths()
    .map((p) => {
      const w = pathWords(p);
      return `    ${JSON.stringify(p)}) subs=${JSON.stringify(w.subs.join(' '))}; opts=${JSON.stringify(w.opts.join(' '))}; args=${JSON.stringify(w.args.join(' '))} ;;\n`;
    })
    .join('');
  const values = [...valueKinds()]
    .map(([name, k]) => `    ${name}) kind=${JSON.stringify(k.kind === 'words' ? `words ${k.words.join(' ')}` : k.kind)} ;;\n`)
    .join('');
  return `# Sets subs, opts and args for a command path ("" before any command).
_switchyard_words() {
  subs=""; opts=""; args=""
  case "$1" in
${cases}  esac
}

# Sets kind to how the value after option $1 completes: dir, file, "words …", value, or "" for a switch.
_switchyard_value() {
  kind=""
  case "$1" in
${values}  esac
}
`;
}

/** The loop that reads the words typed so far, in the syntax bash and zsh both read. FIRST is the index of the first word after `switchyard`. */
function scanLoop(words: string, first: number, count: string): string {
  return `  _switchyard_words ""
  for (( i = ${first}; i < ${count}; i++ )); do
    w="\${${words}[i]}"
    if (( skip )); then skip=0; continue; fi
    if [[ $w == -* ]]; then
      _switchyard_value "$w"
      [[ -n $kind && $w != *=* ]] && skip=1
    elif (( positional == 0 )) && [[ " $subs " == *" $w "* ]]; then
      cmdpath="\${cmdpath:+$cmdpath }$w"
      _switchyard_words "$cmdpath"
    else
      positional=$(( positional + 1 ))
    fi
  done
  _switchyard_value "$prev"
`;
}

export function bashCompletion(): string {
  return `# bash completion for switchyard. ${GENERATED}
# Install: source it from ~/.bashrc, or copy it to /usr/share/bash-completion/completions/switchyard.

${sharedFunctions()}
_switchyard() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmdpath="" subs opts args kind w i positional=0 skip=0
${scanLoop('COMP_WORDS', 1, 'COMP_CWORD')}  case "$kind" in
    dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    words\\ *) COMPREPLY=($(compgen -W "\${kind#words }" -- "$cur")); return ;;
    value) COMPREPLY=(); return ;;
  esac
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi
  if [[ -n $subs ]]; then COMPREPLY=($(compgen -W "$subs" -- "$cur")); return; fi
  if (( positional == 0 )) && [[ -n $args ]]; then COMPREPLY=($(compgen -W "$args" -- "$cur")); return; fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _switchyard switchyard
`;
}

export function zshCompletion(): string {
  return `#compdef switchyard
# zsh completion for switchyard. ${GENERATED}
# Install: copy it into a folder on $fpath (e.g. /usr/share/zsh/vendor-completions/) as _switchyard.

${sharedFunctions()}
_switchyard() {
  # zsh's $path is tied to $PATH: the command path is cmdpath in both scripts.
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  local cmdpath="" subs opts args kind w i positional=0 skip=0
${scanLoop('words', 2, 'CURRENT')}  case "$kind" in
    dir) _directories; return ;;
    file) _files; return ;;
    words\\ *) compadd -- \${=kind#words }; return ;;
    value) return 1 ;;
  esac
  if [[ $cur == -* ]]; then compadd -- \${=opts}; return; fi
  if [[ -n $subs ]]; then compadd -- \${=subs}; return; fi
  if (( positional == 0 )) && [[ -n $args ]]; then compadd -- \${=args}; return; fi
  _files
}

_switchyard "$@"
`;
}
