import { parseArgs } from 'node:util';
import type { Finding, LimitsReport } from '../contract/platform-methods';
import type { HostApp } from '../host/app';
import { EXIT_FAILURE, EXIT_OK, reportFailure, UsageError, type Io } from './io';
import { usageOf } from './command-help';

/** From the one command list (command-list.ts), as `switchyard help` shows it. */
export const PLATFORM_USAGE = usageOf('advise', 'limits');

/** The reference's example customer: 10 CPS; channels default to a modest 100. */
const DEFAULT_ALLOWANCE = { cps: 10, channels: 100 };

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1)
    throw new UsageError(`--${name} must be a whole number of at least 1, not "${text}".`);
  return value;
}

export async function adviseCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, data: { type: 'string' } } });
  const app = openApp();
  try {
    const result = await app.dispatch('platform:advise', {});
    if (!result.ok) return reportFailure(result, io);
    const findings = result.data as Finding[];
    if (values.json) {
      const out = findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        servers: f.servers.map((s) => s.ip),
        message: f.message,
        fix: f.fix,
        why: f.why,
        field: f.field,
      }));
      io.out(`${JSON.stringify(out, null, 2)}\n`);
    } else if (findings.length === 0) {
      io.out('No findings: the fleet follows every platform rule the advisor checks.\n');
    } else {
      for (const f of findings) {
        io.out(
          `${f.severity.toUpperCase().padEnd(7)} ${f.rule}  [${f.servers.map((s) => s.ip).join(', ')}]\n  ${f.message}\n  fix: ${f.fix}\n`,
        );
      }
      const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
      io.out(`\n${findings.length} finding(s): ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s).\n`);
    }
    return findings.some((f) => f.severity === 'error') ? EXIT_FAILURE : EXIT_OK;
  } finally {
    await app.close();
  }
}

export async function limitsCommand(args: string[], openApp: () => HostApp, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, data: { type: 'string' }, cps: { type: 'string' }, channels: { type: 'string' } },
  });
  const allowance = {
    cps: positive('cps', values.cps, DEFAULT_ALLOWANCE.cps),
    channels: positive('channels', values.channels, DEFAULT_ALLOWANCE.channels),
  };
  const app = openApp();
  try {
    const result = await app.dispatch('platform:limits', allowance);
    if (!result.ok) return reportFailure(result, io);
    const report = result.data as LimitsReport;
    if (values.json) {
      io.out(`${JSON.stringify(report, null, 2)}\n`);
      return EXIT_OK;
    }
    io.out(`A customer allowed ${allowance.cps} CPS and ${allowance.channels} channels gets:\n\n`);
    const rows = report.groups.map((g) => [
      g.kind === 'cluster' ? `cluster ${g.name}` : `server ${g.name}`,
      g.servers.map((s) => s.ip).join(' '),
      String(g.effectiveCps),
      String(g.effectiveChannels),
    ]);
    const head = ['GROUP', 'SERVERS', 'CPS', 'CHANNELS'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [head, ...rows]) io.out(`${r.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}\n`);
    io.out(`\nThrough the whole fleet: ${report.totalCps} CPS and ${report.totalChannels} channels`);
    io.out(
      report.exceedsAllowance
        ? ` — ${report.cpsMultiplier.toFixed(2).replace(/\.00$/, '')}× the allowed CPS: unclustered servers multiply the limit.\n`
        : '.\n',
    );
    return EXIT_OK;
  } finally {
    await app.close();
  }
}
