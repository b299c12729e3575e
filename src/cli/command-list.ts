// The one list of `switchyard` commands. The global usage, `switchyard help COMMAND`,
// `COMMAND --help`, each command's own usage text and the bash and zsh completions
// (scripts/build-completions.ts) are all derived from it; a test walks every entry. A command
// missing here has no help and no completion, and command-list.test.ts fails until it is added.
import { CHARTED_KINDS, PROBE_KINDS } from '../contract/probe-kinds';
import { DEMO_COMMAND } from './demo-usage';
import { NAGIOS_DEFAULTS } from './nagios-output';

export interface CommandEntry {
  /** The words typed after `switchyard`: `fleet list`, `apiban allow add`. */
  readonly name: string;
  /** What follows the name, as the usage line shows it ('' for nothing). */
  readonly synopsis: string;
  /** What it does, in sentences; wrapped when printed. The first sentence is its one-line summary. */
  readonly description: string;
}

const DATA = '[--data DIR]';

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    synopsis:
      '[--data DIR] [--port N] [--read-only] [--snapshot FILE] [--metrics] [--token-file FILE] [--secrets-key FILE] [--listen ADDRESS:PORT --tls-cert FILE --tls-key FILE [--trust-proxy] [--public-name NAME]]',
    description:
      'Runs the console for a browser on 127.0.0.1 and probes the fleet. --read-only refuses every change (a wall display); --snapshot opens a saved snapshot instead of the live fleet; --metrics serves /metrics for Prometheus. --listen serves the team over HTTPS with accounts (or team.json in the data folder; see docs/team-host.md); --trust-proxy believes X-Forwarded-* from a reverse proxy; --public-name adds a name the host answers to.',
  },
  DEMO_COMMAND,
  { name: 'fleet list', synopsis: `[--json] ${DATA}`, description: 'Lists the fleet servers as a table, or as JSON.' },
  {
    name: 'fleet import',
    synopsis: `FILE ${DATA}`,
    description: 'Imports servers from a JSON or CSV file (by extension); all or nothing.',
  },
  {
    name: 'fleet export',
    synopsis: `--format json|csv [--out FILE] ${DATA}`,
    description: 'Writes the fleet as JSON or CSV, to stdout or FILE.',
  },
  {
    name: 'ping',
    synopsis: `TARGET [--count N] [--interval S] [--from SERVER] [--json]`,
    description:
      'Pings TARGET from this workstation, or from a fleet server over SSH with --from. TARGET is a host name or an IPv4/IPv6 address; SERVER the IP or alias of a fleet server.',
  },
  {
    name: 'mtr',
    synopsis: `TARGET [--count N] [--max-hops N] [--from SERVER] [--json]`,
    description:
      'Traces the path to TARGET with mtr, from this workstation or from a fleet server with --from. TARGET is a host name or an IPv4/IPv6 address; SERVER the IP or alias of a fleet server.',
  },
  {
    name: 'parse',
    synopsis: 'ping|mtr|sip|auto FILE|- [--json]',
    description:
      'Reads ping, mtr or SIP text from FILE (or stdin for -), in UTF-8 or a Windows code page, with the parsers the console uses.',
  },
  {
    name: 'snapshot save',
    synopsis: `FILE [--note TEXT] [--rollups-only] ${DATA}`,
    description:
      'Saves a consistent copy of the fleet database to FILE; secrets are never included. --rollups-only leaves raw samples out (minute and hour rollups only): a much smaller file.',
  },
  { name: 'snapshot info', synopsis: 'FILE [--json]', description: 'Shows what a snapshot file holds and when it was taken.' },
  {
    name: 'snapshot diff',
    synopsis: 'A B [--json]',
    description: 'Shows what changed between snapshots A and B; B may be --live: the fleet in --data DIR.',
  },
  {
    name: 'probe',
    synopsis:
      'sip|icmp|tcp TARGET[:PORT] [--transport udp|tcp|tls] [--count N] [--interval S] [--deadline MS] [--tls-pin SHA256] [--json] [--nagios [--warning MS] [--critical MS] [--warning-loss PCT] [--critical-loss PCT]]',
    description: `SIP OPTIONS (UDP by default; port 5060, 5061 for TLS), ICMP echo (fping or ping), or a TCP connect (port 5060). Exit 0 when any probe answered, 1 when none did, 2 on bad input. --nagios prints one Nagios plugin line with perfdata (for Nagios, Icinga, Zabbix) and exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN: WARNING when the average round trip exceeds --warning MS (default ${NAGIOS_DEFAULTS.warningMs}), the loss exceeds --warning-loss PCT (default ${NAGIOS_DEFAULTS.warningLossPct}) or a SIP answer is 5xx; CRITICAL above --critical MS (default ${NAGIOS_DEFAULTS.criticalMs}) or --critical-loss PCT (default ${NAGIOS_DEFAULTS.criticalLossPct}), and when nothing answered.`,
  },
  {
    name: 'advise',
    synopsis: `[--json] ${DATA}`,
    description: 'Checks the fleet against the platform rules and says what to fix. Exit 1 when any finding is an error.',
  },
  {
    name: 'limits',
    synopsis: `[--cps N] [--channels N] [--json] ${DATA}`,
    description:
      'Shows the CPS and channels a customer with this allowance gets through each server and cluster, and through the whole fleet (defaults: 10 CPS, 100 channels).',
  },
  {
    name: 'alerts',
    synopsis: `[--all] [--json|--csv] ${DATA}`,
    description: 'Lists open alerts, newest first; --all shows resolved ones too.',
  },
  {
    name: 'silence',
    synopsis: `SERVER|--cluster NAME|--zone NAME --for DURATION|--until TIME --reason TEXT [--json] ${DATA}`,
    description:
      "Holds the alerts' notifications: SERVER is an alias or IP, NAME a cluster or zone name; DURATION like 30m, 1h, 2d, 1h30m; TIME ISO 8601 (local time unless a zone is given) or +2h.",
  },
  {
    name: 'silence list',
    synopsis: `[--all] [--json] ${DATA}`,
    description: 'Lists active and future silences; --all shows ended ones too.',
  },
  { name: 'silence end', synopsis: `ID [--json] ${DATA}`, description: 'Ends a silence now.' },
  {
    name: 'monitor series',
    synopsis: `SERVER [--kind KIND] [--from TIME] [--to TIME] [--source NAME] [--json|--csv] ${DATA}`,
    description: `Prints a server's stored probe samples. NAME: local (this workstation, the default) or the vantage server that measured (alias or IP); KIND: ${PROBE_KINDS.join(', ')} (repeat it or comma-separate; default ${CHARTED_KINDS.join(',')}); TIME: ISO 8601 (local time unless a zone is given) or relative: -1h, -30m, now (default: the last hour).`,
  },
  {
    name: 'monitor events',
    synopsis: `[--server SERVER] [--limit N] [--json|--csv] ${DATA}`,
    description: 'Prints the status changes, newest first.',
  },
  {
    name: 'apiban status',
    synopsis: `[--json] [--secrets-key FILE] ${DATA}`,
    description:
      'Shows the banned list, the schedule (last and next sync), what the last sync dropped, and what each server was given (also what `switchyard apiban` alone shows); --secrets-key (as given to serve) to see whether a key is set.',
  },
  { name: 'apiban sync', synopsis: `--secrets-key FILE [--json] ${DATA}`, description: 'Syncs the banned list now, as "Sync now" does.' },
  {
    name: 'apiban schedule',
    synopsis: `[--on|--off] [--every DURATION] [--apply-to SERVER,…|none] [--method ipset|nftables] [--json] ${DATA}`,
    description:
      'Shows or changes the sync schedule. DURATION from 1m to 7d, like 30m or 1h; SERVER an alias or IP; the running host follows within a minute.',
  },
  {
    name: 'apiban allow list',
    synopsis: `[--json] ${DATA}`,
    description: 'Lists the addresses never banned (also what `switchyard apiban allow` alone shows).',
  },
  {
    name: 'apiban allow add',
    synopsis: `ADDRESS|CIDR [--note TEXT] [--json] ${DATA}`,
    description: 'Never bans ADDRESS or CIDR; covered addresses leave the banned list.',
  },
  { name: 'apiban allow remove', synopsis: `ADDRESS|CIDR ${DATA}`, description: 'Removes an address from the allow list.' },
  {
    name: 'certs status',
    synopsis: `[SERVER] [--json] ${DATA}`,
    description: 'Shows the last certificate install and TLS check per server.',
  },
  {
    name: 'certs check',
    synopsis: `SERVER [--json] ${DATA}`,
    description: 'Runs a TLS handshake per SIP domain now; exit 1 when one is wrong.',
  },
  {
    name: 'certs install',
    synopsis: `SERVER --secrets-key FILE [--json] ${DATA}`,
    description: 'Installs the assigned certificates again, then checks them.',
  },
  {
    name: 'acme request',
    synopsis: `SERVER [--challenge http-01|dns-01] [--domain NAME] --secrets-key FILE [--json] ${DATA}`,
    description: "Requests a certificate for a server's SIP domain from its ACME directory and installs it.",
  },
  {
    name: 'media-path',
    synopsis: `--customer ADDR (--carrier ADDR | --server NAME) [--server NAME] [--json] ${DATA}`,
    description:
      "Pings both ends from every RTP server over SSH and ranks the media zones by the latency they add. NAME is a fleet server's alias or IP: the server the media zone is for (and the carrier's end when --carrier is left out). Exit 1 when no zone could be measured.",
  },
  { name: 'media-zone', synopsis: `SERVER [ZONE|auto] ${DATA}`, description: "Shows or sets a server's media zone." },
  {
    name: 'media-ssh',
    synopsis: `[--user U] [--port N] [--key FILE | --agent] [--jump HOST] ${DATA}`,
    description: 'Shows or sets how RTP servers are reached over SSH (unset fields come from ~/.ssh/config).',
  },
  {
    name: 'registrations',
    synopsis: `SERVER [--user NAME] [--json] ${DATA}`,
    description: 'Lists the contacts registered on a server and their keepalives; with --user, exit 1 when that user is not registered.',
  },
  {
    name: 'uac',
    synopsis: `SERVER [--json] ${DATA}`,
    description: "Reads a server's upstream registrations live; exit 1 when one is not registered.",
  },
  {
    name: 'vantage status',
    synopsis: `[--json] ${DATA}`,
    description: "Shows each vantage server's stream and its targets' last samples.",
  },
  {
    name: 'vantage set',
    synopsis: `[--on|--off] [--sources dispatchers|SERVER,SERVER…] [--interval SECONDS] [--switches yes|no] [--rtp yes|no] [--add-target ADDRESS=LABEL]… [--remove-target ADDRESS]… ${DATA}`,
    description: 'Changes which servers probe from their own vantage point, how often, and what they probe.',
  },
  {
    name: 'audit',
    synopsis: `[--json|--csv] [--since TIME] [--until TIME] [--account NAME] [--kind KIND] [--limit N] ${DATA}`,
    description:
      'Lists who did what, newest first: sign-ins, account changes, action runs, silences, acknowledgements, setting changes, imports and every other change, with the account and the address it came from. TIME: ISO 8601 (local time unless a zone is given) or relative: -1h, -2d, now.',
  },
  {
    name: 'user add',
    synopsis: `NAME --role viewer|operator|admin [--password-stdin] ${DATA}`,
    description:
      'Adds an account to this host (team mode signs in with it). The password is asked for without echo at a terminal, or read from standard input with --password-stdin; at least 12 characters. Viewer sees everything and changes nothing; operator also acknowledges and silences alerts, runs tools and server actions; admin also manages the fleet, settings, recipes and accounts.',
  },
  {
    name: 'user list',
    synopsis: `[--json] ${DATA}`,
    description: 'Lists the accounts with their role, state, and when each was created and last changed.',
  },
  {
    name: 'user disable',
    synopsis: `NAME ${DATA}`,
    description: 'Stops NAME from signing in and ends its sessions; the last active admin cannot be disabled.',
  },
  { name: 'user enable', synopsis: `NAME ${DATA}`, description: 'Lets a disabled account sign in again.' },
  {
    name: 'user reset',
    synopsis: `NAME [--password-stdin] ${DATA}`,
    description: "Sets a new password for NAME (asked for as `user add` does) and ends the account's sessions.",
  },
  {
    name: 'user role',
    synopsis: `NAME viewer|operator|admin ${DATA}`,
    description: "Changes NAME's role and ends its sessions; the last active admin cannot be demoted.",
  },
  { name: 'help', synopsis: '[COMMAND]', description: 'Prints the usage of every command, or of COMMAND (as `COMMAND --help` does).' },
];
