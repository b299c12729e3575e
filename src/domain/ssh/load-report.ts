import { z } from 'zod';

// What the `load` probe prints, one JSON object on stdout. Parsed strictly: a server that prints
// something else (a login banner, a half-written line) is reported, not charted as zeros.
//
// Calls come from Kamailio's own statistics (see the load recipe): `calls` when they could be
// read, else `callsError` saying why. A recipe book written before calls were read prints only
// `channels` (active calls or null) and still parses.

const Count = z.number().int().nonnegative();

export const CallsErrorCode = z.enum(['kamcmd-missing', 'ctl-unreachable', 'ctl-timeout', 'no-dialog-module', 'rpc-error', 'unreadable']);
export type CallsErrorCode = z.infer<typeof CallsErrorCode>;

export const LoadReport = z.strictObject({
  load: z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()]),
  memory: z.strictObject({ totalKb: Count, availableKb: Count.nullable() }),
  uptimeSec: z.number().nonnegative(),
  /** Active calls, as recipe books before `calls` reported them; null when not known. */
  channels: Count.nullable().optional(),
  /** Upgradable packages; null when the package manager could not be asked. */
  pendingUpdates: Count.nullable(),
  calls: z
    .strictObject({
      active: Count,
      early: Count,
      processed: Count,
      clockSec: z.number().nonnegative(),
      kamailioUptimeSec: Count.nullable(),
    })
    .nullable()
    .optional(),
  /** Why calls could not be read; `detail` is what kamcmd said, reduced to plain characters. */
  callsError: z
    .strictObject({ code: CallsErrorCode, detail: z.string().max(400) })
    .nullable()
    .optional(),
});
export type LoadReport = z.infer<typeof LoadReport>;

export function parseLoadReport(stdout: string): { ok: true; report: LoadReport } | { ok: false; message: string } {
  const line = stdout.trim().split(/\r?\n/).pop() ?? '';
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, message: `The load probe did not print JSON: ${JSON.stringify(line.slice(0, 200))}` };
  }
  const parsed = LoadReport.safeParse(json);
  if (!parsed.success)
    return { ok: false, message: `The load probe printed an unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, report: parsed.data };
}

/** Why calls were not read, in words (the server is named by the caller). */
export function callsErrorText(error: { code: CallsErrorCode; detail: string }): string {
  const said = error.detail.trim() === '' ? '' : ` (kamcmd said: ${error.detail.trim()})`;
  switch (error.code) {
    case 'kamcmd-missing':
      return "kamcmd is not installed, or not on the SSH user's PATH, so Kamailio's call counters cannot be asked.";
    case 'ctl-unreachable':
      return `kamcmd could not reach Kamailio's control socket: is Kamailio running, with the ctl module, on the socket the load recipe names${said}?`;
    case 'ctl-timeout':
      return "kamcmd got no answer from Kamailio's control socket within 5 s.";
    case 'no-dialog-module':
      return 'Kamailio has no dialog statistics: the dialog module is not loaded, so it does not count calls.';
    case 'rpc-error':
      return `Kamailio refused the statistics request${said}; the kex module provides stats.get_statistics.`;
    case 'unreadable':
      return `Kamailio's dialog statistics could not be read${said}.`;
  }
}
