import { z } from 'zod';

// What the `load` probe prints, one JSON object on stdout. Parsed strictly: a server that prints
// something else (a login banner, a half-written line) is reported, not charted as zeros.

const Count = z.number().int().nonnegative();

export const LoadReport = z.strictObject({
  load: z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()]),
  memory: z.strictObject({ totalKb: Count, availableKb: Count.nullable() }),
  uptimeSec: z.number().nonnegative(),
  /** Active calls from the SIP server's own counter; null when it has none or is not running. */
  channels: Count.nullable(),
  /** Upgradable packages; null when the package manager could not be asked. */
  pendingUpdates: Count.nullable(),
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
  if (!parsed.success) return { ok: false, message: `The load probe printed an unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, report: parsed.data };
}
