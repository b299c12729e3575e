# bash completion for switchyard. Generated from src/cli/command-list.ts by `npm run build:completions`: edit the list, not this file.
# Install: source it from ~/.bashrc, or copy it to /usr/share/bash-completion/completions/switchyard.

# Sets subs, opts and args for a command path ("" before any command).
_switchyard_words() {
  subs=""; opts=""; args=""
  case "$1" in
    "") subs="serve demo fleet ping mtr parse snapshot probe advise limits alerts silence monitor apiban certs acme media-path media-zone media-ssh registrations uac vantage audit user help"; opts="--help --version"; args="" ;;
    "serve") subs=""; opts="--data --port --read-only --snapshot --metrics --token-file --secrets-key --listen --tls-cert --tls-key --trust-proxy --public-name --help"; args="" ;;
    "demo") subs=""; opts="--port --data --help"; args="" ;;
    "fleet") subs="list import export"; opts="--help"; args="" ;;
    "fleet list") subs=""; opts="--json --data --help"; args="" ;;
    "fleet import") subs=""; opts="--data --help"; args="" ;;
    "fleet export") subs=""; opts="--format --out --data --help"; args="" ;;
    "ping") subs=""; opts="--count --interval --from --json --help"; args="" ;;
    "mtr") subs=""; opts="--count --max-hops --from --json --help"; args="" ;;
    "parse") subs=""; opts="--json --help"; args="ping mtr sip auto" ;;
    "snapshot") subs="save info diff"; opts="--help"; args="" ;;
    "snapshot save") subs=""; opts="--note --rollups-only --data --help"; args="" ;;
    "snapshot info") subs=""; opts="--json --help"; args="" ;;
    "snapshot diff") subs=""; opts="--json --help"; args="" ;;
    "probe") subs=""; opts="--transport --count --interval --deadline --tls-pin --json --nagios --warning --critical --warning-loss --critical-loss --help"; args="sip icmp tcp" ;;
    "advise") subs=""; opts="--json --data --help"; args="" ;;
    "limits") subs=""; opts="--cps --channels --json --data --help"; args="" ;;
    "alerts") subs=""; opts="--all --json --csv --data --help"; args="" ;;
    "silence") subs="list end"; opts="--cluster --zone --for --until --reason --json --data --help"; args="" ;;
    "silence list") subs=""; opts="--all --json --data --help"; args="" ;;
    "silence end") subs=""; opts="--json --data --help"; args="" ;;
    "monitor") subs="series events"; opts="--help"; args="" ;;
    "monitor series") subs=""; opts="--kind --from --to --source --json --csv --data --help"; args="" ;;
    "monitor events") subs=""; opts="--server --limit --json --csv --data --help"; args="" ;;
    "apiban") subs="status sync schedule allow"; opts="--help"; args="" ;;
    "apiban status") subs=""; opts="--json --secrets-key --data --help"; args="" ;;
    "apiban sync") subs=""; opts="--secrets-key --json --data --help"; args="" ;;
    "apiban schedule") subs=""; opts="--on --off --every --apply-to --method --json --data --help"; args="" ;;
    "apiban allow") subs="list add remove"; opts="--help"; args="" ;;
    "apiban allow list") subs=""; opts="--json --data --help"; args="" ;;
    "apiban allow add") subs=""; opts="--note --json --data --help"; args="" ;;
    "apiban allow remove") subs=""; opts="--data --help"; args="" ;;
    "certs") subs="status check install"; opts="--help"; args="" ;;
    "certs status") subs=""; opts="--json --data --help"; args="" ;;
    "certs check") subs=""; opts="--json --data --help"; args="" ;;
    "certs install") subs=""; opts="--secrets-key --json --data --help"; args="" ;;
    "acme") subs="request"; opts="--help"; args="" ;;
    "acme request") subs=""; opts="--challenge --domain --secrets-key --json --data --help"; args="" ;;
    "media-path") subs=""; opts="--customer --carrier --server --json --data --help"; args="" ;;
    "media-zone") subs=""; opts="--data --help"; args="" ;;
    "media-ssh") subs=""; opts="--user --port --key --agent --jump --data --help"; args="" ;;
    "registrations") subs=""; opts="--user --json --data --help"; args="" ;;
    "uac") subs=""; opts="--json --data --help"; args="" ;;
    "vantage") subs="status set"; opts="--help"; args="" ;;
    "vantage status") subs=""; opts="--json --data --help"; args="" ;;
    "vantage set") subs=""; opts="--on --off --sources --interval --switches --rtp --add-target --remove-target --data --help"; args="" ;;
    "audit") subs=""; opts="--json --csv --since --until --account --kind --limit --data --help"; args="" ;;
    "user") subs="add list disable enable reset role"; opts="--help"; args="" ;;
    "user add") subs=""; opts="--role --password-stdin --data --help"; args="" ;;
    "user list") subs=""; opts="--json --data --help"; args="" ;;
    "user disable") subs=""; opts="--data --help"; args="" ;;
    "user enable") subs=""; opts="--data --help"; args="" ;;
    "user reset") subs=""; opts="--password-stdin --data --help"; args="" ;;
    "user role") subs=""; opts="--data --help"; args="" ;;
    "help") subs=""; opts="--help"; args="" ;;
  esac
}

