// What Prometheus reads of the probes: per server and probe kind, cumulative counters since this
// host started (probes, lost probes, a round-trip histogram with its sum) and the last SIP code.
// Fed every sample as it arrives, so `observe` does constant work and allocates only the first
// time a server and kind are seen; the exposition is built from these counts at scrape time.
import { SIP_KINDS, type ProbeKind, type Sample } from '../../domain/monitoring/sample';
import { RTT_EDGES_MS, rttBucketOf } from './rtt-buckets';

export interface ProbeCounts {
  /** Answered probes per bucket, not cumulative: index RTT_EDGES_MS.length is the +Inf bucket. */
  readonly buckets: Float64Array;
  /** Sum of the answered round trips, in seconds. */
  sumSeconds: number;
  /** Answered probes (the histogram's count). */
  answered: number;
  /** Every probe sent, answered or lost. */
  probes: number;
  lost: number;
  /**
   * SIP kinds only: the final response code of the last probe, 0 when it got none (lost),
   * as blackbox_exporter reports a failed probe's status; null for ICMP and TCP.
   */
  lastCode: number | null;
}

const SIP = new Set<ProbeKind>(SIP_KINDS);

export class ProbeCollector {
  readonly #servers = new Map<string, Map<ProbeKind, ProbeCounts>>();

  observe(sample: Sample): void {
    let kinds = this.#servers.get(sample.serverId);
    if (kinds === undefined) {
      kinds = new Map();
      this.#servers.set(sample.serverId, kinds);
    }
    let counts = kinds.get(sample.kind);
    if (counts === undefined) {
      counts = { buckets: new Float64Array(RTT_EDGES_MS.length + 1), sumSeconds: 0, answered: 0, probes: 0, lost: 0, lastCode: null };
      kinds.set(sample.kind, counts);
    }
    counts.probes += 1;
    if (sample.rttMs === null) {
      counts.lost += 1;
    } else {
      const at = rttBucketOf(sample.rttMs);
      counts.buckets[at] = (counts.buckets[at] ?? 0) + 1;
      counts.sumSeconds += sample.rttMs / 1_000;
      counts.answered += 1;
    }
    if (SIP.has(sample.kind)) counts.lastCode = sample.rttMs === null ? 0 : (sample.code ?? 0);
  }

  /** The counts of one server by kind; undefined before its first probe. */
  countsOf(serverId: string): ReadonlyMap<ProbeKind, Readonly<ProbeCounts>> | undefined {
    return this.#servers.get(serverId);
  }

  /**
   * Forgets every server not in `serverIds` (deleted from the fleet), so it drops out of the
   * exposition and its memory is freed; a probe that was in flight when it went is dropped too.
   */
  retain(serverIds: ReadonlySet<string>): void {
    for (const id of this.#servers.keys()) if (!serverIds.has(id)) this.#servers.delete(id);
  }

  get serverCount(): number {
    return this.#servers.size;
  }
}
