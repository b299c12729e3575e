// The pinned team hosts, kept in one JSON file beside the desktop app's data (team-hosts.json).
// Written whole to a temporary file and renamed over the old one, so a crash leaves the old pins
// or the new ones, never half a file; private to the user (0600), like the database.
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { normaliseFingerprint, TeamHostError, type Pin, type PinStore } from './pinning';

const PinFile = z.strictObject({
  version: z.literal(1),
  pins: z
    .array(
      z.strictObject({
        origin: z.string().regex(/^https:\/\/[^/\s@]+$/, 'must be an https origin'),
        sha256: z.string().refine((s) => normaliseFingerprint(s) === s, 'must be a SHA-256 fingerprint as AB:CD:…'),
        pinnedAt: z.number().int().min(0),
      }),
    )
    .max(1000),
});

/** Opens (or starts) the pin file; a file that is not one of ours is refused, never overwritten. */
export function openPinFile(file: string): PinStore {
  const pins = new Map<string, Pin>();
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== null) {
    let parsed: z.infer<typeof PinFile>;
    try {
      parsed = PinFile.parse(JSON.parse(text));
    } catch (error) {
      const why = error instanceof z.ZodError ? (error.issues[0]?.message ?? 'unexpected content') : 'not JSON';
      throw new TeamHostError(`${file} is not a Switchyard pin file (${why}); move it away to start again, nothing was changed.`);
    }
    for (const pin of parsed.pins) pins.set(pin.origin, pin);
  }
  const save = (): void => {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ version: 1, pins: [...pins.values()] }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  };
  return {
    get: (origin) => pins.get(origin) ?? null,
    set(pin) {
      pins.set(pin.origin, pin);
      save();
    },
    delete(origin) {
      const had = pins.delete(origin);
      if (had) save();
      return had;
    },
    list: () => [...pins.values()],
  };
}
