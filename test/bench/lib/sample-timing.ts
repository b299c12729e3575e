// Reads what a running `switchyard serve` stored over a window, straight from its SQLite file
// (read-only, beside the writer, as WAL allows): every sample of the window in one query of the raw
// rows plus the chunks packed meanwhile, instead of one `monitoring:series` call per server (which
// at 10,000 servers under load did not finish).
//
// Schedule lateness from stored times: a scheduler wake hands over every probe due within its
// gather window and stamps their samples with the wake's time, so each distinct SIP sample time is
// one wake. On a fleet dense enough to have a slot every millisecond (10,000 servers at 5 s have
// two), the slot after a wake's window falls 1 ms past it: a wake on time comes gather + 1 ms after
// the one before, and anything more is how late it woke. That is the lateness of the wake's first
// probe (the others in its window were due later), as the SIP benchmark measures it in-process.
import Database from 'better-sqlite3';
import { KIND_CODE } from '../../../src/services/store/sample-kinds';
import { decodeChunk } from '../../../src/services/store/sample-chunk-codec';
import { CHUNK_MS } from '../../../src/services/store/samples-chunks';
import type { ProbeKind } from '../../../src/domain/monitoring/sample';

export interface KindTiming {
  samples: number;
  answered: number;
  /** Servers with at least one sample of this kind in the window. */
  servers: number;
}

export interface WindowTiming {
  kinds: Partial<Record<ProbeKind, KindTiming>>;
  /** Lateness of each SIP wake after the first in the window, ms. */
  wakeLateness: number[];
}

/**
 * How late each wake was, from the sorted distinct wake times: the gap to the wake before, less the
 * gather window and the 1 ms to the next slot; never below 0 (a timer may fire a little early).
 */
export function lateness(wakeTimes: readonly number[], gatherMs: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < wakeTimes.length; i += 1)
    out.push(Math.max(0, (wakeTimes[i] as number) - (wakeTimes[i - 1] as number) - gatherMs - 1));
  return out;
}

/** Samples of the local probes (not vantage points) in [from, to), read from `dbFile`. */
export function readWindow(dbFile: string, from: number, to: number, gatherMs: number): WindowTiming {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  // One read transaction: a seal moving rows from raw into a chunk meanwhile is seen before or after, whole.
  db.exec('BEGIN');
  try {
    const series = new Map<number, { serverId: string; kind: ProbeKind }>();
    const kindOf = new Map(Object.entries(KIND_CODE).map(([name, code]) => [code, name as ProbeKind]));
    for (const row of db.prepare("SELECT id, server_id, kind FROM probe_series WHERE source = 'local'").all() as {
      id: number;
      server_id: string;
      kind: number;
    }[]) {
      const kind = kindOf.get(row.kind);
      if (kind) series.set(row.id, { serverId: row.server_id, kind });
    }
    const kinds: Partial<Record<ProbeKind, KindTiming>> = {};
    const seen = new Map<ProbeKind, Set<string>>();
    const sipWakes = new Set<number>();
    const count = (id: number, at: number, rttUs: number | null) => {
      const s = series.get(id);
      if (!s || at < from || at >= to) return;
      const k = (kinds[s.kind] ??= { samples: 0, answered: 0, servers: 0 });
      k.samples += 1;
      if (rttUs !== null) k.answered += 1;
      let servers = seen.get(s.kind);
      if (!servers) seen.set(s.kind, (servers = new Set()));
      servers.add(s.serverId);
      if (s.kind === 'sip-udp') sipWakes.add(at);
    };
    for (const [id, at, rttUs] of db.prepare('SELECT series, at, rtt_us FROM probe_raw WHERE at >= ? AND at < ?').raw().all(from, to) as [
      number,
      number,
      number | null,
    ][]) {
      count(id, at, rttUs);
    }
    // Windows sealed while the run went on (a quarter hour passed) are in chunks, no longer raw.
    for (const [id, start, data] of db
      .prepare('SELECT series, start, data FROM probe_chunk WHERE start > ? AND start < ?')
      .raw()
      .all(from - CHUNK_MS, to) as [number, number, Uint8Array][]) {
      const cols = decodeChunk(start, data);
      for (let i = 0; i < cols.at.length; i += 1) count(id, cols.at[i] as number, cols.rttUs[i] ?? null);
    }
    for (const [kind, servers] of seen) (kinds[kind] as KindTiming).servers = servers.size;
    return {
      kinds,
      wakeLateness: lateness(
        [...sipWakes].sort((a, b) => a - b),
        gatherMs,
      ),
    };
  } finally {
    db.exec('COMMIT');
    db.close();
  }
}