# Sets kind to how the value after option $1 completes: dir, file, "words …", value, or "" for a switch.
_switchyard_value() {
  kind=""
  case "$1" in
    --data) kind="dir" ;;
    --port) kind="value" ;;
    --snapshot) kind="file" ;;
    --token-file) kind="file" ;;
    --secrets-key) kind="file" ;;
    --listen) kind="value" ;;
    --tls-cert) kind="file" ;;
    --tls-key) kind="file" ;;
    --public-name) kind="value" ;;
    --format) kind="words json csv" ;;
    --out) kind="file" ;;
    --count) kind="value" ;;
    --interval) kind="value" ;;
    --from) kind="value" ;;
    --max-hops) kind="value" ;;
    --note) kind="value" ;;
    --transport) kind="words udp tcp tls" ;;
    --deadline) kind="value" ;;
    --tls-pin) kind="value" ;;
    --warning) kind="value" ;;
    --critical) kind="value" ;;
    --warning-loss) kind="value" ;;
    --critical-loss) kind="value" ;;
    --cps) kind="value" ;;
    --channels) kind="value" ;;
    --cluster) kind="value" ;;
    --zone) kind="value" ;;
    --for) kind="value" ;;
    --until) kind="value" ;;
    --reason) kind="value" ;;
    --kind) kind="value" ;;
    --to) kind="value" ;;
    --source) kind="value" ;;
    --server) kind="value" ;;
    --limit) kind="value" ;;
    --every) kind="value" ;;
    --apply-to) kind="value" ;;
    --method) kind="words ipset nftables" ;;
    --challenge) kind="words http-01 dns-01" ;;
    --domain) kind="value" ;;
    --customer) kind="value" ;;
    --carrier) kind="value" ;;
    --user) kind="value" ;;
    --key) kind="file" ;;
    --jump) kind="value" ;;
    --sources) kind="value" ;;
    --switches) kind="words yes no" ;;
    --rtp) kind="words yes no" ;;
    --add-target) kind="value" ;;
    --remove-target) kind="value" ;;
    --since) kind="value" ;;
    --account) kind="value" ;;
    --role) kind="words viewer operator admin" ;;
  esac
}

_switchyard() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
  local cmdpath="" subs opts args kind w i positional=0 skip=0
  _switchyard_words ""
  for (( i = 1; i < COMP_CWORD; i++ )); do
    w="${COMP_WORDS[i]}"
    if (( skip )); then skip=0; continue; fi
    if [[ $w == -* ]]; then
      _switchyard_value "$w"
      [[ -n $kind && $w != *=* ]] && skip=1
    elif (( positional == 0 )) && [[ " $subs " == *" $w "* ]]; then
      cmdpath="${cmdpath:+$cmdpath }$w"
      _switchyard_words "$cmdpath"
    else
      positional=$(( positional + 1 ))
    fi
  done
  _switchyard_value "$prev"
  case "$kind" in
    dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    words\ *) COMPREPLY=($(compgen -W "${kind#words }" -- "$cur")); return ;;
    value) COMPREPLY=(); return ;;
  esac
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi
  if [[ -n $subs ]]; then COMPREPLY=($(compgen -W "$subs" -- "$cur")); return; fi
  if (( positional == 0 )) && [[ -n $args ]]; then COMPREPLY=($(compgen -W "$args" -- "$cur")); return; fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _switchyard switchyard
