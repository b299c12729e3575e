// `switchyard audit`: who did what, as the console's Audit screen lists it. The call goes through
// the host's dispatch, so the filter is checked by the contract; only the wording names flags.
import { parseArgs } from 'node:util';
import type { AuditEntry, AuditRetention } from '../contract/audit-methods';
import { invalid } from '../domain/errors';
import type { HostApp } from '../host/app';
import { call, type FlagNames } from './alert-commands';
import { usageOf } from './command-help';
import { EXIT_OK, UsageError, type Io } from './io';
import { joinRelativeTimes, localTime, parseTimeArg, zoneName } from './time-args';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const AUDIT_USAGE = usageOf('audit');

const FLAGS: FlagNames = { since: '--since', until: '--until', account: '--account', kind: '--kind', limit: '--limit' };

export async function auditCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinRelativeTimes(args, ['--since', '--until']),
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      since: { type: 'string' },
      until: { type: 'string' },
      account: { type: 'string' },
      kind: { type: 'string' },
      limit: { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(AUDIT_USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`audit: unexpected ${JSON.stringify(positionals.join(' '))}.`);
  if (values.json && values.csv) throw new UsageError('audit prints --json or --csv, not both.');
  const now = Date.now();
  const filter = {
    ...(values.since === undefined ? {} : { since: parseTimeArg('--since', values.since, now) }),
    ...(values.until === undefined ? {} : { until: parseTimeArg('--until', values.until, now) }),
    ...(values.account === undefined ? {} : { account: values.account }),
    ...(values.kind === undefined ? {} : { kind: values.kind }),
    limit: limitOf(values.limit),
  };
  const app = openApp();
  try {
    if (values.csv) {
      io.out((await call<{ text: string }>(app, 'audit:export', { format: 'csv', filter }, prefixed(FLAGS, 'filter'))).text);
      return EXIT_OK;
    }
    const listed = await call<{ entries: AuditEntry[]; total: number; retention: AuditRetention }>(app, 'audit:list', filter, FLAGS);
    io.out(values.json ? `${JSON.stringify(listed.entries, null, 2)}\n` : auditTable(listed.entries, listed.total, listed.retention));
    return EXIT_OK;
  } finally {
    await app.close();
  }
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return 500;
  if (!/^\d{1,6}$/.test(text.trim())) throw invalid('--limit', `--limit: "${text}" is not a number of lines (1 to 5000).`);
  return Number(text.trim());
}

/** The export nests the filter: `filter.account` is still `--account`. */
function prefixed(flags: FlagNames, prefix: string): FlagNames {
  return Object.fromEntries(Object.entries(flags).map(([field, flag]) => [`${prefix}.${field}`, flag]));
}

/** A name tried at sign-in is anyone's text: no control character reaches the terminal. */
const printable = (text: string): string =>
  [...text].map((c) => (c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f) ? '?' : c)).join('');

function auditTable(entries: AuditEntry[], total: number, retention: AuditRetention): string {
  if (entries.length === 0) return 'No audit lines match.\n';
  const head = ['TIME', 'KIND', 'ACCOUNT', 'FROM', 'WHAT'];
  const rows = entries.map((e) => [localTime(e.at), e.kind, e.account, e.address ?? '', e.detail].map(printable));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const text = [head, ...rows].map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}\n`).join('');
  const shown = total > entries.length ? `${entries.length} of ${total} line(s), the newest` : `${entries.length} line(s)`;
  return `${text}${shown}; times in ${zoneName()}; kept ${retention.days} days, at most ${retention.maxEntries} lines.\n`;
}
